#!/usr/bin/env bash
# Session 29's device call b: call a's swv and swvbh with the state pass's M_c staging on the same
# thread layout as the pass (16 x K threads, 4 x K for swvbh: call a's 64 x 64 block failed to
# launch), and rwkv7@swv / @swvbh (the same changes on rwkv7@k64): their chunked kernel tests,
# ncu of gated_delta_rule's sw and swv, then the rows twice.
#   run: bash bench/results/2026-11-29-s29/call_s29b.sh   (carry .gpu; bundle as call a)
. bench/results/2026-11-27-s16/common.sh
variant_tests '*Dplr.*swv*:*DplrStateRoundTrip.*swv*:*DplrChunkedVsStep.*swv*' 300
echo "== ncu sw"; ncu_times gated_delta_rule cuda-sm90/sw; cp "$OUT/ncu.csv" "$OUT/ncu_sw.csv"
echo "== ncu swv"; ncu_times gated_delta_rule cuda-sm90/swv; cp "$OUT/ncu.csv" "$OUT/ncu_swv.csv"
for i in 1 2; do
  .gpu/bin/seqmix-bench --device cuda --rows delta_rule,gated_delta_rule,kda,gated_delta_rule2,rwkv7 \
      --variant cuda-sm90/k64,cuda-sm90/k64bh16,cuda-sm90/swv,cuda-sm90/swvbh --repeats 10 --min-time 0.1 \
      --json "$OUT/rows$i.json" > "$OUT/rows$i.txt" 2>&1
  echo "== rows $i"; python3 bench/results/2026-11-27-s10/table.py "$OUT/rows$i.json" | grep -v skipped
done
