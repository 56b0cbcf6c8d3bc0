#!/usr/bin/env bash
# Session 20's fifth device call: the staging splits follow the block (block_s / sr x block_t / tr
# threads); d64 around s12 (block_t 16), d128 around t3 (K staged, block_t 16); SDPA in the same
# session, then the CUDA attention tests of every variant.
#   run: bash bench/results/2026-11-28-s20/call_s20e.sh   (carry .gpu; build: ONLY_MIXERS=attention)
. bench/results/2026-11-28-s20/common.sh
attention_rows cuda-sm90/d64,cuda-sm90/s12,cuda-sm90/s20,cuda-sm90/s21,cuda-sm90/d128,cuda-sm90/t3,cuda-sm90/t5,cuda-sm90/t7
variant_tests '*Attention*cuda_sm90*' 300
ncu_stalls s12
