#!/usr/bin/env bash
# Session 26's device call h: the delta rules' bucket k64 beside the explicit candidate k64t (k64
# with l_aa, l_qa, kv, u, o_inter and o_intra as 4 x 4 register tiles through .in() wrappers, as
# scalar_decay@tiled's products): the chunked kernel tests, ncu of gated_delta_rule's k64t, then the
# four delta rules' rows twice.
#   run: bash bench/results/2026-11-29-s26/call_s26h.sh   (carry .gpu; bundle ONLY_MIXERS =
#   delta_rule;gated_delta_rule;kda;gated_delta_rule2;rwkv7)
. bench/results/2026-11-27-s16/common.sh
variant_tests '*Dplr.*:*DplrLong.*:*DplrStateRoundTrip.*' 300
echo "== ncu k64t"; ncu_times gated_delta_rule cuda-sm90/k64t
for i in 1 2; do
  .gpu/bin/seqmix-bench --device cuda --rows delta_rule,gated_delta_rule,kda,gated_delta_rule2 \
      --variant cuda-sm90/k64,cuda-sm90/k64t --repeats 10 --min-time 0.1 --json "$OUT/rows$i.json" > "$OUT/rows$i.txt" 2>&1
  echo "== rows $i"; python3 bench/results/2026-11-27-s10/table.py "$OUT/rows$i.json"
done
