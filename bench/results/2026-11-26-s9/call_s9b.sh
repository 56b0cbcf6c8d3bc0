#!/usr/bin/env bash
# Session 9's second device call: selective_scan CUDA candidates (explicit buckets) beside the
# default in one run: `unroll` (the rescan's token loop unrolled), `staged` (+ the chunk's dt, x dt,
# B_t, C_t staged in shared memory by every thread of the block), `staged8` (block_d 8).
#   run: bash bench/results/2026-11-26-s9/call_s9b.sh   (carry .gpu)
exec bash "$(dirname "$0")/call_s9_candidates.sh" cuda-sm90/default,cuda-sm90/unroll,cuda-sm90/staged,cuda-sm90/staged8 "staged staged8"
