#!/usr/bin/env bash
# Session 26's device call l: gla@staged and scalar_decay@staged beside explicit candidates with
# kv's register tiles 4 vd x 8 kd on 16 x 8 threads (gk8, sk8; ssd@staged's kv gained 2x that
# way): the kernel tests, then gla's and simple_gla's rows twice.
#   run: bash bench/results/2026-11-29-s26/call_s26l.sh   (carry .gpu; bundle ONLY_MIXERS =
#   gla;linear_attn;retention;simple_gla)
. bench/results/2026-11-27-s16/common.sh
variant_tests '*Gla.MatchesReference*:*ScalarDecay.*' 300
for i in 1 2; do
  .gpu/bin/seqmix-bench --device cuda --rows gla,simple_gla \
      --variant cuda-sm90/staged,cuda-sm90/gk8,cuda-sm90/sk8 --repeats 10 --min-time 0.1 --json "$OUT/rows$i.json" > "$OUT/rows$i.txt" 2>&1
done
python3 -c "
import json
for f in ['$OUT/rows1.json', '$OUT/rows2.json']:
    for r in json.load(open(f))['rows']:
        if 'ms' in r: print(r['mixer'], r['variant'].split('/')[1], r['shape'][:6], round(r['extra']['graph_ms'] * 1e3, 1), r['check']['ok'])" | sort | paste - -
