#!/usr/bin/env bash
# Session 15's third device call: gla_step with its new `decay` stage (exp(g) per (kd, h, b))
# staged: c1d (at the block, in shared memory) / c1r (a kernel of its own) beside c1 and the
# default; the shipped v32 buckets (scalar_decay_step, dplr_step, rwkv7_step; cuda-sm90 and
# cuda-sm80) and the runtime's dispatch; every CUDA step test.
#   run: bash bench/results/2026-11-27-s15/call_s15c.sh   (carry .gpu; call a's build with the
#   v32 files and gla_step@c1 / c1d / c1r in schedules/cuda-sm90/)
. bench/results/2026-11-27-s15/common.sh
rows gla_step cuda-sm90/default,cuda-sm90/c1,cuda-sm90/c1d,cuda-sm90/c1r 2
v="cuda-sm90/default,cuda-sm90/v32,cuda-sm80/default,cuda-sm80/v32"
for r in linear_attn_step retention_step simple_gla_step delta_rule_step gated_delta_rule_step kda_step gated_delta_rule2_step rwkv7_step; do
  rows $r $v 1
  rows $r dispatch 1
done
# the candidates outside their domain (gla_step's candidates, V < 32) fail by design
step_tests 300 'V16.*_c1'
