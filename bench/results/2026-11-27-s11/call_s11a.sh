#!/usr/bin/env bash
# Session 11's first device call: decode_attention's o_part with one vd per thread and the 4 query
# heads of a group unrolled in the thread (each value row read once per block, 8 keys unrolled:
# `v1u`), and v1u with the K-dot's kd blocks unrolled by 8 (`v1uk`), beside the shipped lanes16
# bucket and default: kernel tests of every sm90 decode variant, the rows twice in one run, then
# ncu's per-kernel times of v1uk.
#   run: bash bench/results/2026-11-27-s11/call_s11a.sh   (carry .gpu)
. bench/results/2026-11-27-s10/common.sh
kernel_tests '*Decode*cuda_sm90*'
rows decode_attention cuda-sm90/default,cuda-sm90/lanes16,cuda-sm90/v1u,cuda-sm90/v1uk 2
ncu_times decode_attention cuda-sm90/v1uk
