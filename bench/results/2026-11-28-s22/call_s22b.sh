#!/usr/bin/env bash
# Session 22's second device call: more one-kernel delta-rule / RWKV-7 steps: col (one thread a
# value column, ua and o per thread, no cross-thread sums), col64 (64 columns a block), one16 (4
# row groups of 16), onek2 (one, with the q/k norms as 8-way parallel sums at the block loop);
# their CUDA tests, the rows beside v32 and one, ncu's stall reasons of one and col.
#   run: bash bench/results/2026-11-28-s22/call_s22b.sh   (carry .gpu; build: ONLY_MIXERS = the five steps)
. bench/results/2026-11-28-s22/common.sh
variant_tests '*Step*cuda_sm90_col*:*Step*cuda_sm90_one*' 400
s=cuda-sm90
for r in delta_rule_step gated_delta_rule_step kda_step gated_delta_rule2_step; do
  vrows $r $s/v32,$s/one,$s/col,$s/col64,$s/one16,$s/onek2
done
vrows rwkv7_step $s/v32,$s/one,$s/col,$s/col64,$s/one16
ncu_step delta_rule_step one
ncu_step delta_rule_step col
