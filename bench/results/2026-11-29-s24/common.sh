# Sourced by this session's calls: session 23's helpers (decode_rows, variant_tests, vrows, $OUT) and
#   ncu_first VARIANT [N]   ncu's kernel times of the first N kernel launches (default 18: one call
#                           of the first decode_attention row, B64_Tq1_L4096, equal lengths)
. bench/results/2026-11-28-s23/common.sh
ncu_first() {
  timeout 150 ncu --clock-control none --metrics gpu__time_duration.sum --kernel-name regex:_kernel_ --launch-count "${2:-18}" --csv \
      .gpu/bin/seqmix-bench --device cuda --rows decode_attention --variant "cuda-sm90/$1" --repeats 1 \
      --min-time 0 --warmup 0 --no-check > "$OUT/ncu_$1.csv" 2>&1
  python3 bench/results/2026-11-26-s9/ncu_sum.py "$OUT/ncu_$1.csv" | head -14
}
