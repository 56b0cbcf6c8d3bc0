#!/usr/bin/env bash
# Session 11's second device call: the promoted files (lanes16 = v1uk with the combine o_acc over
# (query row, kv head, batch) blocks and 4 partitions unrolled; default = the previous default's qk
# with v1u's o_part and the same o_acc) beside the previous default (`og`) and v1uk (the old
# o_acc): kernel tests of every sm90 decode variant, the rows twice, ncu's per-kernel times of lanes16.
#   run: bash bench/results/2026-11-27-s11/call_s11b.sh   (carry .gpu)
. bench/results/2026-11-27-s10/common.sh
kernel_tests '*Decode*cuda_sm90*'
rows decode_attention cuda-sm90/og,cuda-sm90/default,cuda-sm90/v1uk,cuda-sm90/lanes16 2
ncu_times decode_attention cuda-sm90/lanes16
