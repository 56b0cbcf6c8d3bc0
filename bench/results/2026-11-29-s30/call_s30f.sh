#!/usr/bin/env bash
# Session 30's device call f: the shipped files at the end of the session (dplr@k64 = call e's mt,
# dplr@k64bh16 = mtbh, rwkv7@k64 = rwkv7@mts, and their sm80 copies): every chunked dplr kernel
# test, then the dispatched rows and the sm80 copies twice.
#   run: bash bench/results/2026-11-29-s30/call_s30f.sh   (carry .gpu)
. bench/results/2026-11-27-s16/common.sh
variant_tests '*Dplr.*:*DplrStateRoundTrip.*:*DplrChunkedVsStep.*:*Gdn2Limits.*' 300
for i in 1 2; do
  .gpu/bin/seqmix-bench --device cuda --rows delta_rule,gated_delta_rule,kda,gated_delta_rule2,rwkv7 \
      --variant dispatch,cuda-sm80/k64,cuda-sm80/k64bh16 \
      --repeats 10 --min-time 0.1 --json "$OUT/rows$i.json" > "$OUT/rows$i.txt" 2>&1
  echo "== rows $i"; python3 bench/results/2026-11-27-s10/table.py "$OUT/rows$i.json" | grep -v skipped | cut -c24-140
done
