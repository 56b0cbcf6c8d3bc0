#!/usr/bin/env bash
# Session 17's device call: the tuned attention@d64 (cuda-sm90) beside the previous hand file (the
# explicit candidate d64old) and the default, with PyTorch's SDPA and the copy ceiling measured in
# the same session, then every CUDA kernel test of attention.
#   run: bash bench/results/2026-11-28-s17/call_s17a.sh   (carry .gpu; build: ONLY_MIXERS=attention)
. bench/results/2026-11-27-s16/common.sh
nvidia-smi -L
python3 bench/peers/gpu_peers.py "$OUT/peers.json" --only attention,copy --no-ieee > "$OUT/peers.txt" 2>&1
tail -5 "$OUT/peers.txt"
.gpu/bin/seqmix-bench --device cuda --rows attention --variant cuda-sm90/d64old,cuda-sm90/d64,cuda-sm90/default \
    --gpu-peers "$OUT/peers.json" --repeats 10 --min-time 0.1 --json "$OUT/attention.json" > "$OUT/attention.txt" 2>&1
cat "$OUT/attention.txt" | cut -c1-200
variant_tests '*Attention*cuda*' 300
