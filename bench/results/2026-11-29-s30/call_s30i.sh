#!/usr/bin/env bash
# Session 30's device call i: the long-T dplr kernel tests (T = 4096 and 8192, decays near 0 and
# 1) of every CUDA variant, on the final bundle.
#   run: bash bench/results/2026-11-29-s30/call_s30i.sh   (carry .gpu)
. bench/results/2026-11-27-s16/common.sh
variant_tests '*DplrLong*' 400
