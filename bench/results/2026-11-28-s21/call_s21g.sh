#!/usr/bin/env bash
# Session 21's seventh device call: monarch@m32 as committed (both CUDA targets) and monarch_seq
# with m = 64 fixed (candidate m64: u = R x one block per (64 channels, k, batch row), R's block
# and x's 64-token slab staged; z = L u one block per (64 channels, i, batch row) written back by
# a scatter over (l, i)); tests, rows beside einsum.
#   run: bash bench/results/2026-11-28-s21/call_s21g.sh   (carry .gpu; build: ONLY_MIXERS="monarch;monarch_seq")
. bench/results/2026-11-28-s21/common.sh
variant_tests '*Monarch*cuda*' 200
mix_rows monarch,monarch_seq dispatch,cuda-sm80/m32,cuda-sm90/default,cuda-sm90/m64 monarch
