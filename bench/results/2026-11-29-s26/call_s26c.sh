#!/usr/bin/env bash
# Session 26's device call c: ssd's CUDA bucket `staged` (N == 128: q_inter, the chunk's Bm rows
# for qk and k_state staged in shared memory) and the explicit candidate st32q (chunk 32, qk's Cm
# rows staged too) beside `tiled`: ssd's CUDA kernel tests, ncu's per-kernel times of staged, then
# ssd's rows twice.
#   run: bash bench/results/2026-11-29-s26/call_s26c.sh   (carry .gpu; bundle ONLY_MIXERS =
#   ssd;ssd_step;ssd_bidirectional, st32q in schedules/cuda-sm90 at the time)
. bench/results/2026-11-27-s16/common.sh
variant_tests '*Ssd.*:*SsdLong.*:*SsdStateRoundTrip.*:*SsdChunkedVsStep.*' 300
echo "== ncu staged"; ncu_times ssd cuda-sm90/staged
for i in 1 2; do
  .gpu/bin/seqmix-bench --device cuda --rows ssd --variant cuda-sm90/tiled,cuda-sm90/staged,cuda-sm90/st32q,dispatch \
      --repeats 20 --min-time 0.2 --json "$OUT/rows$i.json" > "$OUT/rows$i.txt" 2>&1
  echo "== rows $i"; python3 bench/results/2026-11-27-s10/table.py "$OUT/rows$i.json"
done
