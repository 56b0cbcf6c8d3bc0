#!/usr/bin/env bash
# Session 7, call I: the delta-rule and RWKV-7 step kernels (issue 7) with gla_step's schedule
# shape (candidate bucket r4: four kd rows per thread in new_state; ua and o reduced over 8
# threads per vd by rfactor) beside their defaults, same run; kernel tests of both.
set -u
cd "$(dirname "$0")/.."
bash .gpu/unpack.sh > /dev/null
mkdir -p $OUT/i
nvidia-smi --query-gpu=name --format=csv,noheader
timeout 200 bash scripts/gpu_tests.sh $OUT/i/logs 'DplrStep|DplrChunkedVsStep' > $OUT/i/tests.txt 2>&1
echo "tests rc=$?"; grep -E "_r4|failed [1-9]|groups with" $OUT/i/tests.txt | head -20
steps=delta_rule_step,gated_delta_rule_step,kda_step,gated_delta_rule2_step,rwkv7_step
timeout 200 .gpu/bin/seqmix-bench --device cuda --variant cuda-sm90/default,cuda-sm90/r4 --rows $steps,gla_step --repeats 30 --min-time 0.05 \
    --json $OUT/i/bench_steps.json > $OUT/i/bench_steps.txt 2>&1
echo "bench rc=$?"; grep -E "ceilings|_step" $OUT/i/bench_steps.txt | cut -c1-100,150-280
