#!/usr/bin/env bash
# Session 10's last device call: the promoted schedules as shipped (cuda-sm90 decode_attention
# default = lanes_og, bucket lanes16 = lanes_s; ssd_step default = fused): kernel tests of every
# CUDA decode and ssd_step variant, then ssd_step as the runtime dispatches it and decode_attention's
# every built variant (the dispatched one among them), once.
#   run: bash bench/results/2026-11-27-s10/call_s10e.sh   (carry .gpu)
. bench/results/2026-11-27-s10/common.sh
kernel_tests '*Decode*cuda_sm*:*SsdStep*cuda_sm*:*Ssd*cuda_sm*'
rows ssd_step dispatch 1
rows decode_attention all 1
