#!/usr/bin/env bash
# Session 10's third device call: decode_attention's per-kernel times under ncu (default, lanes_og,
# lanes_u: lanes_og with the per-thread key loops unrolled), the kernel tests of every sm90
# decode variant, and the rows of the three twice in one run.
#   run: bash bench/results/2026-11-27-s10/call_s10c.sh   (carry .gpu)
. bench/results/2026-11-27-s10/common.sh
kernel_tests '*Decode*cuda_sm90*'
for v in default lanes_og lanes_u; do ncu_times decode_attention cuda-sm90/$v; done
rows decode_attention cuda-sm90/default,cuda-sm90/lanes_og,cuda-sm90/lanes_u 2
