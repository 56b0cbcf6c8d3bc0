#!/usr/bin/env bash
# Session 12's third device call: the shipped decode_attention buckets v4 and v4long (cuda-sm90 and
# cuda-sm80): every CUDA decode kernel test, PyTorch SDPA's decode rows and the copy ceiling
# (gpu_peers.py), the decode rows as the runtime dispatches them with the peers attached, and
# cuda-sm80's buckets forced.
#   run: bash bench/results/2026-11-27-s12/call_s12c.sh   (carry .gpu)
. bench/results/2026-11-27-s10/common.sh
kernel_tests '*Decode*cuda_sm*'
timeout 240 python3 bench/peers/gpu_peers.py "$OUT/peers.json" --only copy,ssm --no-ieee > "$OUT/peers.log" 2>&1
grep -E '"(peer|shape|ms)"' "$OUT/peers.json" | paste - - - | grep -i sdpa
.gpu/bin/seqmix-bench --device cuda --rows decode_attention --variant dispatch \
    --gpu-peers "$OUT/peers.json" --json "$OUT/dispatch.json" > "$OUT/dispatch.txt" 2>&1
python3 bench/results/2026-11-27-s10/table.py "$OUT/dispatch.json"
rows decode_attention cuda-sm80/v4,cuda-sm80/v4long 1
