#!/usr/bin/env bash
# Session 15's sixth device call: the shipped v32 files (gla_step's new, dplr_step's and
# rwkv7_step's with the kd tail shifted inwards; cuda-sm90 and cuda-sm80) beside the defaults,
# the runtime's dispatch, and every CUDA step test.
#   run: bash bench/results/2026-11-27-s15/call_s15f.sh   (carry .gpu; call a's build of the commit)
. bench/results/2026-11-27-s15/common.sh
v="cuda-sm90/default,cuda-sm90/v32,cuda-sm80/default,cuda-sm80/v32"
for r in gla_step linear_attn_step retention_step simple_gla_step delta_rule_step gated_delta_rule_step kda_step gated_delta_rule2_step rwkv7_step; do
  rows $r $v 1
  rows $r dispatch 1
done
step_tests 300
