#!/usr/bin/env bash
# Session 22's third device call: one16 (call b's best) with the per-token operands staged at the
# block loop (fs16: the normalised q and k, a, vin and the decay computed once a block instead of
# a key norm and an exp per state element; RWKV-7: its decay) and fs32 (2 row groups of 32); their
# CUDA tests, the rows beside v32 and one16, then ncu's stall reasons of fs16.
#   run: bash bench/results/2026-11-28-s22/call_s22c.sh   (carry .gpu; build: ONLY_MIXERS = the five steps)
. bench/results/2026-11-28-s22/common.sh
variant_tests '*Step*cuda_sm90_fs*:*Step*cuda_sm90_one16*' 400
s=cuda-sm90
for r in delta_rule_step gated_delta_rule_step kda_step gated_delta_rule2_step rwkv7_step; do
  vrows $r $s/v32,$s/one16,$s/fs16,$s/fs32
done
ncu_step kda_step fs16
