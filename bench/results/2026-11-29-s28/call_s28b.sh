#!/usr/bin/env bash
# Session 28's device call b: kda and gated_delta_rule2 on the shipped k64 / k64bh16 buckets beside
# two explicit candidates of the new dplr_channel family (candidates/): sc (dplr@k64 with
# sub_chunk 16: l_aa and l_qa split into off-diagonal sub-chunk blocks, plain 4 x 4 register-tiled
# products, and diagonal blocks that keep the exps) and scbh (dplr@k64bh16 with the same split):
# their chunked kernel tests, ncu of sc, then the rows twice.
#   run: bash bench/results/2026-11-29-s28/call_s28b.sh   (carry .gpu; bundle ONLY_MIXERS =
#   delta_rule;gated_delta_rule;kda;gated_delta_rule2;rwkv7)
. bench/results/2026-11-27-s16/common.sh
variant_tests '*Dplr.*kda*:*Dplr.*gated_delta_rule2*:*DplrStateRoundTrip.*' 300
echo "== ncu sc"; ncu_times kda cuda-sm90/sc
for i in 1 2; do
  .gpu/bin/seqmix-bench --device cuda --rows kda,gated_delta_rule2 \
      --variant cuda-sm90/k64,cuda-sm90/sc,cuda-sm90/k64bh16,cuda-sm90/scbh --repeats 10 --min-time 0.1 \
      --json "$OUT/rows$i.json" > "$OUT/rows$i.txt" 2>&1
  echo "== rows $i"; python3 bench/results/2026-11-27-s10/table.py "$OUT/rows$i.json"
done
