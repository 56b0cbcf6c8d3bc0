#!/usr/bin/env bash
# Session 9's sixth device call: selective_scan_step with dt (softplus) computed once per channel
# in a kernel of its own (`dtroot`, an explicit bucket then) beside the default, which recomputes
# it for every state element (call e: new_state compute-bound, 79% SM, 12% memory); then
# selective_scan with the new chunk 16 x 8 default, and ncu of both steps.
#   run: bash bench/results/2026-11-26-s9/call_s9f.sh   (carry .gpu)
set -uo pipefail
OUT="${OUT:-/tmp/out}"
mkdir -p "$OUT/logs"
bash .gpu/unpack.sh
.gpu/bin/seqmix_kernel_tests --gtest_filter='*SelectiveScan*cuda_sm*' > "$OUT/logs/cuda.log" 2>&1
grep -E '^\[  (PASSED|FAILED) ' "$OUT/logs/cuda.log"; grep -E '^\[  FAILED  \].*cuda' "$OUT/logs/cuda.log" | sed 's/, where.*//' | sort -u | head
for i in 1 2; do
  .gpu/bin/seqmix-bench --device cuda --rows selective_scan_step --variant cuda-sm90/default,cuda-sm90/dtroot \
      --json "$OUT/step_$i.json" 2>&1 | grep -E '^selective'
done
.gpu/bin/seqmix-bench --device cuda --rows selective_scan --json "$OUT/scan.json" 2>&1 | grep -E '^selective'
for v in default dtroot; do
  ncu --clock-control none --metrics gpu__time_duration.sum --csv .gpu/bin/seqmix-bench --device cuda \
      --rows selective_scan_step --variant cuda-sm90/$v --repeats 1 --min-time 0 --warmup 0 --no-check > "$OUT/ncu_$v.csv" 2>&1
  python3 bench/results/2026-11-26-s9/ncu_sum.py "$OUT/ncu_$v.csv"
done
