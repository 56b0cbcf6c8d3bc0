#!/usr/bin/env bash
# Session 9's second device call: selective_scan CUDA candidates (explicit buckets) beside the
# default in one run: `unroll` (the rescan's token loop unrolled), `staged` (+ the chunk's dt, x dt,
# B_t, C_t staged in shared memory by every thread of the block), `staged8` (block_d 8).
#   run: bash bench/results/2026-11-26-s9/call_s9b.sh   (carry .gpu)
set -uo pipefail
OUT="${OUT:-/tmp/out}"
mkdir -p "$OUT/logs"
bash .gpu/unpack.sh
nvidia-smi -L
.gpu/bin/seqmix_kernel_tests --gtest_filter='*SelectiveScan*cuda_sm90*' > "$OUT/logs/sm90.log" 2>&1
grep -E '^\[  (PASSED|FAILED) ' "$OUT/logs/sm90.log"; grep -E '^\[  FAILED  \].*cuda' "$OUT/logs/sm90.log" | sed 's/, where.*//' | sort -u | head -20
V=cuda-sm90/default,cuda-sm90/unroll,cuda-sm90/staged,cuda-sm90/staged8
for i in 1 2; do
  .gpu/bin/seqmix-bench --device cuda --rows selective_scan --variant $V --json "$OUT/cuda_$i.json" 2>&1 | grep -E '^selective'
done
for v in staged staged8; do
  ncu --clock-control none --metrics gpu__time_duration.sum --csv .gpu/bin/seqmix-bench --device cuda --rows selective_scan \
      --variant cuda-sm90/$v --repeats 1 --min-time 0 --warmup 0 --no-check > "$OUT/ncu_$v.csv" 2>&1
  python3 bench/results/2026-11-26-s9/ncu_sum.py "$OUT/ncu_$v.csv"
done
