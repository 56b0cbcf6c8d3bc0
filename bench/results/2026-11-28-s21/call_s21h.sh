#!/usr/bin/env bash
# Session 21's eighth device call: call g's monarch_seq@m64 with y's pure stage (undef) scheduled
# on the GPU (call g: "The host pointer of Output buffer y is null" with device-only buffers);
# its tests, then the row beside einsum.
#   run: bash bench/results/2026-11-28-s21/call_s21h.sh   (carry .gpu; build: ONLY_MIXERS="monarch;monarch_seq")
. bench/results/2026-11-28-s21/common.sh
variant_tests '*Monarch*cuda_sm90_m64*' 200
mix_rows monarch_seq dispatch,cuda-sm90/m64 monarch
