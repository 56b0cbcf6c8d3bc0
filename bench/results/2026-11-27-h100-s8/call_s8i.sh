#!/usr/bin/env bash
# Session 8, call I: each four-step transform computes its own twiddle tables in the blocks that read them (FourStepTwiddles; 3 kernels less):
# kernel tests of long_conv/lmu, torch.fft peer, bench, ncu split.
exec bash "$(dirname "$0")/call_s8_defaults.sh" i
