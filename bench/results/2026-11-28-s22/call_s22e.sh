#!/usr/bin/env bash
# Session 22's fifth device call: the lessons of the fused delta-rule step on gla_step (gd: v32 +
# the decay exp(g) computed once a block; gd16: 4 row groups of 16; gd16s: gd16 with h and b block
# dims of their own and the vd tails rounded up) and the scalar-decay steps (sd16: gd16s's shape, no
# decay Func: the gate is one scalar); their CUDA tests, then the rows beside v32, twice.
#   run: bash bench/results/2026-11-28-s22/call_s22e.sh   (carry .gpu; build: ONLY_MIXERS = gla_step + the scalar-decay steps)
. bench/results/2026-11-28-s22/common.sh
variant_tests '*Step*cuda_sm90_gd*:*Step*cuda_sm90_sd16*' 400
s=cuda-sm90
step_rows $s/v32,$s/gd,$s/gd16,$s/gd16s $s/v32,$s/sd16
