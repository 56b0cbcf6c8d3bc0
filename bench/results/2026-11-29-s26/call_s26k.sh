#!/usr/bin/env bash
# Session 26's device call k: dplr@k64 and rwkv7@k64 beside the explicit candidates k64x (the state
# pass's sum over kd2 unrolled by 8, so that a thread's loads of S_c are in flight together): the
# chunked kernel tests, ncu of gated_delta_rule's k64x, then the five mixers' rows twice.
#   run: bash bench/results/2026-11-29-s26/call_s26k.sh   (carry .gpu; bundle ONLY_MIXERS =
#   delta_rule;gated_delta_rule;kda;gated_delta_rule2;rwkv7)
. bench/results/2026-11-27-s16/common.sh
variant_tests '*Dplr.*:*DplrStateRoundTrip.*' 300
echo "== ncu k64x"; ncu_times gated_delta_rule cuda-sm90/k64x
for i in 1 2; do
  .gpu/bin/seqmix-bench --device cuda --rows delta_rule,gated_delta_rule,kda,gated_delta_rule2,rwkv7 \
      --variant cuda-sm90/k64,cuda-sm90/k64x --repeats 10 --min-time 0.1 --json "$OUT/rows$i.json" > "$OUT/rows$i.txt" 2>&1
done
python3 -c "
import json
for f in ['$OUT/rows1.json', '$OUT/rows2.json']:
    for r in json.load(open(f))['rows']:
        print(r['mixer'], r['variant'].split('/')[1], r['shape'][:6], round(r['extra']['graph_ms'], 2), r['check']['ok'])" | sort | paste - -
