#!/usr/bin/env bash
# Session 12's second device call: decode_attention's o_part with 4 value columns per thread (call
# a's `ov`, now `v4`) and its variations as explicit buckets: v4k16 (16 keys unrolled), v8 (8
# columns), v4p256 (256-key partitions), longv4 (bucket long with v4's o_part), and cuda-sm80/v4;
# their kernel tests, the decode rows beside the defaults and long, and ncu's per-kernel split of v4.
#   run: bash bench/results/2026-11-27-s12/call_s12b.sh   (carry .gpu)
. bench/results/2026-11-27-s10/common.sh
kernel_tests '*Decode*cuda_sm*'
rows decode_attention cuda-sm90/default,cuda-sm90/v4,cuda-sm90/v4k16,cuda-sm90/v8,cuda-sm90/v4p256,cuda-sm90/long,cuda-sm90/longv4,cuda-sm80/default,cuda-sm80/v4 1
ncu_times decode_attention cuda-sm90/v4
