#!/usr/bin/env bash
# Session 12's fourth device call: the K-dot (qk) with 8 lanes per key (16 loads in flight per
# thread) and with 32 (a warp per key, 4 loads), as explicit buckets on bucket v4's schedule:
# their kernel tests, the decode rows beside v4.
#   run: bash bench/results/2026-11-27-s12/call_s12d.sh   (carry .gpu)
. bench/results/2026-11-27-s10/common.sh
kernel_tests '*Decode*cuda_sm90_l*'
rows decode_attention cuda-sm90/v4,cuda-sm90/l8,cuda-sm90/l32 1
