#!/usr/bin/env bash
# Session 24's fourth device call: skip_by_key = 0 as the generator now has it (the K-dot and o_part
# skip the partitions past the length, l_part sums every key of a partition: prob is 0 past the
# query's position), so a ragged batch no longer computes its empty partitions: gqan, gqamidn,
# gqalongn beside gqa, gqamid, gqalong; every decode_attention CUDA test first.
#   run: bash bench/results/2026-11-29-s24/call_s24d.sh   (carry .gpu; build: ONLY_MIXERS = decode_attention)
. bench/results/2026-11-29-s24/common.sh
variant_tests '*Decode*' 120
decode_rows cuda-sm90/gqa,cuda-sm90/gqan,cuda-sm90/gqamid,cuda-sm90/gqamidn,cuda-sm90/gqalong,cuda-sm90/gqalongn
