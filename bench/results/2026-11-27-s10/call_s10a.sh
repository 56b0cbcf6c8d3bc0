#!/usr/bin/env bash
# Session 10's first device call: the step forms with new_state and o/y in one kernel (`fused`:
# o's K-reduction rfactored over 8 threads as in the default; `fused1`: o serial per vd thread),
# explicit buckets beside the two-kernel defaults. Kernel tests of every sm90 step variant built
# (the fused kernels failed on PoCL at V=48, a tail of the 64-wide vd split: checked here on
# CUDA), then each row twice in one run, ncu's per-kernel times, and the decode_attention rows.
# (As run, the call ended with ncu's SpeedOfLight/Occupancy sections over decode_attention, which
# ran past the 600 s limit and returned nothing: not repeated here.)
#   run: bash bench/results/2026-11-27-s10/call_s10a.sh   (carry .gpu)
. bench/results/2026-11-27-s10/common.sh
kernel_tests '*Step*cuda_sm90*'
rows gla_step cuda-sm90/default,cuda-sm90/fused,cuda-sm90/fused1 2
for r in linear_attn_step retention_step simple_gla_step; do
  rows $r cuda-sm90/default,cuda-sm90/fused,cuda-sm90/fused1 2
done
rows ssd_step cuda-sm90/default,cuda-sm90/fused 2
for rv in gla_step:fused gla_step:fused1 gla_step:default ssd_step:fused ssd_step:default; do
  echo "$rv"; ncu_times ${rv%%:*} cuda-sm90/${rv##*:}
done
rows decode_attention all 1
