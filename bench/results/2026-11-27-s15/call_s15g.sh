#!/usr/bin/env bash
# Session 15's seventh device call: the step forms' K-sums over a domain padded to a multiple of 8
# (PaddedSum: no guarded tail when a schedule splits them by 8 or 4): every step row at cuda-sm90's
# default and v32 / n128 and the dispatch, and every step test (CUDA and the AVX-512 CPU variants).
#   run: bash bench/results/2026-11-27-s15/call_s15g.sh   (carry .gpu; call a's build plus ssd_step)
. bench/results/2026-11-27-s15/common.sh
for r in gla_step linear_attn_step retention_step simple_gla_step delta_rule_step gated_delta_rule_step kda_step gated_delta_rule2_step rwkv7_step; do
  rows $r cuda-sm90/default,cuda-sm90/v32 1
done
rows ssd_step cuda-sm90/default,cuda-sm90/n128 1
STEP_FILTER='*Step*' step_tests 400
