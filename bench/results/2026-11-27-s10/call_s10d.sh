#!/usr/bin/env bash
# Session 10's fourth device call: decode_attention's `lanes_s` (the K-dot's 16 lanes across
# threads: a warp reads 16 consecutive kd of two keys, partial sums in shared memory; for
# Tq * H <= 4 * Hkv, where they fit in 34 KB) beside lanes_og and the default: kernel tests of
# every sm90 decode variant, the rows twice in one run, then ncu's per-kernel times of lanes_s.
#   run: bash bench/results/2026-11-27-s10/call_s10d.sh   (carry .gpu)
. bench/results/2026-11-27-s10/common.sh
kernel_tests '*Decode*cuda_sm90*'
rows decode_attention cuda-sm90/default,cuda-sm90/lanes_og,cuda-sm90/lanes_s 2
ncu_times decode_attention cuda-sm90/lanes_s
