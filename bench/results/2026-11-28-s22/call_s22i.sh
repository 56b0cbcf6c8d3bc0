#!/usr/bin/env bash
# Session 22's ninth device call: decode_attention@v4 with qk's K-dot over the group's 4 query
# heads in the same thread (v4g: g split by 4 and unrolled inside the key's lanes, one K load for
# four heads; call h found qk L1-bound: 85% L1, 29% DRAM, each K row read once per query head);
# its CUDA tests, then the rows beside v4.
#   run: bash bench/results/2026-11-28-s22/call_s22i.sh   (carry .gpu; build: ONLY_MIXERS = decode_attention)
. bench/results/2026-11-28-s22/common.sh
variant_tests '*Decode*cuda_sm90_v4g*' 200
.gpu/bin/seqmix-bench --device cuda --rows decode_attention --variant cuda-sm90/v4,cuda-sm90/v4g --repeats 5 \
    --min-time 0.05 --json "$OUT/decode_attention.json" > "$OUT/decode_attention.txt" 2>&1
python3 bench/results/2026-11-27-s10/table.py "$OUT/decode_attention.json"
