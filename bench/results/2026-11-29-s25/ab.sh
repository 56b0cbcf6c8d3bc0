#!/usr/bin/env bash
# The CPU A/B of this session: one gla pipeline from each of two schedule roots, called alternately
# in one process (ab.cpp), best / median of N calls each and the outputs' max difference.
#   bash bench/results/2026-11-29-s25/ab.sh ROOT_A ROOT_B [N] [T] [BUCKET]
# e.g. ROOT_A = a `git archive OLD schedules` extracted, ROOT_B = schedules. GA=GENERATOR builds
# pipeline A with another generator binary (a copy of build-dev/generators/seqmix_generators from an
# older commit, for generator changes); TGT=x86-64-linux-avx2-fma-f16c for the AVX2 files.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
gen="$root/build-dev/generators/seqmix_generators"
inc="$root/.venv/lib/python3.11/site-packages/halide/include"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
tgt="${TGT:-x86-64-linux-avx512_skylake}"
"${GA:-$gen}" -g gla -f gla_A -e c_header,object -o "$work" target="$tgt" schedules="$1" bucket="${5:-d64}" 2>&1 | grep -v meaningless || true
"$gen" -g gla -f gla_B -e c_header,object -o "$work" target="$tgt-no_runtime" schedules="$2" bucket="${5:-d64}" 2>&1 | grep -v meaningless || true
cp "$work/gla_A.h" "$work/A.h"
cp "$work/gla_B.h" "$work/B.h"
g++ -O2 -std=c++17 "$here/ab.cpp" "$work/gla_A.o" "$work/gla_B.o" -I"$inc" -I"$work" -lpthread -ldl -o "$work/ab"
HL_NUM_THREADS=2 "$work/ab" "${3:-60}" "${4:-4096}"
