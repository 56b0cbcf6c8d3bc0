#!/usr/bin/env bash
# Session 21's fifth device call: the committed token_mix files (tileu + causal == 0 specialised,
# the default of both CUDA targets): every CUDA token_mix test, then the dispatched rows and the
# sm80 default beside cuBLAS, twice.
#   run: bash bench/results/2026-11-28-s21/call_s21e.sh   (carry .gpu; build: ONLY_MIXERS=token_mix)
. bench/results/2026-11-28-s21/common.sh
variant_tests '*TokenMix*cuda*' 200
for i in 1 2; do mix_rows token_mix dispatch,cuda-sm80/default "token_mix_$i"; done
