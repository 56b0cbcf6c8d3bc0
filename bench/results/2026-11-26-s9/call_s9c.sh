#!/usr/bin/env bash
# Session 9's third device call: selective_scan CUDA candidates (explicit buckets) beside the
# default: `bank` (hs stored token-innermost: the rescan's writes stride chunk + 1 and y_sum's
# reads along the tokens are both free of shared-memory bank conflicts), `bank8` (+ block_d 8),
# `bank64` (+ chunk 64), `bank8c16` (+ block_d 8, chunk 16).
#   run: bash bench/results/2026-11-26-s9/call_s9c.sh   (carry .gpu)
exec bash "$(dirname "$0")/call_s9_candidates.sh" cuda-sm90/default,cuda-sm90/bank,cuda-sm90/bank8,cuda-sm90/bank64,cuda-sm90/bank8c16 "default bank8"
