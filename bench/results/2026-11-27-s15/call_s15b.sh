#!/usr/bin/env bash
# Session 15's second device call: one thread a vd column over all K rows (c1: o's K-reduction in
# the thread, o compute_with new_state, one warp a block; c1u16: 16 rows unrolled; c1s: o in a
# kernel of its own), for gla_step and the scalar-decay steps beside the default and call a's f32;
# dplr_step and rwkv7_step @c1u (c1's new_state + o, ua in a kernel of its own, one thread a column)
# beside @f32u and the default; rows twice.
#   run: bash bench/results/2026-11-27-s15/call_s15b.sh   (carry .gpu; call a's build, candidates
#   c1* / f32 / f32u in schedules/cuda-sm90/)
. bench/results/2026-11-27-s15/common.sh
f="cuda-sm90/default,cuda-sm90/f32,cuda-sm90/c1,cuda-sm90/c1u16,cuda-sm90/c1s"
for r in gla_step linear_attn_step retention_step simple_gla_step; do rows $r $f 2; done
for r in delta_rule_step gated_delta_rule_step kda_step gated_delta_rule2_step rwkv7_step; do rows $r cuda-sm90/default,cuda-sm90/f32u,cuda-sm90/c1u 2; done
# the candidates outside their domain (V < 32) fail by design
step_tests 240 'V16.*_(f32|c1)'
