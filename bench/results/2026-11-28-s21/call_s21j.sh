#!/usr/bin/env bash
# Session 21's tenth device call: what the runtime's register cap costs token_mix. The committed
# file (4 x 8 a thread) and candidate t16 (4 x 16, 64 x 128 blocks of 128 threads: 1.8 KB of
# spills a thread at 64 registers, none at 128) under HL_CUDA_JIT_MAX_REGISTERS 64 (the runtime's
# default) and 128 (the runtime leaves a value the user set).
#   run: bash bench/results/2026-11-28-s21/call_s21j.sh   (carry .gpu; build: ONLY_MIXERS=token_mix)
. bench/results/2026-11-28-s21/common.sh
mix_rows token_mix cuda-sm90/default,cuda-sm90/t16 cap64
HL_CUDA_JIT_MAX_REGISTERS=128 mix_rows token_mix cuda-sm90/default,cuda-sm90/t16 cap128
