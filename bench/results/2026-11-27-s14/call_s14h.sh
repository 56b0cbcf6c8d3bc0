#!/usr/bin/env bash
# Session 14's eighth device call: ssd_step@n128's neighbours, r8s8 (8 rows a thread, one warp a
# block) and r4s4 (4 rows a block, one warp), beside n128 and the default; CUDA ssd_step tests
# (the explicit candidates fail outside their shapes), rows twice.
#   run: bash bench/results/2026-11-27-s14/call_s14h.sh   (carry .gpu)
. bench/results/2026-11-27-s10/common.sh
kernel_tests '*SsdStep*cuda*' | grep -v "r8s8\|r4s4" | head -8
rows ssd_step cuda-sm90/default,cuda-sm90/n128,cuda-sm90/r8s8,cuda-sm90/r4s4 2
