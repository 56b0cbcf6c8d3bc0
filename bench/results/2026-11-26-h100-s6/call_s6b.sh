#!/usr/bin/env bash
# Session 6, call B: the step-kernel schedule candidates (gla_step@rfactor/@unroll4,
# scalar_decay_step@rfactor, ssd_step@rfactor): kernel tests, then timed beside the default, twice.
set -u
cd "$(dirname "$0")/.."
bash .gpu/unpack.sh > /dev/null
mkdir -p $OUT/b
nvidia-smi --query-gpu=name --format=csv,noheader
timeout 150 .gpu/bin/seqmix_kernel_tests --gtest_filter='*rfactor*:*unroll4*' > $OUT/b/kernel_tests.txt 2>&1
echo "kernel tests rc=$?"; grep -E "^\[  (PASSED|FAILED)|tests ran" $OUT/b/kernel_tests.txt; grep -E "^\[  FAILED" $OUT/b/kernel_tests.txt | head
for run in 1 2; do
  timeout 90 .gpu/bin/seqmix-bench --device cuda --rows gla_step,linear_attn_step,retention_step,simple_gla_step,ssd_step \
      --variant cuda-sm90/default,cuda-sm90/rfactor,cuda-sm90/unroll4 --repeats 30 --min-time 0.05 \
      --json $OUT/b/bench_$run.json > $OUT/b/bench_$run.txt 2>&1
  echo "bench $run rc=$?"; grep -E "ceilings|step" $OUT/b/bench_$run.txt | cut -c1-250
done
