#!/usr/bin/env bash
# Session 11's last device call: the shipped files as built (cuda-sm90 decode_attention default =
# call c's `gen`, the bucket lanes16 gone): kernel tests of every CUDA decode_attention variant
# (sm90 default and long, sm80 default), then the decode rows as the runtime dispatches them.
#   run: bash bench/results/2026-11-27-s11/call_s11d.sh   (carry .gpu)
. bench/results/2026-11-27-s10/common.sh
kernel_tests '*Decode*cuda_sm*'
rows decode_attention dispatch 1
