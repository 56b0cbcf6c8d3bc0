#!/usr/bin/env bash
# Runs the CUDA variants of the kernel tests on a GPU host, from the binaries of
# scripts/gpu_bundle.sh (.gpu/bin/), one process per (test suite, CUDA variant group) so that a
# CUDA error in one cannot cost the others; then the runtime tests. Prints one summary line per
# group and writes every process's full log under $1 (default: .gpu/logs).
#   bash scripts/gpu_tests.sh [LOG_DIR] [SUITE_REGEX]
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin="$root/.gpu/bin"
logs="${1:-$root/.gpu/logs}"
suites_re="${2:-.}"
mkdir -p "$logs"
nvidia-smi -L
echo "HL_CUDA_JIT_MAX_REGISTERS=${HL_CUDA_JIT_MAX_REGISTERS:-unset (runtime default)}"

# Test suites (the part of a test name before the first '.': Shapes/Gla, GlaStepCuda, ...).
mapfile -t suites < <("$bin/seqmix_kernel_tests" --gtest_list_tests | grep -v '^ ' | sed 's/\.$//' | grep -E "$suites_re" | sort -u)
# The CUDA variant groups: every test name ends with its variant (_cuda_sm90_tiled, ...).
mapfile -t groups < <("$bin/seqmix_kernel_tests" --gtest_list_tests | grep -oE '_cuda_sm[0-9]+_[A-Za-z0-9]+' | sort -u)
total_fail=0
for suite in "${suites[@]}"; do
    for group in "${groups[@]}" ""; do
        # "" = the suite's tests that name no variant (e.g. GlaStepCuda.RunsOnTheCallersStream).
        if [ -n "$group" ]; then filter="$suite.*${group}*"; else filter="$suite.*:-*_cuda_sm*:*_x86_64*"; fi
        log="$logs/$(echo "${suite}${group:-_plain}" | tr '/' '_').log"
        timeout 300 "$bin/seqmix_kernel_tests" --gtest_filter="$filter" >"$log" 2>&1
        rc=$?
        ran=$(grep -oE '^\[==========\] [0-9]+ tests? from' "$log" | tail -1 | grep -oE '[0-9]+' | head -1)
        [ -z "$ran" ] || [ "$ran" = 0 ] && continue
        passed=$(grep -oE '^\[  PASSED  \] [0-9]+' "$log" | grep -oE '[0-9]+$' || echo 0)
        skipped=$(grep -oE '^\[  SKIPPED \] [0-9]+' "$log" | grep -oE '[0-9]+$' || echo 0)
        failed=$(grep -oE '^\[  FAILED  \] [0-9]+ tests?' "$log" | grep -oE '[0-9]+' | head -1 || echo 0)
        [ "$rc" = 0 ] || [ -n "$failed" ] || failed="crashed(rc=$rc)"
        echo "$suite ${group:-(plain)}: ran $ran, passed ${passed:-0}, skipped ${skipped:-0}, failed ${failed:-0}"
        [ "${failed:-0}" = 0 ] || total_fail=$((total_fail + 1))
    done
done
for t in validation_test dispatch_test c_api_test; do
    [ -x "$bin/$t" ] || continue
    timeout 300 "$bin/$t" >"$logs/$t.log" 2>&1
    echo "$t: rc=$? $(grep -E '^\[  (PASSED|FAILED)' "$logs/$t.log" | tr '\n' ' ')"
done
echo "groups with failures: $total_fail"
