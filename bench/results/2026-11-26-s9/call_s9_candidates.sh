#!/usr/bin/env bash
# The body of session 9's candidate calls (b, c, d): the selective_scan CUDA kernel tests of every
# sm90 variant built, the chunked rows of the variants in $1 (comma-separated) twice in one run,
# and ncu's per-kernel times of each variant in $2 (space-separated).
#   bash bench/results/2026-11-26-s9/call_s9_candidates.sh VARIANTS "NCU_VARIANTS"   (carry .gpu)
set -uo pipefail
OUT="${OUT:-/tmp/out}"
mkdir -p "$OUT/logs"
bash .gpu/unpack.sh
nvidia-smi -L
.gpu/bin/seqmix_kernel_tests --gtest_filter='*SelectiveScan*cuda_sm90*' > "$OUT/logs/sm90.log" 2>&1
grep -E '^\[  (PASSED|FAILED) ' "$OUT/logs/sm90.log"; grep -E '^\[  FAILED  \].*cuda' "$OUT/logs/sm90.log" | sed 's/, where.*//' | sort -u | head -20
for i in 1 2; do
  .gpu/bin/seqmix-bench --device cuda --rows selective_scan --variant "$1" --json "$OUT/cuda_$i.json" 2>&1 | grep -E '^selective'
done
for v in $2; do
  ncu --clock-control none --metrics gpu__time_duration.sum --csv .gpu/bin/seqmix-bench --device cuda --rows selective_scan \
      --variant cuda-sm90/$v --repeats 1 --min-time 0 --warmup 0 --no-check > "$OUT/ncu_$v.csv" 2>&1
  python3 bench/results/2026-11-26-s9/ncu_sum.py "$OUT/ncu_$v.csv"
done
