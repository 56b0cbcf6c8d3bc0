#!/usr/bin/env bash
# Session 30's device call c: the shipped dplr@k64 / rwkv7@k64 (sm90 and the sm80 copies) with
# source_group = state_source_group = 4, and candidates: g4v32 / g4v16 (the state pass on 32 / 16
# value columns a block: 2 / 4 blocks a head), g8 (groups of 8), gw4bh (k64bh16 with the
# substitutions grouped only), rwkv7@g4v32. Every chunked dplr kernel test (every variant), then
# the rows twice.
#   run: bash bench/results/2026-11-29-s30/call_s30c.sh   (carry .gpu)
. bench/results/2026-11-27-s16/common.sh
variant_tests '*Dplr.*:*DplrStateRoundTrip.*:*DplrChunkedVsStep.*:*Gdn2Limits.*' 400
for i in 1 2; do
  .gpu/bin/seqmix-bench --device cuda --rows delta_rule,gated_delta_rule,kda,gated_delta_rule2 \
      --variant dispatch,cuda-sm90/g4v32,cuda-sm90/g4v16,cuda-sm90/g8,cuda-sm90/gw4bh,cuda-sm80/k64 \
      --repeats 10 --min-time 0.1 --json "$OUT/rows$i.json" > "$OUT/rows$i.txt" 2>&1
  echo "== rows $i"; python3 bench/results/2026-11-27-s10/table.py "$OUT/rows$i.json" | grep -v skipped | cut -c24-140
done
.gpu/bin/seqmix-bench --device cuda --rows rwkv7 --variant dispatch,cuda-sm90/g4v32 --repeats 10 --min-time 0.1 \
    --json "$OUT/rwkv7.json" > "$OUT/rwkv7.txt" 2>&1
echo "== rwkv7"; python3 bench/results/2026-11-27-s10/table.py "$OUT/rwkv7.json" | grep -v skipped | cut -c24-140
