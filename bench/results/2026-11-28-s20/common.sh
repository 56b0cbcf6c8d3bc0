# Sourced by this session's attention calls (a-e): session 16's helpers (vrows, variant_tests, $OUT;
# session 10's unpack and `nvidia-smi -L`) and
#   attention_rows VARIANTS   SDPA and copy peers, then seqmix-bench's attention rows of VARIANTS
#                             beside them into $OUT/attention.json, one line a row, and any errors
#   ncu_stalls VARIANT...     ncu's stall reasons, occupancy and launch limits of each variant's
#                             acc update kernel (the first row's launch)
. bench/results/2026-11-27-s16/common.sh
attention_rows() {
  python3 bench/peers/gpu_peers.py "$OUT/peers.json" --only attention,copy --no-ieee > "$OUT/peers.log" 2>&1
  tail -5 "$OUT/peers.log"
  .gpu/bin/seqmix-bench --device cuda --rows attention --variant "$1" \
      --gpu-peers "$OUT/peers.json" --repeats 5 --min-time 0.1 --json "$OUT/attention.json" > "$OUT/attention.log" 2>&1
  python3 bench/results/2026-11-27-s10/table.py "$OUT/attention.json"
  grep -i "error\|fail" "$OUT/attention.log" | head
}
ncu_stalls() {
  for v in "$@"; do
    timeout 200 ncu --kernel-name regex:acc_s1 --launch-count 1 --section WarpStateStats --section Occupancy \
        --section ComputeWorkloadAnalysis --section MemoryWorkloadAnalysis --section LaunchStats \
        --metrics "regex:smsp__average_warps_issue_stalled_.*_per_issue_active\.ratio" \
        .gpu/bin/seqmix-bench --device cuda --rows attention --variant "cuda-sm90/$v" --repeats 1 --min-time 0 \
        --warmup 0 --no-check > "$OUT/ncu_$v.log" 2>&1
    grep -E "stalled|Stall|Warp Cycles|Occupancy|Registers|Shared Memory|Throughput|Issued|Block Limit" "$OUT/ncu_$v.log" |
        awk '!/stalled/ || $NF + 0 > 0.5' | head -40
  done
}
