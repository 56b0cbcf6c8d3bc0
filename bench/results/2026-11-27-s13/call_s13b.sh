#!/usr/bin/env bash
# Session 13's second device call: CUDA selective_scan in two kernels (two*: one block per
# (channel, batch) each; the first computes the chunk end states and the boundary pass into a
# global hc, the second rescans every chunk from hc with dt, dt*x and the Bm/Cm row of one state
# index staged in shared memory; chunk / lanes as named) and selective_scan_step candidates with dt
# in its own kernel (n16r, n16cr); kernel tests, rows twice, ncu per-kernel times of two33.
#   run: bash bench/results/2026-11-27-s13/call_s13b.sh   (carry .gpu)
. bench/results/2026-11-27-s10/common.sh
timeout 200 .gpu/bin/seqmix_kernel_tests --gtest_filter='*SelectiveScan*cuda_sm90*' > "$OUT/tests.log" 2>&1
echo "tests rc=$?"
grep -E '^\[  (PASSED|FAILED) ' "$OUT/tests.log"
grep -E '^\[  FAILED  \]' "$OUT/tests.log" | sed 's/ # GetParam.*//; s/, where.*//' | sort -u | head -60 > "$OUT/failed.txt"
cut -c1-150 "$OUT/failed.txt" | grep -v "T16384\|T32769\|T8193\|T5000" | head
rows selective_scan cuda-sm90/default,cuda-sm90/two17,cuda-sm90/two25,cuda-sm90/two33,cuda-sm90/two33l64 2
rows selective_scan_step cuda-sm90/default,cuda-sm90/n16r,cuda-sm90/n16cr 2
ncu_times selective_scan cuda-sm90/two33
