#!/usr/bin/env bash
# Session 8, call B: long_conv four-step defaults after call A: each pass's twiddled inputs in
# registers, row passes stored j-innermost and padded, column pass 0 padded, res(c, ...) so that y
# reads only its half, row_pair clamped (call A's inputs-in-registers form had doubled the row pairs
# through bounds inference). Kernel tests of long_conv/lmu, torch.fft peer, ncu split.
exec bash "$(dirname "$0")/call_s8_defaults.sh" b
