#!/usr/bin/env bash
# Session 26's device call e: two candidates around ssd@staged (kv as 4 x 8 tiles), explicit buckets
# at the time: attn's register tiles 8 j x 4 i on 8 x 16 threads (sa84) and 4 j x 8 i on 16 x 8
# (sa48), the staged Bm rows split to match: their kernel tests, ncu's per-kernel times, then ssd's
# rows twice beside staged.
#   run: bash bench/results/2026-11-29-s26/call_s26e.sh   (carry .gpu; bundle ONLY_MIXERS =
#   ssd;ssd_step;ssd_bidirectional, the candidates in schedules/cuda-sm90 at the time)
. bench/results/2026-11-27-s16/common.sh
variant_tests '*Ssd.*:*SsdStateRoundTrip.*' 300
for v in sa84 sa48; do echo "== ncu $v"; ncu_times ssd cuda-sm90/$v; done
for i in 1 2; do
  .gpu/bin/seqmix-bench --device cuda --rows ssd --variant cuda-sm90/staged,cuda-sm90/sa84,cuda-sm90/sa48 \
      --repeats 20 --min-time 0.2 --json "$OUT/rows$i.json" > "$OUT/rows$i.txt" 2>&1
  echo "== rows $i"; python3 bench/results/2026-11-27-s10/table.py "$OUT/rows$i.json"
done
