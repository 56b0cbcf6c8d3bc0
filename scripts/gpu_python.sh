#!/usr/bin/env bash
# On the GPU host, from the repository root with .gpu/python.tar.xz carried (scripts/gpu_python_bundle.sh):
# builds seqmix's Python extension for this host's python3 (its Python.h and C++ compiler, linked
# against the static runtime and kernels built on the development machine), then runs
#   1. the pytest suite (python/tests: numpy ops vs float64 references, validation errors, leak,
#      and test_torch.py: every op on CUDA tensors, strided, current stream, opcheck, torch.compile),
#   2. the binding overhead benchmark (python/bench/overhead.py),
#   3. seqmix vs fla outputs and first-call latency (python/bench/gpu_compare.py).
#     bash scripts/gpu_python.sh OUT_DIR        logs and JSON into OUT_DIR (default .gpu/python-out)
# PYTHON and CXX override the interpreter and compiler; SEQMIX_PY_BUILD_ONLY=1 stops after the build.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-$root/.gpu/python-out}"
py="${PYTHON:-python3}"
cxx="${CXX:-c++}"
mkdir -p "$out"
work="$root/.gpu/python"
rm -rf "$work" && mkdir -p "$work"
"$py" -c "import tarfile, sys; tarfile.open(sys.argv[1]).extractall(sys.argv[2])" "$root/.gpu/python.tar.xz" "$work" || exit 1

inc="$("$py" -c 'import sysconfig; print(sysconfig.get_paths()["include"])')"
suffix="$("$py" -c 'import sysconfig; print(sysconfig.get_config_var("EXT_SUFFIX"))')"
echo "gpu_python: $("$py" -V) include $inc, extension suffix $suffix, compiler $("$cxx" --version | head -n 1)"
if [ ! -f "$inc/Python.h" ]; then
    echo "gpu_python: no Python.h in $inc: this python has no development headers; nothing built" >&2
    exit 2
fi

pkg="$work/pkg/seqmix"
mkdir -p "$pkg"
cp "$root"/python/seqmix/*.py "$root"/python/seqmix/*.pyi "$root"/python/seqmix/py.typed "$pkg/"
nb="$work/nanobind"
common=(-O3 -DNDEBUG -std=c++17 -fPIC -fvisibility=hidden -I"$inc" -I"$nb/include")
set -e
"$cxx" "${common[@]}" -DNB_BUILD -DNB_COMPACT_ASSERTIONS -isystem "$nb/ext/robin_map/include" -fno-strict-aliasing \
    -c "$nb/src/nb_combined.cpp" -o "$work/nb_combined.o"
"$cxx" "${common[@]}" -I"$root/runtime/include" -c "$root/python/src/module.cpp" -o "$work/module.o"
"$cxx" "${common[@]}" -I"$root/runtime/include" -c "$root/python/src/cuda_memory.cpp" -o "$work/cuda_memory.o"
(cd "$work" && "$cxx" -shared -o "$pkg/_seqmix$suffix" module.o cuda_memory.o nb_combined.o \
    -Wl,--start-group $(cat archives.txt) -Wl,--end-group $(cat flags.txt) -ldl -lpthread)
set +e
export PYTHONPATH="$work/pkg${PYTHONPATH:+:$PYTHONPATH}"
"$py" -c "import seqmix; print('seqmix', seqmix.__version__, 'cuda_available', seqmix.cuda_available())" \
    | tee "$out/import.log" || exit 1
[ "${SEQMIX_PY_BUILD_ONLY:-0}" = 1 ] && exit 0

status=0
"$py" -m pytest -q -p no:cacheprovider -rs "$root/python/tests" 2>&1 | tee "$out/pytest.log" | tail -n 30
[ "${PIPESTATUS[0]}" = 0 ] || status=1
"$py" "$root/python/bench/overhead.py" --json "$out/overhead.json" 2>&1 | tee "$out/overhead.log" || status=1
"$py" "$root/python/bench/gpu_compare.py" "$out/gpu_compare.json" 2>&1 | tee "$out/gpu_compare.log" || status=1
echo "gpu_python: done (status $status), results in $out"
exit $status
