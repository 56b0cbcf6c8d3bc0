#!/usr/bin/env bash
# Session 16's third device call: exp_approx candidates (explicit copies of the shipped files with
# the param) on the delta-rule / RWKV-7 steps (v32x), the scalar-decay chunked bucket (tiledx) and
# the sequential LSTM / GRU (defx), each beside the same schedule without it; their kernel tests.
#   run: bash bench/results/2026-11-27-s16/call_s16c.sh   (carry .gpu; candidates/ copied into
#   schedules/cuda-sm90 for the bundle build)
. bench/results/2026-11-27-s16/common.sh
s=cuda-sm90
for r in delta_rule_step gated_delta_rule_step kda_step gated_delta_rule2_step rwkv7_step; do
  vrows $r $s/v32,$s/v32x
done
vrows simple_gla $s/default,$s/tiled,$s/tiledx
vrows retention $s/tiled,$s/tiledx
vrows lstm $s/default,$s/defx 3
vrows gru $s/default,$s/defx 3
variant_tests '*cuda_sm90_v32x*:*cuda_sm90_tiledx*:*cuda_sm90_defx*' 300
