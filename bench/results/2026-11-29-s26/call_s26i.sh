#!/usr/bin/env bash
# Session 26's device call i: rwkv7@k64 beside the explicit candidate k64t (its l_aa, l_ak, l_qa,
# l_qk, kv, u, o_inter and o_intra as 4 x 4 register tiles, as dplr@k64's): rwkv7's chunked kernel
# tests, then its rows twice.
#   run: bash bench/results/2026-11-29-s26/call_s26i.sh   (carry .gpu; bundle ONLY_MIXERS =
#   delta_rule;gated_delta_rule;kda;gated_delta_rule2;rwkv7)
. bench/results/2026-11-27-s16/common.sh
variant_tests '*Dplr.*rwkv7*:*DplrLong.*rwkv7*:*DplrStateRoundTrip.*rwkv7*' 300
for i in 1 2; do
  .gpu/bin/seqmix-bench --device cuda --rows rwkv7 --variant cuda-sm90/k64,cuda-sm90/k64t --repeats 10 --min-time 0.1 \
      --json "$OUT/rows$i.json" > "$OUT/rows$i.txt" 2>&1
  echo "== rows $i"; python3 bench/results/2026-11-27-s10/table.py "$OUT/rows$i.json"
done
