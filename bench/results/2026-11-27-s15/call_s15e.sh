#!/usr/bin/env bash
# Session 15's fifth device call: the kd splits shifted inwards (call d's stmt: a GuardWithIf
# kd tail on a thread dim puts each of the unrolled loads in an if of its own): gla_step and
# scalar_decay_step @ds (the default so), @f32s / @f32s4 (call a's f32 / f32r4 so), dplr_step and
# rwkv7_step @v32s (v32 so), beside the defaults and v32; rows twice.
#   run: bash bench/results/2026-11-27-s15/call_s15e.sh   (carry .gpu; call a's build with the
#   shipped v32 files and these candidates in schedules/cuda-sm90/)
. bench/results/2026-11-27-s15/common.sh
rows gla_step cuda-sm90/default,cuda-sm90/ds,cuda-sm90/f32s,cuda-sm90/f32s4 2
for r in linear_attn_step retention_step simple_gla_step; do
  rows $r cuda-sm90/default,cuda-sm90/v32,cuda-sm90/ds,cuda-sm90/f32s,cuda-sm90/f32s4 2
done
for r in delta_rule_step gated_delta_rule_step kda_step gated_delta_rule2_step rwkv7_step; do rows $r cuda-sm90/v32,cuda-sm90/v32s 2; done
# the candidates outside their domain (V < 32 for f32s*, v32s; K < 16 for ds) fail by design
step_tests 300 'V16.*_(f32s|f32s4|ds|v32s)'
