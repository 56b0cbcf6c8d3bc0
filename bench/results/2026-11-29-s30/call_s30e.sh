#!/usr/bin/env bash
# Session 30's device call e: common/dplr.h's mtrans (M_c as a pure alias the state pass reads,
# so that the k64 files stage mtrans.in(state) while mmat itself runs as register tiles) and the
# candidates mt (mmat as 4 x 4 register tiles through mmat.in()), mts (mt with alpha_state staged
# for mmat), mtbh (k64bh16 with mts's change), rwkv7@mts. Every chunked dplr kernel test, then the
# rows twice.
#   run: bash bench/results/2026-11-29-s30/call_s30e.sh   (carry .gpu)
. bench/results/2026-11-27-s16/common.sh
variant_tests '*Dplr.*:*DplrStateRoundTrip.*:*DplrChunkedVsStep.*:*Gdn2Limits.*' 300
for i in 1 2; do
  .gpu/bin/seqmix-bench --device cuda --rows delta_rule,gated_delta_rule,kda,gated_delta_rule2,rwkv7 \
      --variant dispatch,cuda-sm90/mt,cuda-sm90/mts,cuda-sm90/mtbh \
      --repeats 10 --min-time 0.1 --json "$OUT/rows$i.json" > "$OUT/rows$i.txt" 2>&1
  echo "== rows $i"; python3 bench/results/2026-11-27-s10/table.py "$OUT/rows$i.json" | grep -v skipped | cut -c24-140
done
