# Sourced by this session's call scripts: session 10's helpers (rows, kernel_tests, $OUT) and
#   vrows ROW VARIANTS [REPEATS]   seqmix-bench rows once, with a repeat floor, into $OUT/ROW.json
#   variant_tests FILTER SECONDS   the kernel tests matching FILTER: totals, failures, passes per variant
. bench/results/2026-11-27-s10/common.sh
vrows() {
  .gpu/bin/seqmix-bench --device cuda --rows "$1" --variant "$2" --repeats "${3:-10}" --min-time 0.1 \
      --json "$OUT/$1.json" > "$OUT/$1.txt" 2>&1
  python3 bench/results/2026-11-27-s10/table.py "$OUT/$1.json"
}
variant_tests() {  # FILTER SECONDS: the kernel tests matching FILTER; totals, failures, passes per variant
  rm -f "$OUT"/*.txt
  timeout "$2" .gpu/bin/seqmix_kernel_tests --gtest_filter="$1" > "$OUT/tests.log" 2>&1
  echo "tests rc=$?"
  grep -E '^\[  (PASSED|FAILED) +\] [0-9]+ test' "$OUT/tests.log"
  grep -E '^\[  FAILED  \]' "$OUT/tests.log" | cut -c1-150 | sort -u | head -20
  grep -A4 'Failure' "$OUT/tests.log" | head -24
  grep -E '^\[       OK \]' "$OUT/tests.log" | grep -oE 'cuda_sm[0-9]+_[a-z0-9]+' | sort | uniq -c
}
