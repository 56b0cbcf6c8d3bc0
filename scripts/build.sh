#!/usr/bin/env bash
# Configures and builds seqmix into build/ (or $SEQMIX_BUILD_DIR) with the project virtualenv's
# CMake and ninja. Extra arguments go to CMake's configure step; $SEQMIX_BUILD_TARGETS, if set,
# names the targets to build (default: all). Idempotent and incremental.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${SEQMIX_BUILD_DIR:-$root/build}"
export PATH="$root/.venv/bin:$PATH"
if [ ! -f "$build/build.ninja" ] || [ $# -gt 0 ]; then
    cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release "$@"
fi
# shellcheck disable=SC2086  # a space-separated list of target names
cmake --build "$build" -j "${SEQMIX_JOBS:-$(nproc)}" ${SEQMIX_BUILD_TARGETS:+--target $SEQMIX_BUILD_TARGETS}
