#!/usr/bin/env bash
# Session 24's first device call: decode_attention's K-dot with the query lanes in registers across
# key blocks (the new q_lane, K == 128): candidates gqaq (two heads a thread), gqaq4 (four) and
# their 1024-key-partition forms, and gqaqo (gqaq with o_part over 4 x 32 threads of a block, a
# shared-memory sum of 4), beside gqa, gqamid and gqalong; their CUDA tests first; then ncu's
# kernel times of one call at the first row for gqa, gqaq, gqaq4, gqaqo.
#   run: bash bench/results/2026-11-29-s24/call_s24a.sh   (carry .gpu; build: ONLY_MIXERS = decode_attention)
. bench/results/2026-11-29-s24/common.sh
variant_tests '*Decode*' 400
decode_rows cuda-sm90/gqa,cuda-sm90/gqaq,cuda-sm90/gqaq4,cuda-sm90/gqaqo,cuda-sm90/gqamid,cuda-sm90/gqalong,cuda-sm90/gqaqlong,cuda-sm90/gqaq4long
ncu_first gqa
ncu_first gqaq
ncu_first gqaq4
ncu_first gqaqo
