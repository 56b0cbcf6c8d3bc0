#!/usr/bin/env bash
# Session 20's first device call: CUDA attention@d64 candidates with K (and Q, V) tiles staged in
# shared memory, transposed and padded, and the block max / sum split over the block's threads,
# beside the shipped d64 and the default, with SDPA in the same session; then the CUDA attention
# kernel tests of every variant.
#   run: bash bench/results/2026-11-28-s20/call_s20a.sh   (carry .gpu; build: ONLY_MIXERS=attention)
. bench/results/2026-11-28-s20/common.sh
attention_rows cuda-sm90/d64,cuda-sm90/s1,cuda-sm90/s3,cuda-sm90/s4,cuda-sm90/s5,cuda-sm90/s6,cuda-sm90/s8,cuda-sm90/s9
variant_tests '*Attention*cuda_sm90*' 300
