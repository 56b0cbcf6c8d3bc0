#!/usr/bin/env bash
# Session 23's first device call: decode_attention with qk's K-dot accumulated in registers for the
# group's 4 query heads (qk_lanes in a Register tile computed at qk_tile's key block, qk_tile the
# shared lane tile; one K load serves 4 heads): candidates v4r (8 kd blocks unrolled) and v4s (4),
# their CUDA tests, then the rows beside v4.
#   run: bash bench/results/2026-11-28-s23/call_s23a.sh   (carry .gpu; build: ONLY_MIXERS = decode_attention)
. bench/results/2026-11-28-s23/common.sh
variant_tests '*Decode*cuda_sm90_v4*' 300
.gpu/bin/seqmix-bench --device cuda --rows decode_attention --variant cuda-sm90/v4,cuda-sm90/v4r,cuda-sm90/v4s --repeats 5 \
    --min-time 0.05 --json "$OUT/decode_attention.json" > "$OUT/decode_attention.txt" 2>&1
python3 bench/results/2026-11-27-s10/table.py "$OUT/decode_attention.json"
