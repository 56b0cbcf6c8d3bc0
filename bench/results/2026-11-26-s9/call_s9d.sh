#!/usr/bin/env bash
# Session 9's fourth device call: selective_scan CUDA chunk length x channels per block, as
# explicit buckets beside the default (chunk 32, block_d 4): c<chunk>b<block_d>.
#   run: bash bench/results/2026-11-26-s9/call_s9d.sh   (carry .gpu)
exec bash "$(dirname "$0")/call_s9_candidates.sh" cuda-sm90/default,cuda-sm90/c16b8,cuda-sm90/c16b16,cuda-sm90/c8b8,cuda-sm90/c8b16,cuda-sm90/c4b16 "c8b16 c4b16"
