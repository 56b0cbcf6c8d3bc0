#!/usr/bin/env bash
# Session 30's device call b: the source groups on CUDA (candidates/, copied into
# schedules/cuda-sm90 for the bundle): g4 = dplr@k64 with source_group = state_source_group = 4,
# gs4 = the state pass grouped only, g4bh = dplr@k64bh16 with both, rwkv7@g4 = rwkv7@k64 with
# both. Their chunked kernel tests, ncu of gated_delta_rule's g4, then the rows twice beside the
# shipped buckets (dispatch).
#   run: bash bench/results/2026-11-29-s30/call_s30b.sh   (carry .gpu)
. bench/results/2026-11-27-s16/common.sh
variant_tests '*Dplr.*_g*:*DplrStateRoundTrip.*_g*:*DplrChunkedVsStep.*_g*:*Gdn2Limits*_g*' 300
echo "== ncu g4"; ncu_times gated_delta_rule cuda-sm90/g4; cp "$OUT/ncu.csv" "$OUT/ncu_g4.csv"
for i in 1 2; do
  .gpu/bin/seqmix-bench --device cuda --rows delta_rule,gated_delta_rule,kda,gated_delta_rule2 \
      --variant dispatch,cuda-sm90/g4,cuda-sm90/gs4,cuda-sm90/g4bh \
      --repeats 10 --min-time 0.1 --json "$OUT/rows$i.json" > "$OUT/rows$i.txt" 2>&1
  echo "== rows $i"; python3 bench/results/2026-11-27-s10/table.py "$OUT/rows$i.json" | grep -v skipped | cut -c24-110
done
.gpu/bin/seqmix-bench --device cuda --rows rwkv7 --variant dispatch,cuda-sm90/g4 --repeats 10 --min-time 0.1 \
    --json "$OUT/rwkv7.json" > "$OUT/rwkv7.txt" 2>&1
echo "== rwkv7"; python3 bench/results/2026-11-27-s10/table.py "$OUT/rwkv7.json" | grep -v skipped | cut -c24-110
