#!/usr/bin/env bash
# On the GPU host, from the repository root with .gpu/python.tar.xz carried (scripts/gpu_python_bundle.sh):
# builds seqmix's Python extension for this host's python3 (its Python.h and C++ compiler, linked
# against the static runtime and kernels built on the development machine), then runs
#   1. the pytest suite (python/tests: numpy ops vs float64 references, validation errors, leak,
#      and test_torch.py: every op on CUDA tensors, strided, current stream, opcheck, torch.compile),
#   2. the binding overhead benchmark (python/bench/overhead.py),
#   3. seqmix vs fla outputs and first-call latency (python/bench/gpu_compare.py).
#     bash scripts/gpu_python.sh OUT_DIR [STAGE...]   logs and JSON into OUT_DIR (default .gpu/python-out)
# STAGEs, in order (default: build test bench compare; first-call = only compare's latency part):
# each later stage uses the package the build stage left in .gpu/python/pkg, so the stages can be
# split across device calls. PYTHON and CXX override the interpreter and compiler.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-$root/.gpu/python-out}"
shift || true
stages=("$@")
((${#stages[@]})) || stages=(build test bench compare)
py="${PYTHON:-python3}"
cxx="${CXX:-$(command -v c++ || command -v g++ || command -v clang++ || echo c++)}"
mkdir -p "$out"
work="$root/.gpu/python"
pkg="$work/pkg/seqmix"
export PYTHONPATH="$work/pkg${PYTHONPATH:+:$PYTHONPATH}"
status=0

build() {
    rm -rf "$work" && mkdir -p "$work"
    "$py" -c "import tarfile, sys; tarfile.open(sys.argv[1]).extractall(sys.argv[2])" "$root/.gpu/python.tar.xz" "$work" || return 1
    local inc suffix nb
    inc="$("$py" -c 'import sysconfig; print(sysconfig.get_paths()["include"])')"
    suffix="$("$py" -c 'import sysconfig; print(sysconfig.get_config_var("EXT_SUFFIX"))')"
    echo "gpu_python: $("$py" -V) include $inc, extension suffix $suffix, compiler $cxx: $("$cxx" --version | head -n 1)"
    if [ ! -f "$inc/Python.h" ]; then
        echo "gpu_python: no Python.h in $inc: this python has no development headers; nothing built" >&2
        return 2
    fi
    mkdir -p "$pkg"
    cp "$root"/python/seqmix/*.py "$root"/python/seqmix/*.pyi "$root"/python/seqmix/py.typed "$pkg/"
    nb="$work/nanobind"
    local common=(-O3 -DNDEBUG -std=c++17 -fPIC -fvisibility=hidden -I"$inc" -I"$nb/include" -I"$root/runtime/include")
    "$cxx" "${common[@]}" -DNB_BUILD -DNB_COMPACT_ASSERTIONS -isystem "$nb/ext/robin_map/include" -fno-strict-aliasing \
        -c "$nb/src/nb_combined.cpp" -o "$work/nb_combined.o" &&
    "$cxx" "${common[@]}" -c "$root/python/src/module.cpp" -o "$work/module.o" &&
    "$cxx" "${common[@]}" -c "$root/python/src/cuda_memory.cpp" -o "$work/cuda_memory.o" &&
    (cd "$work" && "$cxx" -shared -o "$pkg/_seqmix$suffix" module.o cuda_memory.o nb_combined.o \
        -Wl,--start-group $(cat archives.txt) -Wl,--end-group $(cat flags.txt) -ldl -lpthread) || return 1
    "$py" -c "import seqmix; print('seqmix', seqmix.__version__, 'cuda_available', seqmix.cuda_available())"
}

for stage in "${stages[@]}"; do
    echo "== gpu_python: $stage"
    case "$stage" in
        build) build 2>&1 | tee "$out/build.log"; rc=${PIPESTATUS[0]}; [ "$rc" = 0 ] || exit "$rc" ;;
        test) "$py" -m pytest -q -p no:cacheprovider -rs "$root/python/tests" > "$out/pytest.log" 2>&1 || status=1
              tail -n 30 "$out/pytest.log" ;;
        bench) "$py" "$root/python/bench/overhead.py" --json "$out/overhead.json" 2>&1 | tee "$out/overhead.log" ;;
        compare) "$py" "$root/python/bench/gpu_compare.py" "$out/gpu_compare.json" 2>&1 | tee "$out/gpu_compare.log" ;;
        first-call) "$py" "$root/python/bench/gpu_compare.py" "$out/first_call.json" --first-call-only 2>&1 \
                        | tee "$out/first_call.log" ;;
        *) echo "gpu_python: unknown stage $stage (build, test, bench, compare, first-call)" >&2; exit 2 ;;
    esac
done
echo "gpu_python: done (status $status), results in $out"
exit $status
