#!/usr/bin/env bash
# Session 22's sixth device call: call e's winners beside neighbours: gla_step gd16s vs g16s (no
# staged decay) and gd32s (2 row groups of 32); the scalar-decay steps sd16 vs sd8 / sd32 (8 / 2
# row groups); their CUDA tests, then the rows beside v32, twice.
#   run: bash bench/results/2026-11-28-s22/call_s22f.sh   (carry .gpu; build: ONLY_MIXERS = gla_step + the scalar-decay steps)
. bench/results/2026-11-28-s22/common.sh
variant_tests '*Step*cuda_sm90_g*:*Step*cuda_sm90_sd*' 400
s=cuda-sm90
step_rows $s/v32,$s/gd16s,$s/g16s,$s/gd32s $s/v32,$s/sd16,$s/sd8,$s/sd32
