#!/usr/bin/env bash
# Session 16's fifth device call: ncu's per-kernel times of the committed selective_scan@staged and
# gla_step@v32 (both with exp_approx), to say where their time goes now.
#   run: bash bench/results/2026-11-27-s16/call_s16e.sh   (carry .gpu: call d's bundle)
. bench/results/2026-11-27-s16/common.sh
ncu_times selective_scan cuda-sm90/staged
ncu_times gla_step cuda-sm90/v32
