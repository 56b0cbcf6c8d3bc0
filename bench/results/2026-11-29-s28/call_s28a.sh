#!/usr/bin/env bash
# Session 28's device call a: dplr@k64 and rwkv7@k64 beside three explicit candidates each
# (candidates/): sv16 (the state pass on 16-column vd tiles: 4x the blocks), cu (param
# column_updates = 1: the forward substitutions and the state pass destination-row innermost, so
# that a thread's updates are independent instead of one chain through memory) and cu16 (both):
# the chunked kernel tests of the four delta rules and rwkv7, ncu of the best guess, then the rows
# twice.
#   run: bash bench/results/2026-11-29-s28/call_s28a.sh   (carry .gpu; bundle ONLY_MIXERS =
#   delta_rule;gated_delta_rule;kda;gated_delta_rule2;rwkv7)
. bench/results/2026-11-27-s16/common.sh
variant_tests '*Dplr.*:*DplrStateRoundTrip.*' 330
echo "== ncu k64"; ncu_times gated_delta_rule cuda-sm90/k64
echo "== ncu cu16"; ncu_times gated_delta_rule cuda-sm90/cu16
for i in 1 2; do
  .gpu/bin/seqmix-bench --device cuda --rows delta_rule,gated_delta_rule,kda,gated_delta_rule2,rwkv7 \
      --variant cuda-sm90/k64,cuda-sm90/sv16,cuda-sm90/cu,cuda-sm90/cu16 --repeats 10 --min-time 0.1 \
      --json "$OUT/rows$i.json" > "$OUT/rows$i.txt" 2>&1
  echo "== rows $i"; python3 bench/results/2026-11-27-s10/table.py "$OUT/rows$i.json"
done
