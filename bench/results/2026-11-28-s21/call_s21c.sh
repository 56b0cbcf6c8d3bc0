#!/usr/bin/env bash
# Session 21's third device call: token_mix as a shared-memory GEMM with whole block tiles (the
# algorithm's k_block: the reduction padded, W and x read clamped): candidates tile (64 x 128
# block, 4 x 8 a thread), tileu (its k loop unrolled), tileb (64 x 64, 128 threads), tilec
# (64 x 64, 4 x 4), tiled (128 x 64, 8 x 4); their CUDA tests, then the rows beside cuBLAS.
#   run: bash bench/results/2026-11-28-s21/call_s21c.sh   (carry .gpu; build: ONLY_MIXERS=token_mix)
. bench/results/2026-11-28-s21/common.sh
variant_tests '*TokenMix*cuda_sm90*' 200
mix_rows token_mix cuda-sm90/default,cuda-sm90/tile,cuda-sm90/tileu,cuda-sm90/tileb,cuda-sm90/tilec,cuda-sm90/tiled token_mix
ncu_gemm tileu
