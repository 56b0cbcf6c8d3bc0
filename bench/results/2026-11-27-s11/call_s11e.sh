#!/usr/bin/env bash
# Session 11's fifth device call: the cuda-sm90 bucket `long` (when L >= 65536: 1024-key
# partitions, qk in 128-key chunks, the partition loops of m_all and w_sum unrolled by 8) and the
# default with the same unroll: kernel tests of every CUDA decode_attention variant, then the rows
# for the default and long side by side (long is skipped below 64K keys) and as dispatched.
#   run: bash bench/results/2026-11-27-s11/call_s11e.sh   (carry .gpu)
. bench/results/2026-11-27-s10/common.sh
kernel_tests '*Decode*cuda_sm*'
rows decode_attention cuda-sm90/default,cuda-sm90/long 1
