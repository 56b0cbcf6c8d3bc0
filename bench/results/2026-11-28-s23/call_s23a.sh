#!/usr/bin/env bash
# Session 23's first device call: decode_attention with qk's K-dot accumulated in registers for the
# group's 4 query heads (qk_lanes in a Register tile computed at qk_tile's key block, qk_tile the
# shared lane tile; one K load serves 4 heads): candidates v4r (8 kd blocks unrolled) and v4s (4),
# their CUDA tests, then the rows beside v4.
#   run: bash bench/results/2026-11-28-s23/call_s23a.sh   (carry .gpu; build: ONLY_MIXERS = decode_attention)
. bench/results/2026-11-28-s23/common.sh
variant_tests '*Decode*cuda_sm90_v4*' 300
decode_rows cuda-sm90/v4,cuda-sm90/v4r,cuda-sm90/v4s
