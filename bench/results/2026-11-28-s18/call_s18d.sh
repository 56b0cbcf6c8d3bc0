#!/usr/bin/env bash
# Session 18's fourth device call: every CUDA test of attention with the tuned attention@d128
# (cuda-sm90) shipped, the new K = V = 128 cases (T 300, GQA with S > T) among them.
#   run: bash bench/results/2026-11-28-s18/call_s18d.sh   (carry .gpu; build: ONLY_MIXERS=attention)
. bench/results/2026-11-27-s16/common.sh
variant_tests '*Attention*cuda*' 400
grep -E '^\[       OK \].*_Hd?128|K128' "$OUT/tests.log" | grep -oE 'cuda_sm[0-9]+_[a-z0-9]+' | sort | uniq -c
