#!/usr/bin/env bash
# Session 20's eighth device call: chunked GLA (cuda-sm90) candidates with the uncoalesced operand
# of a per-chunk product staged in shared memory, transposed and padded, as attention's K: g1
# q_inter for o_inter, g2 + k_sub for attn_off, g3 + attn_off / attn_diag stored query-innermost for
# o_intra; beside the shipped tiled bucket and the default, same run; then the CUDA GLA tests.
#   run: bash bench/results/2026-11-28-s20/call_s20h.sh   (carry .gpu; build: ONLY_MIXERS=gla)
. bench/results/2026-11-27-s16/common.sh
vrows gla "cuda-sm90/tiled,cuda-sm90/g1,cuda-sm90/g2,cuda-sm90/g3,cuda-sm90/default" 5
ncu_times gla cuda-sm90/tiled
ncu_times gla cuda-sm90/g3
variant_tests '*Gla*cuda_sm90*:*gla*cuda_sm90*' 300
