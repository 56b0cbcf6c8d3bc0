#!/usr/bin/env bash
# Session 13's fifth device call: the shipped buckets selective_scan@staged and
# selective_scan_step@n16 (cuda-sm90 and their cuda-sm80 copies, as cuda_capability_80 PTX on this
# GPU) through dispatch (a run of its own: --variant takes dispatch alone), with two explicit neighbours (two15w: chunk 15; n16s8: 8 channel rows
# per thread, 128 channels a block): the CUDA kernel tests of both mixers, rows twice.
#   run: bash bench/results/2026-11-27-s13/call_s13e.sh   (carry .gpu)
. bench/results/2026-11-27-s10/common.sh
timeout 240 .gpu/bin/seqmix_kernel_tests --gtest_filter='*SelectiveScan*cuda*' > "$OUT/tests.log" 2>&1
echo "tests rc=$?"
grep -E '^\[  (PASSED|FAILED) |tests? skipped' "$OUT/tests.log"
grep -E '^\[  FAILED  \]' "$OUT/tests.log" | sed 's/ # GetParam.*//; s/, where.*//' | sort -u | cut -c1-150 | head -20
grep -c "staged\|_n16" "$OUT/tests.log"
rows selective_scan cuda-sm90/default,cuda-sm90/staged,cuda-sm90/two15w,cuda-sm80/staged 2
.gpu/bin/seqmix-bench --device cuda --rows selective_scan --variant dispatch --json "$OUT/selective_scan_dispatch.json" > "$OUT/selective_scan_dispatch.txt" 2>&1
python3 bench/results/2026-11-27-s10/table.py "$OUT/selective_scan_dispatch.json"
rows selective_scan_step cuda-sm90/default,cuda-sm90/n16,cuda-sm90/n16s8,cuda-sm80/n16 2
.gpu/bin/seqmix-bench --device cuda --rows selective_scan_step --variant dispatch --json "$OUT/selective_scan_step_dispatch.json" > "$OUT/selective_scan_step_dispatch.txt" 2>&1
python3 bench/results/2026-11-27-s10/table.py "$OUT/selective_scan_step_dispatch.json"
