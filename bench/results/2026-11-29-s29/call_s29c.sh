#!/usr/bin/env bash
# Session 29's device call c: sw (call a) beside four more candidates: swbh (sw with k64bh16's
# state pass on 16-column vd tiles), swbhcu (swbh with k64bh16's column_updates = 1), swi (sw with
# vin staged in shared memory for wy_u0 too) and rwkv7@sw / @swbh (dplr@sw's changes on rwkv7):
# their chunked kernel tests, ncu of gated_delta_rule's swi, then the rows twice.
#   run: bash bench/results/2026-11-29-s29/call_s29c.sh   (carry .gpu; bundle as call a)
. bench/results/2026-11-27-s16/common.sh
variant_tests '*Dplr.*_sw*:*DplrStateRoundTrip.*_sw*:*DplrChunkedVsStep.*_sw*' 330
echo "== ncu swi"; ncu_times gated_delta_rule cuda-sm90/swi; cp "$OUT/ncu.csv" "$OUT/ncu_swi.csv"
for i in 1 2; do
  .gpu/bin/seqmix-bench --device cuda --rows delta_rule,gated_delta_rule,kda,gated_delta_rule2,rwkv7 \
      --variant cuda-sm90/k64,cuda-sm90/k64bh16,cuda-sm90/sw,cuda-sm90/swbh,cuda-sm90/swbhcu,cuda-sm90/swi \
      --repeats 10 --min-time 0.1 --json "$OUT/rows$i.json" > "$OUT/rows$i.txt" 2>&1
  echo "== rows $i"; python3 bench/results/2026-11-27-s10/table.py "$OUT/rows$i.json" | grep -v skipped | cut -c24-110
done
