#!/usr/bin/env bash
# Session 22's first device call: the delta-rule steps (and RWKV-7's) in one kernel: ua, new_state
# and o in one block loop (vd tails rounded up, hence V % 32 == 0): candidates one (q/k norms in
# kernels of their own), onek (the norms at the block loop too: one kernel), onek64 (64 vd a block);
# their CUDA tests, then the rows beside v32 (the shipped bucket), and ncu's kernel times.
#   run: bash bench/results/2026-11-28-s22/call_s22a.sh   (carry .gpu; build: ONLY_MIXERS = the five steps)
. bench/results/2026-11-27-s16/common.sh
variant_tests '*Step*cuda_sm90_one*:*Step*cuda_sm90_v32*' 400
s=cuda-sm90
for r in delta_rule_step gated_delta_rule_step kda_step gated_delta_rule2_step; do
  vrows $r $s/v32,$s/one,$s/onek,$s/onek64
done
vrows rwkv7_step $s/v32,$s/one
ncu_times delta_rule_step $s/v32
ncu_times delta_rule_step $s/one
ncu_times delta_rule_step $s/onek
