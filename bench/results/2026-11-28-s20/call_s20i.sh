#!/usr/bin/env bash
# Session 20's ninth device call: chunked GLA (cuda-sm90) candidates after call h: g2 (q_inter and
# k_sub staged) with attn_diag on sub_chunk x 64 threads (g4: its 16 x 16 block kept 4 of 16 key
# columns busy), + its q and gcum rows staged (g5), g2 + k_state staged for kv (g6), both (g7);
# beside the shipped tiled bucket, same run; then the CUDA GLA tests.
#   run: bash bench/results/2026-11-28-s20/call_s20i.sh   (carry .gpu; build: ONLY_MIXERS=gla)
. bench/results/2026-11-27-s16/common.sh
vrows gla "cuda-sm90/tiled,cuda-sm90/g2,cuda-sm90/g4,cuda-sm90/g5,cuda-sm90/g6,cuda-sm90/g7" 5
ncu_times gla cuda-sm90/g7
variant_tests '*Gla*cuda_sm90*:*gla*cuda_sm90*' 300
