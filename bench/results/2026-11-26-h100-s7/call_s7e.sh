#!/usr/bin/env bash
# Session 7, call E: why LongConvLong fails on the H100 after the two-factor twiddle (call D).
set -u
cd "$(dirname "$0")/.."
bash .gpu/unpack.sh > /dev/null
for i in 1 2; do
timeout 120 .gpu/bin/seqmix_kernel_tests --gtest_filter='Shapes/LongConvLong.*cuda_sm90_fft16384*:Shapes/LongConv.*cuda_sm90_fft16384*' 2>&1 | grep -E "OK|FAILED|rel_rms|worst|Failure" | cut -c1-300 | head -40
done
