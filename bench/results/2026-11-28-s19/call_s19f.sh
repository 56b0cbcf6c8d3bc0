#!/usr/bin/env bash
# Session 19's sixth device call: the committed selective_scan files with the bench's new T = 8192
# row (past the staged bucket's T <= 2048): the runtime's pick (dispatch, in the same list) beside
# g1, staged and the default on both CUDA targets.
#   run: bash bench/results/2026-11-28-s19/call_s19f.sh   (carry .gpu; build: ONLY_MIXERS="selective_scan")
. bench/results/2026-11-27-s16/common.sh
vrows selective_scan "dispatch,cuda-sm90/g1,cuda-sm90/staged,cuda-sm90/default,cuda-sm80/g1" 5
