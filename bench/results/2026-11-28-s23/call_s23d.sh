#!/usr/bin/env bash
# Session 23's fourth device call: bucket gqa's qk with consecutive keys in each thread as well, so
# one q load serves several keys (gqa loads q once per key and head: two loads of q per load of K):
# k4a (4 keys x 2 heads a thread, 4 kd blocks unrolled), k4b (8 kd blocks; ptxas: 4 bytes of
# spills), k2b (2 keys x 2 heads, 4 kd; 1024 threads a block), g4k4 (4 keys x 4 heads, 2 kd;
# 20 bytes of spills); their CUDA tests, then the rows beside gqa.
#   run: bash bench/results/2026-11-28-s23/call_s23d.sh   (carry .gpu; build: ONLY_MIXERS = decode_attention)
. bench/results/2026-11-28-s23/common.sh
variant_tests '*Decode*cuda_sm90_k4a*:*Decode*cuda_sm90_k4b*:*Decode*cuda_sm90_k2b*:*Decode*cuda_sm90_g4k4*' 300
decode_rows cuda-sm90/gqa,cuda-sm90/k4a,cuda-sm90/k4b,cuda-sm90/k2b,cuda-sm90/g4k4
