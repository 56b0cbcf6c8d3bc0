#!/usr/bin/env bash
# Session 10's second device call: decode_attention candidates (explicit buckets) beside the
# default: `lanes` (each key's K-dot as 8 register lane sums, 8-float loads, instead of a
# one-float-per-iteration sum read-modified-written in global memory), `lanes_vr` (also o_part's
# query rows innermost), `lanes_or` (o_part's key sum in a register via rfactor instead of global
# memory), `lanes_og` (lanes_or with 4 query heads of the group as a second thread dimension);
# ssd_step's `fused` (new_state and y in one kernel: its 67 MB state does not fit the L2). Kernel
# tests of every sm90 variant of both, then each row twice in one run.
#   run: bash bench/results/2026-11-27-s10/call_s10b.sh   (carry .gpu)
. bench/results/2026-11-27-s10/common.sh
kernel_tests '*Decode*cuda_sm90*:*SsdStep*cuda_sm90*'
rows decode_attention cuda-sm90/default,cuda-sm90/lanes,cuda-sm90/lanes_vr,cuda-sm90/lanes_or,cuda-sm90/lanes_og 2
rows ssd_step cuda-sm90/default,cuda-sm90/fused 2
