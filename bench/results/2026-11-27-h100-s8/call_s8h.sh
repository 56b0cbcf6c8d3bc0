#!/usr/bin/env bash
# Session 8, call H: long_conv_filter splits the pair spectra in its rows kernel (spec_rows(c2, ...)); kf_spec gathers one value per output:
# kernel tests of long_conv/lmu, torch.fft peer, bench, ncu split.
exec bash "$(dirname "$0")/call_s8_defaults.sh" h
