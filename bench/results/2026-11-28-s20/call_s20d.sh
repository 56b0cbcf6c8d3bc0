#!/usr/bin/env bash
# Session 20's fourth device call (m_part / l_part with u on thread x: 128 threads a block, not
# 256), and d128 candidates (the new B1_T4096_H32_K128_V128 row): CUDA attention candidates with K
# (and Q, V) tiles staged in shared memory, transposed and padded, and the block max / sum split
# over the block's threads, beside the shipped d64 and the default, with SDPA in the same session;
# then the CUDA attention kernel tests of every variant.
#   run: bash bench/results/2026-11-28-s20/call_s20d.sh   (carry .gpu; build: ONLY_MIXERS=attention)
. bench/results/2026-11-28-s20/common.sh
attention_rows cuda-sm90/d64,cuda-sm90/s3,cuda-sm90/s18,cuda-sm90/s10,cuda-sm90/s11,cuda-sm90/s12,cuda-sm90/s16,cuda-sm90/s17,cuda-sm90/s19,cuda-sm90/d128,cuda-sm90/t1,cuda-sm90/t2,cuda-sm90/t3
variant_tests '*Attention*cuda_sm90*' 300
ncu_stalls s11 s19
