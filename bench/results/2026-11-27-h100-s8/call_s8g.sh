#!/usr/bin/env bash
# Session 8, call G: prod reads the filter spectrum once per value (the index selected, not the value):
# kernel tests of long_conv/lmu, torch.fft peer, bench, ncu split.
exec bash "$(dirname "$0")/call_s8_defaults.sh" g
