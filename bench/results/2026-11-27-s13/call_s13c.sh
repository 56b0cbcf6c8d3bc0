#!/usr/bin/env bash
# Session 13's third device call: the two-kernel selective_scan with its shared-memory staging
# loops unrolled by 8 (eight loads in flight per thread, not one) and the chunk end state's
# token loop unrolled (two*u, chunk as named); selective_scan_step with y's n-reduction unrolled
# and new_state 4 / 8 rows per thread (n16u4, n16u8); kernel tests, rows twice, ncu per kernel.
#   run: bash bench/results/2026-11-27-s13/call_s13c.sh   (carry .gpu)
. bench/results/2026-11-27-s10/common.sh
timeout 200 .gpu/bin/seqmix_kernel_tests --gtest_filter='*SelectiveScan*cuda_sm90*' > "$OUT/tests.log" 2>&1
echo "tests rc=$?"
grep -E '^\[  (PASSED|FAILED) ' "$OUT/tests.log"
grep -E '^\[  FAILED  \]' "$OUT/tests.log" | sed 's/ # GetParam.*//; s/, where.*//' | sort -u > "$OUT/failed.txt"
grep -v "T16384\|T32769\|T8193\|T5000\|N40\|N7_" "$OUT/failed.txt" | cut -c1-150 | head
rows selective_scan cuda-sm90/default,cuda-sm90/two13u,cuda-sm90/two17u,cuda-sm90/two21u,cuda-sm90/two33u 2
rows selective_scan_step cuda-sm90/default,cuda-sm90/n16cr,cuda-sm90/n16u4,cuda-sm90/n16u8 2
ncu_times selective_scan cuda-sm90/two17u
ncu_times selective_scan_step cuda-sm90/n16u8
