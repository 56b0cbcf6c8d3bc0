#!/usr/bin/env bash
# Session 26's device call d: two candidates around ssd@staged, explicit buckets at the time (stk8:
# kv's register tiles 4 vd x 8 kd on 16 x 16 threads; stv8: 8 vd x 4 kd on 8 x 32 threads): their
# kernel tests, ncu's per-kernel times, then ssd's rows twice beside staged.
#   run: bash bench/results/2026-11-29-s26/call_s26d.sh   (carry .gpu; bundle ONLY_MIXERS =
#   ssd;ssd_step;ssd_bidirectional, the candidates in schedules/cuda-sm90 at the time)
. bench/results/2026-11-27-s16/common.sh
variant_tests '*Ssd.*:*SsdStateRoundTrip.*' 300
for v in stk8 stv8; do echo "== ncu $v"; ncu_times ssd cuda-sm90/$v; done
for i in 1 2; do
  .gpu/bin/seqmix-bench --device cuda --rows ssd --variant cuda-sm90/staged,cuda-sm90/stk8,cuda-sm90/stv8 \
      --repeats 20 --min-time 0.2 --json "$OUT/rows$i.json" > "$OUT/rows$i.txt" 2>&1
  echo "== rows $i"; python3 bench/results/2026-11-27-s10/table.py "$OUT/rows$i.json"
done
