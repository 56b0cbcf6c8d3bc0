#!/usr/bin/env bash
# Session 14's first device call: ssd_step with the updated state staged in shared memory (y
# and new_state in one kernel, y the compute_with parent, `updated` compute_at y's block with
# bound_extent on its rows: without it Halide 21's simplifier fails, "every name is unique"):
# 16 / 8 / 32 rows a block shifted inwards, 16 guarded; CUDA ssd_step kernel tests, rows twice.
#   run: bash bench/results/2026-11-27-s14/call_s14a.sh   (carry .gpu)
. bench/results/2026-11-27-s10/common.sh
timeout 240 .gpu/bin/seqmix_kernel_tests --gtest_filter='*SsdStep*cuda*:*SsdChunkedVsStep*cuda*' > "$OUT/tests.log" 2>&1
echo "tests rc=$?"
grep -E '^\[  (PASSED|FAILED) ' "$OUT/tests.log"
grep -E '^\[  FAILED  \]' "$OUT/tests.log" | sed 's/ # GetParam.*//; s/, where.*//' | sort -u | cut -c1-150 | head -30
rows ssd_step cuda-sm90/default,cuda-sm90/stage,cuda-sm90/stage8,cuda-sm90/stage32,cuda-sm90/stageg 2
