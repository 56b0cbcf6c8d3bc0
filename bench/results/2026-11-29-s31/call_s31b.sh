#!/usr/bin/env bash
# Session 31's device call b: ssd_bidirectional@staged (cuda-sm90 and cuda-sm80: ssd@staged's
# kernels over both directions). Its kernel tests on every CUDA variant, then every CUDA variant's
# row beside ssd's dispatched one, twice.
#   run: bash bench/results/2026-11-29-s31/call_s31b.sh   (carry .gpu)
. bench/results/2026-11-27-s16/common.sh
variant_tests '*SsdBidirectional*-*_x86_64_*' 300
for i in 1 2; do
  .gpu/bin/seqmix-bench --device cuda --rows ssd_bidirectional --variant all --repeats 10 --min-time 0.1 \
      --json "$OUT/bidir_$i.json" > "$OUT/bidir_$i.txt" 2>&1
  .gpu/bin/seqmix-bench --device cuda --rows ssd --variant dispatch --repeats 10 --min-time 0.1 \
      --json "$OUT/ssd_$i.json" > "$OUT/ssd_$i.txt" 2>&1
  echo "== $i"; python3 bench/results/2026-11-27-s10/table.py "$OUT/bidir_$i.json" "$OUT/ssd_$i.json"
done
