#!/usr/bin/env bash
# Session 27's device call a: the delta rules and RWKV-7 after the dplr algorithm changes of this
# session (masked C x C copies l_aa_m / l_qa_m, scale at the end, uv = u + vin, k_state aliased to
# alpha_state, l2norm by one reciprocal per row; the CUDA files keep the row-oriented updates,
# column_updates = 0): their CUDA kernel tests, fla's ops as peers, then the rows twice for the
# dispatched variant (k64 at K = 64) and the default file.
#   run: bash bench/results/2026-11-29-s27/call_s27a.sh   (carry .gpu and .peers; bundle ONLY_MIXERS =
#   delta_rule;gated_delta_rule;kda;gated_delta_rule2;rwkv7)
. bench/results/2026-11-27-s16/common.sh
variant_tests '*Dplr.*:*DplrLong.*:*DplrStateRoundTrip.*:*Gdn2Limits.*' 360
export TRITON_CACHE_DIR=$PWD/.triton-cache
timeout 300 python3 bench/peers/gpu_peers.py "$OUT/peers.json" --only recurrences \
    --recurrences delta_rule,gated_delta_rule,kda,gated_delta_rule2,rwkv7 --recurrence-forms chunked --no-ieee \
    > "$OUT/peers.log" 2>&1
echo "peers rc=$?"; tail -3 "$OUT/peers.log"
for i in 1 2; do
  .gpu/bin/seqmix-bench --device cuda --rows delta_rule,gated_delta_rule,kda,gated_delta_rule2,rwkv7 \
      --variant dispatch,cuda-sm90/default --repeats 10 --min-time 0.1 \
      --gpu-peers "$OUT/peers.json" --json "$OUT/rows$i.json" > "$OUT/rows$i.txt" 2>&1
  echo "== rows $i"; python3 bench/results/2026-11-27-s10/table.py "$OUT/rows$i.json"
done
