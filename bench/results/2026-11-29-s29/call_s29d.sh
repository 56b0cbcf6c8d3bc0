#!/usr/bin/env bash
# Session 29's device call d: call c's winner swbhcu (sw with column_updates = 1 and k64bh16's
# state pass) beside swcu (the same with k64's state pass), and the blocked substitutions of the
# new algorithm param sub_block = 16 (common/dplr.h: four Funcs a substitution, each gathering
# the earlier blocks' rows and then substituting its own 16): swb (row order), swbcu (column
# order inside the blocks), swbbhcu (swbcu with k64bh16's state pass). Their chunked kernel tests,
# ncu of gated_delta_rule's swbcu, then the rows twice.
#   run: bash bench/results/2026-11-29-s29/call_s29d.sh   (carry .gpu; bundle as call a)
. bench/results/2026-11-27-s16/common.sh
variant_tests '*Dplr.*_sw*:*DplrStateRoundTrip.*_sw*:*DplrChunkedVsStep.*_sw*:*Gdn2Limits*_sw*' 300
echo "== ncu swbcu"; ncu_times gated_delta_rule cuda-sm90/swbcu; cp "$OUT/ncu.csv" "$OUT/ncu_swbcu.csv"
for i in 1 2; do
  .gpu/bin/seqmix-bench --device cuda --rows delta_rule,gated_delta_rule,kda,gated_delta_rule2 \
      --variant cuda-sm90/swcu,cuda-sm90/swbhcu,cuda-sm90/swb,cuda-sm90/swbcu,cuda-sm90/swbbhcu \
      --repeats 10 --min-time 0.1 --json "$OUT/rows$i.json" > "$OUT/rows$i.txt" 2>&1
  echo "== rows $i"; python3 bench/results/2026-11-27-s10/table.py "$OUT/rows$i.json" | grep -v skipped | cut -c24-110
done
