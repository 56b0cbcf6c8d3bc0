# Sourced by this session's calls: session 22's helpers (variant_tests, vrows, ncu_step, $OUT) and
#   decode_rows [VARIANTS]   decode_attention's rows for VARIANTS (every variant when omitted), 5
#                            repeats with a 0.05 s floor, into $OUT/decode_attention.json; the table
#                            without the shapes a bucket's condition skips
. bench/results/2026-11-28-s22/common.sh
decode_rows() {
  .gpu/bin/seqmix-bench --device cuda --rows decode_attention ${1:+--variant "$1"} --repeats 5 \
      --min-time 0.05 --json "$OUT/decode_attention.json" > "$OUT/decode_attention.txt" 2>&1
  python3 bench/results/2026-11-27-s10/table.py "$OUT/decode_attention.json" | grep -v skipped
}
