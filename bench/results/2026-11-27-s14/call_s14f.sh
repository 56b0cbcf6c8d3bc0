#!/usr/bin/env bash
# Session 14's sixth device call: ssd_step's new default (4 rows a thread, guarded, y in a kernel
# of its own: with y compute_with new_state, as r4f, a tail block of fewer than 16 rows gave
# wrong y on PoCL, P = 4, 20, 24, 36) and the n128 bucket (P >= 8, N >= 128), both CUDA
# targets; CUDA ssd_step tests, rows twice; the SSM peers and the copy ceiling, then ssd_step as
# the runtime dispatches it with the peers attached: same run.
#   run: bash bench/results/2026-11-27-s14/call_s14f.sh   (carry .gpu, .peers)
. bench/results/2026-11-27-s10/common.sh
timeout 240 .gpu/bin/seqmix_kernel_tests --gtest_filter='*SsdStep*cuda*:*SsdChunkedVsStep*cuda*' > "$OUT/tests.log" 2>&1
echo "tests rc=$?"
grep -E '^\[  (PASSED|FAILED) ' "$OUT/tests.log"
grep -E '^\[  FAILED  \]' "$OUT/tests.log" | sed 's/ # GetParam.*//; s/, where.*//' | sort -u | cut -c1-150 | head -20
rows ssd_step cuda-sm90/default,cuda-sm90/n128,cuda-sm90/r4f,cuda-sm80/default,cuda-sm80/n128 2
timeout 300 python3 bench/peers/gpu_peers.py "$OUT/peers.json" --only copy,ssm --no-ieee > "$OUT/peers.log" 2>&1
echo "peers rc=$?"
.gpu/bin/seqmix-bench --device cuda --rows ssd_step --variant dispatch --gpu-peers "$OUT/peers.json" \
    --json "$OUT/ssd_step_dispatch.json" > "$OUT/ssd_step_dispatch.txt" 2>&1
python3 bench/results/2026-11-27-s10/table.py "$OUT/ssd_step_dispatch.json"
grep -E "peers|ssd" "$OUT/ssd_step_dispatch.txt" | cut -c1-250 | tail -4
