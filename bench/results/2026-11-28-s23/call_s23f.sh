#!/usr/bin/env bash
# Session 23's sixth device call: bucket gqamid as shipped (gqalong's schedule with 512-key
# partitions for 16K to 64K keys, call e's p512): its CUDA tests (the long decode shapes: 20000
# and 70000 keys, every variant) and the rows that dispatch picks, beside gqa forced.
#   run: bash bench/results/2026-11-28-s23/call_s23f.sh   (carry .gpu; build: ONLY_MIXERS = decode_attention)
. bench/results/2026-11-28-s23/common.sh
variant_tests '*Decode*gqamid*:*DecodeAttentionLong*' 120
decode_rows
