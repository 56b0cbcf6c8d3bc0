#!/usr/bin/env bash
# The README's second command: installs what is missing, builds, and runs the tests.
#   scripts/test.sh          CI tier: every test but the long ones (the Python package's pytest suite
#                            among them: ctest's python_pytest, seconds); an ASan+UBSan build of the
#                            runtime, the schedule language and a kernel subset; 60 s of fuzzing.
#   scripts/test.sh --long   also the long tier: long-T tests, every kernel test under
#                            ASan+UBSan, and 10 minutes of fuzzing.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
long=0
[ "${1:-}" = "--long" ] && long=1
export PATH="$root/.venv/bin:$PATH"
jobs="${SEQMIX_JOBS:-$(nproc)}"

bash "$root/scripts/setup.sh"

echo "== build (Release) and tests"
bash "$root/scripts/build.sh"
mkdir -p "$root/build/logs"
if [ $long = 1 ]; then
    ctest --test-dir "$root/build" -j "$jobs" --output-on-failure | tee "$root/build/logs/ctest.log"
else
    # `check` of the shipped schedules: the build has just run the generator with every one of them
    # (the same parser, applier and lowering); the ASan tier below checks a sample of them under
    # the sanitizers, the long tier all of them.
    ctest --test-dir "$root/build" -j "$jobs" --output-on-failure -E 'Long|sched_check/' \
        | tee "$root/build/logs/ctest.log"
fi

echo "== ASan+UBSan build: runtime, schedule language, kernel subset"
# The sanitizers instrument the runtime, the schedule language and the tests, not the Halide
# kernels: this build links the kernels the Release build above generated (SEQMIX_KERNELS_FROM)
# instead of generating them again, and its kernel tests run the baseline x86-64 variants (any CI
# host runs them; the main tier runs the others).
# -O1 -g1 (line tables: all a sanitizer report needs) compiles a runtime file 2.7x faster than
# RelWithDebInfo's -O2 -g under ASan (4.6 s vs 12.7 s for runtime/src/gla.cpp, 2-core Zen 3).
# The CI tier builds only the executables its tests run (not seqmix::dist, its tests or the PoCL test).
asan_targets=""
[ $long = 1 ] || asan_targets="seqmix_kernel_tests validation_test reference_test dispatch_test c_api_test
    host_cache_test schedule_path_test sched_lang_test sched_apply_test seqmix-sched seqmix_tune_tests"
SEQMIX_BUILD_TARGETS="$asan_targets" SEQMIX_BUILD_DIR="$root/build-asan" bash "$root/scripts/build.sh" \
    -DSEQMIX_SANITIZE=ON -DSEQMIX_BENCH=OFF \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g1 -DNDEBUG" \
    "-DSEQMIX_KERNELS_FROM=$root/build"
export ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
if [ $long = 1 ]; then
    ctest --test-dir "$root/build-asan" -j "$jobs" --output-on-failure
else
    # Every test of the runtime (validation, C API, dispatch, schedule paths), of the schedule
    # language (parser, golden errors, vocabulary, applier, CLI) and of the tuner; the float64
    # references; and a kernel subset: the awkward shapes (T=1, T=63, odd head dims) on the
    # baseline x86-64 variants (the AVX ones and CUDA's run in the main tier and on the GPU host).
    # Left to the main tier: the Anderson2021 imports (a minute each under ASan, spent in
    # Halide's autoscheduler, which is not instrumented; the Mullapudi2016 and Adams2019 imports
    # cover import.cpp) and `explain` of all but the baseline's files. `check` runs on a sample of
    # the shipped files (label sched_check_sample, tests/sched/CMakeLists.txt: every directive
    # between them; `parallel` and `store_at`, which no CUDA file uses, run in the applier's unit
    # tests here): the same parser and applier paths on the other files, which the build has
    # generated. A `check` costs 3x under ASan, whose malloc serves Halide's lowering too.
    ctest --test-dir "$root/build-asan" -j "$jobs" --output-on-failure \
        -R 'Validation|[Ss]ched|CApi|Dispatch|HostCache|host_cache|Reference|Support|Variants|T1_|T63_|K60|Tune' \
        -E '_x86_64_avx|_cuda_sm|Long|anderson2021|sched_check/|sched_explain/(cuda-sm80|cuda-sm90|x86-64-avx512|x86-64-avx2)/'
    ctest --test-dir "$root/build-asan" -j "$jobs" --output-on-failure -L sched_check_sample
fi

echo "== fuzzing the schedule parser"
bash "$root/scripts/fuzz.sh" $([ $long = 1 ] && echo 600 || echo 60)

# The main test run's totals, last (set -e has stopped the script on any failure before here).
summary=$(grep -E 'tests passed' "$root/build/logs/ctest.log" | tail -n 1)
total=$(echo "$summary" | sed -n 's/.*out of \([0-9]*\).*/\1/p')
failed=$(echo "$summary" | sed -n 's/.* \([0-9]*\) tests failed.*/\1/p')
failed=${failed:-0}
skipped=$(grep -c '(Skipped)' "$root/build/logs/ctest.log" || true)
echo "== summary of the main test run (skips: variants this host cannot run, e.g. CUDA without a GPU)"
echo "$((total - failed - skipped)) passed, $failed failed, $skipped skipped"
