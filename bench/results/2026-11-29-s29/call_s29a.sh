#!/usr/bin/env bash
# Session 29's device call a: two explicit candidates beside the shipped dplr@k64 / @k64bh16
# (candidates/): sw (the forward substitutions computed in shared memory inside a global wrapper,
# their L = l_aa_m staged in shared memory once per block; the C x C products' operands and
# o_intra's l_qa_m staged in shared memory) and swv (sw with the state pass vectorised over 4 value
# columns a thread: one row a thread, one global round trip per source row instead of four). The
# chunked delta-rule kernel tests, ncu of gated_delta_rule's k64 and swv, then the rows twice.
#   run: bash bench/results/2026-11-29-s29/call_s29a.sh   (carry .gpu; bundle ONLY_MIXERS =
#   delta_rule;gated_delta_rule;kda;gated_delta_rule2;rwkv7)
. bench/results/2026-11-27-s16/common.sh
variant_tests '*Dplr.*:*DplrStateRoundTrip.*' 300
echo "== ncu k64"; ncu_times gated_delta_rule cuda-sm90/k64; cp "$OUT/ncu.csv" "$OUT/ncu_k64.csv"
echo "== ncu swv"; ncu_times gated_delta_rule cuda-sm90/swv; cp "$OUT/ncu.csv" "$OUT/ncu_swv.csv"
for i in 1 2; do
  .gpu/bin/seqmix-bench --device cuda --rows delta_rule,gated_delta_rule,kda,gated_delta_rule2 \
      --variant cuda-sm90/k64,cuda-sm90/k64bh16,cuda-sm90/sw,cuda-sm90/swv --repeats 10 --min-time 0.1 \
      --json "$OUT/rows$i.json" > "$OUT/rows$i.txt" 2>&1
  echo "== rows $i"; python3 bench/results/2026-11-27-s10/table.py "$OUT/rows$i.json"
done
