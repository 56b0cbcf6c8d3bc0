#!/usr/bin/env bash
# Session 8, call J: call I with every thread of a block computing twiddle entries (call I used one thread dimension):
# kernel tests of long_conv/lmu, torch.fft peer, bench, ncu split.
exec bash "$(dirname "$0")/call_s8_defaults.sh" j
