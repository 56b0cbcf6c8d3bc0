# Sourced by this session's call scripts: session 10's helpers (rows, ncu_times, $OUT) and
#   step_tests SECONDS [EXPECTED]   every CUDA step kernel test (or those of $STEP_FILTER) under a
#                                   time limit, their totals, and the failures not matching EXPECTED
#                                   (a grep -E pattern for the candidates run outside their domain)
. bench/results/2026-11-27-s10/common.sh
step_tests() {
  rm -f "$OUT"/*.txt
  timeout "$1" .gpu/bin/seqmix_kernel_tests --gtest_filter="${STEP_FILTER:-*Step*cuda*}" > "$OUT/tests.log" 2>&1
  echo "tests rc=$?"
  grep -E '^\[  (PASSED|FAILED) +\] [0-9]+ test' "$OUT/tests.log"
  grep -E '^\[  FAILED  \].*GetParam' "$OUT/tests.log" | grep -Ev "${2:-^$}" | cut -c1-160 | sort -u | head -20
}
