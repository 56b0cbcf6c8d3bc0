#!/usr/bin/env bash
# Session 29's device call e: the shipped files (dplr@k64 = call d's swcu, dplr@k64bh16 = swbhcu,
# rwkv7@k64 = call c's sw, rwkv7@k64bh16 = swbh): every chunked delta-rule and RWKV-7 kernel test
# of every CUDA variant, then the dispatched rows twice beside fla's chunked ops as peers in the same
# run (delta_rule, gated_delta_rule, kda; fla's fp32 matmuls on TF32 tensor cores, which Halide 21
# cannot use), and gated_delta_rule2 / rwkv7 rows.
#   run: bash bench/results/2026-11-29-s29/call_s29e.sh   (carry .gpu and .peers)
. bench/results/2026-11-27-s16/common.sh
variant_tests '*Dplr.*:*DplrStateRoundTrip.*:*DplrChunkedVsStep.*:*Gdn2Limits.*' 240
export TRITON_CACHE_DIR=$PWD/.triton-cache
timeout 330 python3 bench/peers/gpu_peers.py "$OUT/peers.json" --only recurrences \
    --recurrences delta_rule,gated_delta_rule,kda --recurrence-forms chunked --no-ieee > "$OUT/peers.log" 2>&1
echo "peers rc=$?"; tail -3 "$OUT/peers.log"
for i in 1 2; do
  .gpu/bin/seqmix-bench --device cuda --rows delta_rule,gated_delta_rule,kda,gated_delta_rule2,rwkv7 --variant dispatch \
      --repeats 10 --min-time 0.1 --gpu-peers "$OUT/peers.json" --json "$OUT/rows$i.json" > "$OUT/rows$i.txt" 2>&1
  echo "== rows $i"; python3 bench/results/2026-11-27-s10/table.py "$OUT/rows$i.json"
done
