#!/usr/bin/env bash
# Session 21's ninth device call: the committed token_mix, monarch@m32 and monarch_seq@m64 files
# (both CUDA targets): every CUDA test of the three mixers, then the dispatched rows beside the
# peers (cuBLAS sgemm, einsum), twice.
#   run: bash bench/results/2026-11-28-s21/call_s21i.sh   (carry .gpu; build: ONLY_MIXERS="token_mix;monarch;monarch_seq")
. bench/results/2026-11-28-s21/common.sh
variant_tests '*Monarch*cuda*:*TokenMix*cuda*' 300
for i in 1 2; do
  mix_rows token_mix,monarch,monarch_seq dispatch,cuda-sm80/default,cuda-sm80/m32,cuda-sm80/m64 "mixing_$i"
done
