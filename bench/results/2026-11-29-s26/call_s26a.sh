#!/usr/bin/env bash
# Session 26's device call a: the scalar-decay chunked bucket `staged` (cuda-sm90; q_inter, k_state
# and the chunk's q and k rows staged in shared memory, as gla@staged) beside `tiled` and the
# dispatched variant, for linear_attn, retention and simple_gla: their CUDA kernel tests, fla's
# chunked ops (fp32 and bf16) as peers, then the rows twice.
#   run: bash bench/results/2026-11-29-s26/call_s26a.sh   (carry .gpu and .peers; bundle ONLY_MIXERS =
#   linear_attn;retention;simple_gla)
. bench/results/2026-11-27-s16/common.sh
variant_tests '*ScalarDecay.*:*ScalarDecayLong.*:*ScalarDecayStateRoundTrip.*' 300
export TRITON_CACHE_DIR=$PWD/.triton-cache
timeout 400 python3 bench/peers/gpu_peers.py "$OUT/peers.json" --only recurrences --recurrences linear_attn,retention,simple_gla \
    --recurrence-forms chunked --no-ieee > "$OUT/peers.log" 2>&1
echo "peers rc=$?"; tail -3 "$OUT/peers.log"
for i in 1 2; do
  .gpu/bin/seqmix-bench --device cuda --rows linear_attn,retention,simple_gla \
      --variant cuda-sm90/tiled,cuda-sm90/staged,cuda-sm90/staged2,dispatch --repeats 20 --min-time 0.2 \
      --gpu-peers "$OUT/peers.json" --json "$OUT/rows$i.json" > "$OUT/rows$i.txt" 2>&1
  echo "== rows $i"; python3 bench/results/2026-11-27-s10/table.py "$OUT/rows$i.json"
done
