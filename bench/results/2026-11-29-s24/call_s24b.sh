#!/usr/bin/env bash
# Session 24's second device call: call a's candidates after the K-dot's predicate stopped depending
# on tq (keys l < len; call a's q_lane registers were stored at a run-time offset, into local
# memory): every decode_attention CUDA test, then gqaq and gqaq4 (L < 16K) beside gqa, and gqaqlong
# and gqaq4long (L >= 16K, 1024-key partitions) beside gqamid and gqalong.
#   run: bash bench/results/2026-11-29-s24/call_s24b.sh   (carry .gpu; build: ONLY_MIXERS = decode_attention)
. bench/results/2026-11-29-s24/common.sh
variant_tests '*Decode*' 200
decode_rows cuda-sm90/gqa,cuda-sm90/gqaq,cuda-sm90/gqaq4,cuda-sm90/gqamid,cuda-sm90/gqalong,cuda-sm90/gqaqlong,cuda-sm90/gqaq4long
