#!/usr/bin/env bash
# Session 20's third device call (the second with its m_part / l_part update lines): CUDA
# attention@d64 candidates with K (and Q, V) tiles staged in shared memory, transposed and padded,
# and the block max / sum split over the block's threads, beside the shipped d64 and the default,
# with SDPA in the same session; then the CUDA attention kernel tests of every variant.
#   run: bash bench/results/2026-11-28-s20/call_s20c.sh   (carry .gpu; build: ONLY_MIXERS=attention)
. bench/results/2026-11-28-s20/common.sh
attention_rows cuda-sm90/d64,cuda-sm90/s3,cuda-sm90/s18,cuda-sm90/s8,cuda-sm90/s10,cuda-sm90/s11,cuda-sm90/s12,cuda-sm90/s14,cuda-sm90/s16,cuda-sm90/s17
variant_tests '*Attention*cuda_sm90*' 300
ncu_stalls s11 s3
