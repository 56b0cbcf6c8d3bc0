#!/usr/bin/env bash
# Session 21's sixth device call: monarch (channel axis, m = 32) with a token tile per block, x, u
# and z staged in shared memory and each thread's products in registers (candidates m32: 4 tokens,
# 4 x 4 a thread; m32t2: 2 tokens; m32r8: 8 x 4 a thread, 128 threads); tests, rows beside einsum.
#   run: bash bench/results/2026-11-28-s21/call_s21f.sh   (carry .gpu; build: ONLY_MIXERS="monarch;monarch_seq")
. bench/results/2026-11-28-s21/common.sh
variant_tests '*Monarch*cuda*' 200
mix_rows monarch,monarch_seq cuda-sm90/default,cuda-sm90/m32,cuda-sm90/m32t2,cuda-sm90/m32r8 monarch
