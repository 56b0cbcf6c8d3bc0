# Sourced by this session's calls b, c, e-g: session 16's helpers (variant_tests, vrows, $OUT) and
#   ncu_step ROW VARIANT   ncu's stall reasons, throughputs and occupancy of ROW's new_state kernel
. bench/results/2026-11-27-s16/common.sh
ncu_step() {
  timeout 200 ncu --kernel-name regex:new_state --launch-count 1 --section WarpStateStats --section SpeedOfLight \
      --section Occupancy --metrics "regex:smsp__average_warps_issue_stalled_.*_per_issue_active\.ratio" \
      .gpu/bin/seqmix-bench --device cuda --rows "$1" --variant "cuda-sm90/$2" --repeats 1 --min-time 0 \
      --warmup 0 --no-check > "$OUT/ncu_$2.log" 2>&1
  echo "== $2"; grep -E "stalled|Throughput|Duration|Achieved Occupancy|Registers" "$OUT/ncu_$2.log" | awk '!/stalled/ || $NF + 0 > 0.3'
}
#   step_rows GLA_VARIANTS SCALAR_VARIANTS   gla_step's and the scalar-decay steps' rows, twice, interleaved
step_rows() {
  for i in 1 2; do
    vrows gla_step "$1"
    for r in linear_attn_step retention_step simple_gla_step; do vrows $r "$2"; done
  done
}
