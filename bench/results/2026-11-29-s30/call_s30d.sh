#!/usr/bin/env bash
# Session 30's device call d: the shipped dplr and rwkv7 k64 / k64bh16 files (sm90 and the sm80
# copies: source groups, the state pass on 32 / 16 value columns a block) and the candidates g4v8
# (8 columns, B * H <= 16 layout), every chunked dplr kernel test, then fla's chunked ops as peers
# (delta_rule, gated_delta_rule, kda: fla's fp32 matmuls on TF32 tensor cores) and the rows twice.
#   run: bash bench/results/2026-11-29-s30/call_s30d.sh   (carry .gpu and .peers)
. bench/results/2026-11-27-s16/common.sh
variant_tests '*Dplr.*:*DplrStateRoundTrip.*:*DplrChunkedVsStep.*:*Gdn2Limits.*' 300
export TRITON_CACHE_DIR=$PWD/.triton-cache
timeout 330 python3 bench/peers/gpu_peers.py "$OUT/peers.json" --only recurrences \
    --recurrences delta_rule,gated_delta_rule,kda --recurrence-forms chunked --no-ieee > "$OUT/peers.log" 2>&1
echo "peers rc=$?"; tail -3 "$OUT/peers.log"
for i in 1 2; do
  .gpu/bin/seqmix-bench --device cuda --rows delta_rule,gated_delta_rule,kda,gated_delta_rule2,rwkv7 \
      --variant dispatch,cuda-sm80/k64,cuda-sm80/k64bh16,cuda-sm90/g4v8 \
      --repeats 10 --min-time 0.1 --gpu-peers "$OUT/peers.json" --json "$OUT/rows$i.json" > "$OUT/rows$i.txt" 2>&1
  echo "== rows $i"; python3 bench/results/2026-11-27-s10/table.py "$OUT/rows$i.json" | grep -v skipped | cut -c24-140
done
