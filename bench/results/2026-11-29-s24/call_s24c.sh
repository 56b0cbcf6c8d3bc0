#!/usr/bin/env bash
# Session 24's third device call: the algorithm param skip_past_len = 0 (the K-dot, l_part and o_part
# over every key of a partition, the keys past the length loading the last cached key again, so
# their unrolled loops hold no per-key predicate): gqan, gqamidn, gqalongn beside gqa, gqamid,
# gqalong, and gqaq4n / gqaq4longn (four heads a thread, the query lanes in registers, K == 128);
# every decode_attention CUDA test first.
#   run: bash bench/results/2026-11-29-s24/call_s24c.sh   (carry .gpu; build: ONLY_MIXERS = decode_attention)
. bench/results/2026-11-29-s24/common.sh
variant_tests '*Decode*' 200
decode_rows cuda-sm90/gqa,cuda-sm90/gqan,cuda-sm90/gqaq4n,cuda-sm90/gqamid,cuda-sm90/gqamidn,cuda-sm90/gqalong,cuda-sm90/gqalongn,cuda-sm90/gqaq4longn
