#!/usr/bin/env bash
# Session 23's third device call: the buckets gqa and gqalong as shipped (call b's v4t, and v4long
# with the same qk): their CUDA tests (every decode_attention test, so dispatch's picks run too),
# then the rows beside v4 and v4long.
#   run: bash bench/results/2026-11-28-s23/call_s23c.sh   (carry .gpu; build: ONLY_MIXERS = decode_attention)
. bench/results/2026-11-28-s23/common.sh
variant_tests '*Decode*' 400
decode_rows cuda-sm90/v4,cuda-sm90/gqa,cuda-sm90/v4long,cuda-sm90/gqalong,cuda-sm90/default
