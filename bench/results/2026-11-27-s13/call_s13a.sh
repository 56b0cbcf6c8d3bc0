#!/usr/bin/env bash
# Session 13's first device call: CUDA selective_scan candidates (blk*: one block per (channel,
# batch) doing the whole two-level scan in shared memory, Bm/Cm rows staged per state index,
# chunk and lanes as named) and selective_scan_step candidates (n16: one thread per channel, the 16
# states unrolled; n16c: new_state coalesced across n as the default), all explicit buckets
# of cuda-sm90: their kernel tests, then the rows beside the default, twice.
#   run: bash bench/results/2026-11-27-s13/call_s13a.sh   (carry .gpu)
. bench/results/2026-11-27-s10/common.sh
timeout 200 .gpu/bin/seqmix_kernel_tests --gtest_filter='*SelectiveScan*cuda_sm90*' > "$OUT/tests.log" 2>&1
echo "tests rc=$?"
grep -E '^\[  (PASSED|FAILED) ' "$OUT/tests.log"
grep -E '^\[  FAILED  \]' "$OUT/tests.log" | sed 's/ # GetParam.*//; s/, where.*//' | sort -u | head -40
rows selective_scan cuda-sm90/default,cuda-sm90/blk17r,cuda-sm90/blk17s,cuda-sm90/blk25r,cuda-sm90/blk33r,cuda-sm90/blk33r64 2
rows selective_scan_step cuda-sm90/default,cuda-sm90/n16,cuda-sm90/n16c 2
