# Sourced by this session's calls c-i: session 16's helpers (variant_tests, $OUT; session 10's
# unpack and `nvidia-smi -L`) and
#   mix_rows ROWS VARIANTS NAME   the mixing and copy peers (once a call), then seqmix-bench's ROWS
#                                 of VARIANTS beside them into $OUT/NAME.json, one line a row
#   ncu_gemm VARIANT              ncu's stall reasons and throughputs of token_mix VARIANT's kernel
. bench/results/2026-11-27-s16/common.sh
mix_rows() {
  [ -f "$OUT/mix_peers.json" ] ||
      python3 bench/peers/gpu_peers.py "$OUT/mix_peers.json" --only mixing,copy --no-ieee > "$OUT/mix_peers.log" 2>&1
  .gpu/bin/seqmix-bench --device cuda --rows "$1" --variant "$2" --gpu-peers "$OUT/mix_peers.json" \
      --repeats 5 --min-time 0.1 --json "$OUT/$3.json" > "$OUT/$3.log" 2>&1
  python3 bench/results/2026-11-27-s10/table.py "$OUT/$3.json"
  grep -i "error\|fail" "$OUT/$3.log" | head
}
ncu_gemm() {
  timeout 200 ncu --kernel-name regex:y_s0 --launch-count 1 --section WarpStateStats --section SpeedOfLight \
      --section InstructionStats --metrics "regex:smsp__average_warps_issue_stalled_.*_per_issue_active\.ratio" \
      .gpu/bin/seqmix-bench --device cuda --rows token_mix --variant "cuda-sm90/$1" --repeats 1 --min-time 0 \
      --warmup 0 --no-check > "$OUT/ncu_$1.log" 2>&1
  grep -E "stalled|Throughput|Issued Instructions |Duration" "$OUT/ncu_$1.log" | awk '!/stalled/ || $NF + 0 > 0.3'
}
