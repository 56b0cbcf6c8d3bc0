#!/usr/bin/env bash
# Session 28's device call c: the state pass with blocks of output rows (param
# state_row_block, common/dplr.h): RDom (row in block, source row, block, chunk), a thread's
# block of rows updated for one source row at a time, independent accumulations instead of one
# chain of K dependent global read-modify-writes per row (ncu, call b: the pass took 1.2-1.4 ms of
# a call at 8 and at 64 blocks alike: latency). Candidates (candidates/): rb4, rb8 (dplr@k64 with
# blocks of 4 / 8 rows), rb4bh, rb8bh (dplr@k64bh16 with 4 / 8), rwkv7 rb4, rb4bh. The chunked
# kernel tests, ncu of rb4bh and rb4 (gated_delta_rule), the rows twice.
#   run: bash bench/results/2026-11-29-s28/call_s28c.sh   (carry .gpu; bundle ONLY_MIXERS =
#   delta_rule;gated_delta_rule;kda;gated_delta_rule2;rwkv7)
. bench/results/2026-11-27-s16/common.sh
variant_tests '*Dplr.*:*DplrStateRoundTrip.*' 400
echo "== ncu rb4bh"; ncu_times gated_delta_rule cuda-sm90/rb4bh
cp "$OUT/ncu.csv" "$OUT/ncu_rb4bh.csv"
echo "== ncu rb4"; ncu_times gated_delta_rule cuda-sm90/rb4
for i in 1 2; do
  .gpu/bin/seqmix-bench --device cuda --rows delta_rule,gated_delta_rule,kda,gated_delta_rule2,rwkv7 \
      --variant cuda-sm90/k64,cuda-sm90/rb4,cuda-sm90/rb8,cuda-sm90/k64bh16,cuda-sm90/rb4bh,cuda-sm90/rb8bh \
      --repeats 10 --min-time 0.1 --json "$OUT/rows$i.json" > "$OUT/rows$i.txt" 2>&1
  echo "== rows $i"; grep -E "graph_ms" "$OUT/rows$i.txt" | awk '{print $1, $3, $5, $NF}'
done
