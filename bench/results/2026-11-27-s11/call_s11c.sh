#!/usr/bin/env bash
# Session 11's third device call: `gen`, the lanes16 schedule made correct for every shape (qk's
# query rows and head groups as serial loops of the block, qk_lanes per (tq, group of 4 heads):
# 34 KB of shared memory at any Tq * H / Hkv), beside the shipped lanes16 and default: kernel
# tests of every sm90 decode variant; PyTorch SDPA's decode rows (gpu_peers.py) and the copy
# ceiling, then seqmix-bench's decode rows (now also B8 at 128K, B1 at 1M and 4 query tokens at
# B64, 4K) with the peers attached.
#   run: bash bench/results/2026-11-27-s11/call_s11c.sh   (carry .gpu)
. bench/results/2026-11-27-s10/common.sh
kernel_tests '*Decode*cuda_sm90*'
timeout 240 python3 bench/peers/gpu_peers.py "$OUT/peers.json" --only copy,ssm --no-ieee > "$OUT/peers.log" 2>&1
grep -E '"(peer|shape|ms)"' "$OUT/peers.json" | paste - - - | grep -i sdpa
for i in 1; do
  .gpu/bin/seqmix-bench --device cuda --rows decode_attention --variant cuda-sm90/default,cuda-sm90/lanes16,cuda-sm90/gen \
      --gpu-peers "$OUT/peers.json" --json "$OUT/decode_$i.json" > "$OUT/decode_$i.txt" 2>&1
  python3 bench/results/2026-11-27-s10/table.py "$OUT/decode_$i.json"
done
