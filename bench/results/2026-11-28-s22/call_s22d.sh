#!/usr/bin/env bash
# Session 22's fourth device call: fs16 (call c's best) with the q/k norms computed at the block
# loop too, 8-way parallel sums (fk16: one kernel), and with 64 value columns a block (fw16); their
# CUDA tests, then the rows beside v32 and fs16, each twice (interleaved).
#   run: bash bench/results/2026-11-28-s22/call_s22d.sh   (carry .gpu; build: ONLY_MIXERS = the five steps)
. bench/results/2026-11-27-s16/common.sh
variant_tests '*Step*cuda_sm90_f*' 400
s=cuda-sm90
for i in 1 2; do
  for r in delta_rule_step gated_delta_rule_step kda_step gated_delta_rule2_step; do
    vrows $r $s/v32,$s/fs16,$s/fk16,$s/fw16
  done
  vrows rwkv7_step $s/v32,$s/fs16,$s/fw16
done
