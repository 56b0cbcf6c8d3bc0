#!/usr/bin/env bash
# Session 26's device call j: dplr@k64 beside two explicit candidates for its forward substitutions
# (wy_w, wy_u0; one thread a column, the rows serial): fs64 (64 column threads, no second column
# serial in a thread) and fs64u (fs64 with the sum over earlier rows unrolled by 4): the chunked
# kernel tests of the four delta rules, ncu of fs64u, then the rows twice.
#   run: bash bench/results/2026-11-29-s26/call_s26j.sh   (carry .gpu; bundle ONLY_MIXERS =
#   delta_rule;gated_delta_rule;kda;gated_delta_rule2;rwkv7)
. bench/results/2026-11-27-s16/common.sh
variant_tests '*Dplr.*:*DplrStateRoundTrip.*' 300
echo "== ncu fs64u"; ncu_times gated_delta_rule cuda-sm90/fs64u
for i in 1 2; do
  .gpu/bin/seqmix-bench --device cuda --rows delta_rule,gated_delta_rule,kda,gated_delta_rule2 \
      --variant cuda-sm90/k64,cuda-sm90/fs64,cuda-sm90/fs64u --repeats 10 --min-time 0.1 --json "$OUT/rows$i.json" > "$OUT/rows$i.txt" 2>&1
  echo "== rows $i"; python3 bench/results/2026-11-27-s10/table.py "$OUT/rows$i.json"
done
