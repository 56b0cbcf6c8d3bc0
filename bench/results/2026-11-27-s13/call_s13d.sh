#!/usr/bin/env bash
# Session 13's fourth device call: two13w (two13u with the Bm and Cm rows of a state index staged
# in one fused loop, one load latency per index instead of two), two13w256 (256 lanes), and
# selective_scan_step n16s (y and new_state in one kernel: the updated state of 64 channels in
# shared memory, loaded coalesced along n, 4 rows per thread); kernel tests, rows twice, ncu.
#   run: bash bench/results/2026-11-27-s13/call_s13d.sh   (carry .gpu)
. bench/results/2026-11-27-s10/common.sh
timeout 200 .gpu/bin/seqmix_kernel_tests --gtest_filter='*SelectiveScan*cuda_sm90*' > "$OUT/tests.log" 2>&1
echo "tests rc=$?"
grep -E '^\[  (PASSED|FAILED) ' "$OUT/tests.log"
grep -E '^\[  FAILED  \]' "$OUT/tests.log" | sed 's/ # GetParam.*//; s/, where.*//' | sort -u > "$OUT/failed.txt"
grep -v "T16384\|T32769\|T8193\|T5000\|N40\|N7_" "$OUT/failed.txt" | cut -c1-150 | head
rows selective_scan cuda-sm90/default,cuda-sm90/two13u,cuda-sm90/two13w,cuda-sm90/two13w256 2
rows selective_scan_step cuda-sm90/default,cuda-sm90/n16u4,cuda-sm90/n16s 2
ncu_times selective_scan cuda-sm90/two13w
ncu_times selective_scan_step cuda-sm90/n16s
