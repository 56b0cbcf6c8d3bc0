#!/usr/bin/env bash
# Session 9's third device call: selective_scan CUDA candidates (explicit buckets) beside the
# default: `bank` (hs stored token-innermost: the rescan's writes stride chunk + 1 and y_sum's
# reads along the tokens are both free of shared-memory bank conflicts), `bank8` (+ block_d 8),
# `bank64` (+ chunk 64), `bank8c16` (+ block_d 8, chunk 16).
#   run: bash bench/results/2026-11-26-s9/call_s9c.sh   (carry .gpu)
set -uo pipefail
OUT="${OUT:-/tmp/out}"
mkdir -p "$OUT/logs"
bash .gpu/unpack.sh
nvidia-smi -L
.gpu/bin/seqmix_kernel_tests --gtest_filter='*SelectiveScan*cuda_sm90*' > "$OUT/logs/sm90.log" 2>&1
grep -E '^\[  (PASSED|FAILED) ' "$OUT/logs/sm90.log"; grep -E '^\[  FAILED  \].*cuda' "$OUT/logs/sm90.log" | sed 's/, where.*//' | sort -u | head -20
V=cuda-sm90/default,cuda-sm90/bank,cuda-sm90/bank8,cuda-sm90/bank64,cuda-sm90/bank8c16
for i in 1 2; do
  .gpu/bin/seqmix-bench --device cuda --rows selective_scan --variant $V --json "$OUT/cuda_$i.json" 2>&1 | grep -E '^selective'
done
for v in default bank8; do
  ncu --clock-control none --metrics gpu__time_duration.sum --csv .gpu/bin/seqmix-bench --device cuda --rows selective_scan \
      --variant cuda-sm90/$v --repeats 1 --min-time 0 --warmup 0 --no-check > "$OUT/ncu_$v.csv" 2>&1
  python3 bench/results/2026-11-26-s9/ncu_sum.py "$OUT/ncu_$v.csv"
done
