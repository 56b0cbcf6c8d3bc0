#!/usr/bin/env bash
# Session 6, call C: the promoted step schedules (gla_step, scalar_decay_step, ssd_step defaults)
# and the next candidates (@wide, selective_scan_step@rfactor): kernel tests of every sm90 step
# variant, timings beside each other twice, ncu kernel durations of gla_step.
set -u
cd "$(dirname "$0")/.."
bash .gpu/unpack.sh > /dev/null
mkdir -p $OUT/c
nvidia-smi --query-gpu=name --format=csv,noheader
timeout 150 .gpu/bin/seqmix_kernel_tests --gtest_filter='*Step*cuda_sm90_*' > $OUT/c/kernel_tests.txt 2>&1
echo "kernel tests rc=$?"; grep -E "^\[  (PASSED|FAILED)|tests ran" $OUT/c/kernel_tests.txt; grep -E "^\[  FAILED" $OUT/c/kernel_tests.txt | head
for run in 1 2; do
  timeout 90 .gpu/bin/seqmix-bench --device cuda --rows gla_step,linear_attn_step,retention_step,simple_gla_step,ssd_step,selective_scan_step \
      --variant cuda-sm90/default,cuda-sm90/wide,cuda-sm90/rfactor --repeats 30 --min-time 0.05 \
      --json $OUT/c/bench_$run.json > $OUT/c/bench_$run.txt 2>&1
  echo "bench $run rc=$?"; grep -E "ceilings|step" $OUT/c/bench_$run.txt | cut -c1-250
done
timeout 60 ncu --clock-control none --metrics gpu__time_duration.sum --csv -k regex:'_kernel_' \
    .gpu/bin/seqmix-bench --device cuda --variant cuda-sm90/default,cuda-sm90/wide --rows gla_step,selective_scan_step --no-check --repeats 3 --min-time 0 --warmup 1 \
    > $OUT/c/ncu.csv 2> $OUT/c/ncu.err
echo "ncu rc=$?"
