#!/usr/bin/env bash
# Session 13's sixth device call: selective_scan_step@n16 back to unguarded four-row loads of the
# updated state (shifted inwards; call e's guarded form, for D < 4, took 39.0 us: each guarded
# load in a branch of its own), so `when N == 16 and D >= 4`; beside it n16s8 (8 rows, 128
# channels a block, unguarded): CUDA step kernel tests, rows twice.
#   run: bash bench/results/2026-11-27-s13/call_s13f.sh   (carry .gpu)
. bench/results/2026-11-27-s10/common.sh
timeout 240 .gpu/bin/seqmix_kernel_tests --gtest_filter='*SelectiveScanStep*cuda*:*SelectiveScanVsStep*cuda*' > "$OUT/tests.log" 2>&1
echo "tests rc=$?"
grep -E '^\[  (PASSED|FAILED) ' "$OUT/tests.log"
grep -E '^\[  FAILED  \]' "$OUT/tests.log" | sed 's/ # GetParam.*//; s/, where.*//' | sort -u | cut -c1-150 | head -20
rows selective_scan_step cuda-sm90/default,cuda-sm90/n16,cuda-sm90/n16s8,cuda-sm80/n16 2
