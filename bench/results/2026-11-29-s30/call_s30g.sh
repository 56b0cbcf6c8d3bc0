#!/usr/bin/env bash
# Session 30's device call g: rwkv7@mtbh (rwkv7@k64bh16 with rwkv7@k64's mmat register tiles and
# alpha_state staging): its chunked kernel tests, then the rwkv7 rows beside the shipped files twice.
#   run: bash bench/results/2026-11-29-s30/call_s30g.sh   (carry .gpu)
. bench/results/2026-11-27-s16/common.sh
variant_tests '*Dplr.*rwkv7*:*DplrStateRoundTrip.*rwkv7*:*DplrChunkedVsStep.*rwkv7*' 300
for i in 1 2; do
  .gpu/bin/seqmix-bench --device cuda --rows rwkv7 --variant dispatch,cuda-sm90/mtbh \
      --repeats 10 --min-time 0.1 --json "$OUT/rows$i.json" > "$OUT/rows$i.txt" 2>&1
  echo "== rows $i"; python3 bench/results/2026-11-27-s10/table.py "$OUT/rows$i.json" | grep -v skipped | cut -c24-140
done
