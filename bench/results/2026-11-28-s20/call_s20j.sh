#!/usr/bin/env bash
# Session 20's tenth device call: the shipped gla@staged (cuda-sm90; call i's g7 with its splits as
# expressions of chunk and sub_chunk), what `dispatch` picks, beside gla@tiled, same run; then the
# CUDA GLA kernel tests.
#   run: bash bench/results/2026-11-28-s20/call_s20j.sh   (carry .gpu; build: ONLY_MIXERS=gla)
. bench/results/2026-11-27-s16/common.sh
vrows gla "dispatch,cuda-sm90/staged,cuda-sm90/tiled" 5
variant_tests '*Gla*cuda*:*gla*cuda*' 300
