#!/usr/bin/env bash
# Session 11's last device call: cuda-sm80's decode_attention files made cuda-sm90's (default and
# bucket long), their cuda_capability_80 PTX run on the lent card, beside the previous sm80
# default (`og80`): kernel tests of every CUDA decode variant, then the sm80 rows.
#   run: bash bench/results/2026-11-27-s11/call_s11f.sh   (carry .gpu)
. bench/results/2026-11-27-s10/common.sh
kernel_tests '*Decode*cuda_sm*'
rows decode_attention cuda-sm80/og80,cuda-sm80/default,cuda-sm80/long 1
