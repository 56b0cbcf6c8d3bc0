#!/usr/bin/env bash
# Session 8, call E: the final long_conv defaults (kf_spec tiles of call D taken): kernel tests of
# long_conv/lmu (defaults only, no candidate files), torch.fft peer, bench, ncu split.
exec bash "$(dirname "$0")/call_s8_defaults.sh" e
