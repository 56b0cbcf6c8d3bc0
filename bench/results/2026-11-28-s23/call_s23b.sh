#!/usr/bin/env bash
# Session 23's second device call: call a's register tiles without ptxas spills under the 64-register
# cap (v4r spilled 40 bytes, v4s 56): v4t (2 heads a thread, 8 kd blocks unrolled), v4u (2 heads,
# 4 kd), v4w (4 heads, 2 kd); their CUDA tests, then the rows beside v4 and v4s.
#   run: bash bench/results/2026-11-28-s23/call_s23b.sh   (carry .gpu; build: ONLY_MIXERS = decode_attention)
. bench/results/2026-11-28-s23/common.sh
variant_tests '*Decode*cuda_sm90_v4[tuw]*' 300
decode_rows cuda-sm90/v4,cuda-sm90/v4s,cuda-sm90/v4t,cuda-sm90/v4u,cuda-sm90/v4w
