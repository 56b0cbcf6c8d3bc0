#!/usr/bin/env bash
# Session 21's fourth device call: token_mix@tileu with acc's read-modify-write as float4
# (tilev: `vectorize cr`, acc's 4-way bank conflicts of the scalar RMW gone) and tilev with the
# k loop specialised for causal == 0 (tilevs: no per-k predicate); tests, rows, ncu of tilevs.
#   run: bash bench/results/2026-11-28-s21/call_s21d.sh   (carry .gpu; build: ONLY_MIXERS=token_mix)
. bench/results/2026-11-28-s21/common.sh
variant_tests '*TokenMix*cuda_sm90_tilev*' 200
mix_rows token_mix cuda-sm90/tileu,cuda-sm90/tilev,cuda-sm90/tilevs token_mix
ncu_gemm tilevs
