#!/usr/bin/env bash
# Session 28's device call d: the shipped dispatch (k64bh16 at B1_T4096_H8, k64 at B4_T4096_H16)
# beside fla's chunked ops as peers in the same run, for delta_rule, gated_delta_rule and kda
# (fla's Triton autotuning takes minutes a peer: gated_delta_rule2 and rwkv7 did not fit session
# 27's call either), then the rows twice.
#   run: bash bench/results/2026-11-29-s28/call_s28d.sh   (carry .gpu and .peers; bundle as call c:
#   its k64 and k64bh16 kernels are the shipped files')
. bench/results/2026-11-27-s16/common.sh
export TRITON_CACHE_DIR=$PWD/.triton-cache
timeout 400 python3 bench/peers/gpu_peers.py "$OUT/peers.json" --only recurrences \
    --recurrences delta_rule,gated_delta_rule,kda --recurrence-forms chunked --no-ieee > "$OUT/peers.log" 2>&1
echo "peers rc=$?"; tail -3 "$OUT/peers.log"
for i in 1 2; do
  .gpu/bin/seqmix-bench --device cuda --rows delta_rule,gated_delta_rule,kda --variant dispatch --repeats 10 \
      --min-time 0.1 --gpu-peers "$OUT/peers.json" --json "$OUT/rows$i.json" > "$OUT/rows$i.txt" 2>&1
  echo "== rows $i"; python3 bench/results/2026-11-27-s10/table.py "$OUT/rows$i.json"
done
