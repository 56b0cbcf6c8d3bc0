#!/usr/bin/env bash
# Session 27's device call b: fla's peers for gated_delta_rule2 and rwkv7 (call a's peer script ran
# out of time before them; fla's Triton autotuning takes minutes a peer), then their rows.
#   run: bash bench/results/2026-11-29-s27/call_s27b.sh   (carry .gpu and .peers; bundle as call a)
. bench/results/2026-11-27-s16/common.sh
export TRITON_CACHE_DIR=$PWD/.triton-cache
timeout 420 python3 bench/peers/gpu_peers.py "$OUT/peers.json" --only recurrences \
    --recurrences gated_delta_rule2,rwkv7 --recurrence-forms chunked --no-ieee > "$OUT/peers.log" 2>&1
echo "peers rc=$?"; grep -E '"ms"' "$OUT/peers.log" | cut -c1-160
.gpu/bin/seqmix-bench --device cuda --rows gated_delta_rule2,rwkv7 --variant dispatch --repeats 10 --min-time 0.1 \
    --gpu-peers "$OUT/peers.json" --json "$OUT/rows.json" > "$OUT/rows.txt" 2>&1
python3 bench/results/2026-11-27-s10/table.py "$OUT/rows.json"
