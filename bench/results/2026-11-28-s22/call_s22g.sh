#!/usr/bin/env bash
# Session 22's seventh device call: the SSM steps with this session's lessons: selective_scan_step
# n16 + exp_approx (n16x) and + dt (softplus) computed at the block loop instead of a kernel of its
# own (n16xd); ssd_step n128 with h and b block dims of their own and the vd tails rounded up
# (n128s, P % 4 == 0) and + exp_approx (n128sx); their CUDA tests, then the rows beside the shipped
# buckets, twice.
#   run: bash bench/results/2026-11-28-s22/call_s22g.sh   (carry .gpu; build: ONLY_MIXERS = selective_scan_step;ssd_step)
. bench/results/2026-11-28-s22/common.sh
variant_tests '*Step*cuda_sm90_n16x*:*Step*cuda_sm90_n128s*' 400
s=cuda-sm90
for i in 1 2; do
  vrows selective_scan_step $s/n16,$s/n16x,$s/n16xd
  vrows ssd_step $s/n128,$s/n128s,$s/n128sx
done
