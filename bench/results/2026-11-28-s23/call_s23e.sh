#!/usr/bin/env bash
# Session 23's fifth device call: bucket gqalong's schedule (qk over its partition in 128-key
# chunks) with 256-, 512- and 1024-key partitions below 64K keys (p256, p512, p1024: fewer
# partitions for the statistics and the combine, longer o_part loops), beside gqa's 128; their
# CUDA tests, then the rows.
#   run: bash bench/results/2026-11-28-s23/call_s23e.sh   (carry .gpu; build: ONLY_MIXERS = decode_attention)
. bench/results/2026-11-28-s23/common.sh
variant_tests '*Decode*cuda_sm90_p256*:*Decode*cuda_sm90_p512*:*Decode*cuda_sm90_p1024*' 200
decode_rows cuda-sm90/gqa,cuda-sm90/p256,cuda-sm90/p512,cuda-sm90/p1024
