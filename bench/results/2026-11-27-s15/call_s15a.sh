#!/usr/bin/env bash
# Session 15's first device call: the linear-recurrence step kernels with o fused into new_state's
# kernel (o compute_with new_state, all K rows of a vd tile in one block, tails shifted inwards
# along vd): gla_step and scalar_decay_step @f32 / f32r4 / f32r16 / f64 / f64c2, dplr_step and
# rwkv7_step @f32u (ua still its own kernel) beside the defaults; rows twice.
#   run: bash bench/results/2026-11-27-s15/call_s15a.sh   (carry .gpu; a scripts/gpu_bundle.sh build
#   with SEQMIX_ONLY_MIXERS="gla_step;linear_attn_step;retention_step;simple_gla_step;delta_rule_step;
#   gated_delta_rule_step;kda_step;gated_delta_rule2_step;rwkv7_step" and candidates/ in schedules/cuda-sm90/)
. bench/results/2026-11-27-s15/common.sh
f="cuda-sm90/default,cuda-sm90/f32,cuda-sm90/f32r4,cuda-sm90/f32r16,cuda-sm90/f64,cuda-sm90/f64c2"
for r in gla_step linear_attn_step retention_step simple_gla_step; do rows $r $f 2; done
for r in delta_rule_step gated_delta_rule_step kda_step gated_delta_rule2_step rwkv7_step; do rows $r cuda-sm90/default,cuda-sm90/f32u 2; done
# the candidates outside their domain (V < 32 for f32*, V < 64 for f64*) fail by design
step_tests 240 'V16.*f(32|64)|V48.*f64|V33.*f64'
