#!/usr/bin/env bash
# Session 29's device call g: dplr@st (the shipped k64 with kv's, o_inter's and o_intra's operands
# staged in shared memory: k_state and vin for kv, q_inter for o_inter, uv for o_intra) beside
# k64: its chunked kernel tests, ncu of gated_delta_rule's st, the rows twice.
#   run: bash bench/results/2026-11-29-s29/call_s29g.sh   (carry .gpu; bundle ONLY_MIXERS =
#   delta_rule;gated_delta_rule;kda;gated_delta_rule2)
. bench/results/2026-11-27-s16/common.sh
variant_tests '*Dplr.*_st:*DplrStateRoundTrip.*_st:*DplrChunkedVsStep.*_st:*Gdn2Limits.*_st' 200
echo "== ncu st"; ncu_times gated_delta_rule cuda-sm90/st; cp "$OUT/ncu.csv" "$OUT/ncu_st.csv"
for i in 1 2; do
  .gpu/bin/seqmix-bench --device cuda --rows delta_rule,gated_delta_rule,kda,gated_delta_rule2 \
      --variant cuda-sm90/k64,cuda-sm90/st --repeats 10 --min-time 0.1 --json "$OUT/rows$i.json" > "$OUT/rows$i.txt" 2>&1
  echo "== rows $i"; python3 bench/results/2026-11-27-s10/table.py "$OUT/rows$i.json" | grep -v skipped | cut -c24-110
done
