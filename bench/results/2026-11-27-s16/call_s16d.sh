#!/usr/bin/env bash
# Session 16's fourth device call: the committed exp_approx files: the runtime's dispatch on the
# rows they serve, and every CUDA kernel test of their mixers (both CUDA targets); the LSTM and GRU
# steps with their recurrent dot products unrolled by 8 (candidates u8, u8b1) beside the default.
#   run: bash bench/results/2026-11-27-s16/call_s16d.sh   (carry .gpu)
. bench/results/2026-11-27-s16/common.sh
for r in gla gla_step selective_scan delta_rule_step gated_delta_rule_step kda_step gated_delta_rule2_step rwkv7_step; do
  vrows $r dispatch
done
vrows lstm cuda-sm90/default,cuda-sm90/u8,cuda-sm90/u8b1 2
vrows gru cuda-sm90/default,cuda-sm90/u8,cuda-sm90/u8b1 2
variant_tests '*cuda*' 400
