#!/usr/bin/env bash
# Session 16's first device call: exp_approx (every exp in the CUDA kernels as the SFU's ex2.approx,
# generators/common/gpu_math.h) on the exp-heavy kernels, each beside the same schedule without it;
# the selective scan's register-resident candidates (r8/r12/c8: one thread a (chunk, channel)); then
# the kernel tests of every candidate variant.
#   run: bash bench/results/2026-11-27-s16/call_s16a.sh   (carry .gpu: candidates/ copied into
#   schedules/cuda-sm90 for the bundle build)
. bench/results/2026-11-27-s16/common.sh
s=cuda-sm90
vrows selective_scan $s/default,$s/defx,$s/staged,$s/stagedx,$s/r8,$s/r8x,$s/r12x,$s/c8,$s/c8x
vrows ssd $s/default,$s/tiled,$s/tiledx
vrows gla $s/default,$s/defx,$s/tiled,$s/tiledx
vrows kda $s/default,$s/defx 3
vrows gla_step $s/v32,$s/v32x
vrows ssd_step $s/n128,$s/n128x
vrows selective_scan_step $s/n16,$s/n16x
vrows attention $s/d64,$s/d64x 3
variant_tests '*stagedx*:*defx*:*tiledx*:*d64x*:*v32x*:*n128x*:*n16x*:*_r8*:*_r12x*:*_c8*' 240
