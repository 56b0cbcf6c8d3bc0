#!/usr/bin/env bash
# Session 16's second device call: the shipped exp_approx files (gla, gla@tiled, gla_step@v32,
# selective_scan@staged; cuda-sm90 and cuda-sm80) beside the other variants, the runtime's dispatch,
# and their kernel tests; exp_approx on dplr_step@v32 and rwkv7_step@v32 (candidates v32x) beside
# the shipped v32.
#   run: bash bench/results/2026-11-27-s16/call_s16b.sh   (carry .gpu)
. bench/results/2026-11-27-s16/common.sh
vrows gla cuda-sm90/default,cuda-sm90/tiled,cuda-sm80/default,dispatch
vrows gla_step cuda-sm90/default,cuda-sm90/v32,cuda-sm80/v32,dispatch
vrows selective_scan cuda-sm90/staged,cuda-sm80/staged,dispatch
for r in delta_rule_step gated_delta_rule_step kda_step gated_delta_rule2_step rwkv7_step; do
  vrows $r cuda-sm90/v32,cuda-sm90/v32x
done
variant_tests '*Gla*cuda*:*SelectiveScan*cuda*:*Step*cuda_sm90_v32x*' 420
