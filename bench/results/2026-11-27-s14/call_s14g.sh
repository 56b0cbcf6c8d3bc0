#!/usr/bin/env bash
# Session 14's seventh device call, on the GPU host's AVX-512 Xeon (the build machine lacks
# AVX-512): selective_scan_step with N fixed at 16 (c16x: constant trip counts over n, one zmm
# a state column) beside the x86-64-avx512 default; CPU step tests, rows three times.
#   run: bash bench/results/2026-11-27-s14/call_s14g.sh   (carry .gpu)
. bench/results/2026-11-27-s10/common.sh
lscpu | grep -E "Model name|^CPU\(s\)"
timeout 200 .gpu/bin/seqmix_kernel_tests --gtest_filter='*SelectiveScanStep*avx512*:*SelectiveScanVsStep*avx512*' > "$OUT/tests.log" 2>&1
echo "tests rc=$?"
grep -E '^\[  (PASSED|FAILED) ' "$OUT/tests.log"
grep -E '^\[  FAILED  \]' "$OUT/tests.log" | sed 's/ # GetParam.*//; s/, where.*//' | sort -u | cut -c1-150 | head
for i in 1 2 3; do
  .gpu/bin/seqmix-bench --device cpu --rows selective_scan_step --variant x86-64-avx512/default,x86-64-avx512/c16x \
      --repeats 20 --min-time 0.3 --no-peers --json "$OUT/cpu_$i.json" > "$OUT/cpu_$i.txt" 2>&1
  grep -E "ceilings|selective" "$OUT/cpu_$i.txt" | cut -c1-150
done
