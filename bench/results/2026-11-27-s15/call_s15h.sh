#!/usr/bin/env bash
# Session 15's eighth device call: the commit's step kernels (PaddedSum reverted) through every
# step test, CUDA and the AVX-512 CPU variants (call g's run of the same filter had 10 failures
# whose log did not come back: which tests, and whether they are PaddedSum's), their failures by
# name; and the step rows' dispatch.
#   run: bash bench/results/2026-11-27-s15/call_s15h.sh   (carry .gpu; call g's build at the commit)
. bench/results/2026-11-27-s15/common.sh
timeout 400 .gpu/bin/seqmix_kernel_tests --gtest_filter='*Step*' > "$OUT/tests.log" 2>&1
echo "tests rc=$?"
grep -E '^\[  (PASSED|FAILED) +\] [0-9]+ test' "$OUT/tests.log"
grep -E '^\[  FAILED  \]' "$OUT/tests.log" | cut -c1-200 | sort -u | head -30
grep -B3 -A12 -m3 'Failure' "$OUT/tests.log" | cut -c1-200 | head -60
