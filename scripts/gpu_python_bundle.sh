#!/usr/bin/env bash
# Packs what the GPU host needs to build seqmix's Python extension for its own Python (an extension
# is built per Python version: 3.12 there, 3.11 here) into .gpu/python.tar.xz, beside
# scripts/gpu_bundle.sh's binaries (run that first: it builds build-gpu, the Python target included):
#   lib/*.a        build-gpu's static runtime, kernels (AVX-512 + CUDA) and Halide runtime
#   archives.txt   those archives, flags.txt the link flags of build-gpu's own _seqmix link line
#   nanobind/      nanobind's sources (include, src, ext/robin_map) from the project virtualenv
# The binding (python/src/module.cpp), the package (python/seqmix, python/tests, python/bench) and
# the runtime headers travel with the working tree. On the GPU host: bash scripts/gpu_python.sh OUT.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${SEQMIX_GPU_BUILD_DIR:-$root/build-gpu}"
export PATH="$root/.venv/bin:$PATH"
cmake --build "$build" --target seqmix_python
ext="$(cd "$build" && ls python/seqmix/_seqmix*.so 2>/dev/null | head -n 1)"
if [ -z "$ext" ]; then
    echo "gpu_python_bundle: $build has no Python extension (configure it with -DSEQMIX_PYTHON=ON)" >&2
    exit 1
fi
# The link line CMake wrote for build-gpu's extension: its archives (in order) and flags are what
# the GPU host's link needs, with the host's Python objects in place of this Python's.
line="$(ninja -C "$build" -t commands "$ext" | tail -n 1)"
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/lib" "$stage/nanobind/ext/robin_map"
archives=()
flags=()
for tok in $line; do
    case "$tok" in
        *libnanobind-static.a) ;;
        *.a)
            cp "$build/$tok" "$stage/lib/"
            strip --strip-debug "$stage/lib/$(basename "$tok")"
            archives+=("lib/$(basename "$tok")") ;;
        -l* | -Wl,--exclude-libs* | -static-lib* | -pthread) flags+=("$tok") ;;
    esac
done
echo "${archives[*]}" > "$stage/archives.txt"
echo "${flags[*]}" > "$stage/flags.txt"
nb="$(python -c 'import nanobind, os; print(os.path.dirname(nanobind.__file__))')"
cp -r "$nb/include" "$nb/src" "$stage/nanobind/"
cp -r "$nb/ext/robin_map/include" "$stage/nanobind/ext/robin_map/"
mkdir -p "$root/.gpu"
tar -C "$stage" -cf - . | xz -T2 -6 > "$root/.gpu/python.tar.xz"
echo "gpu_python_bundle: ${#archives[@]} archives, flags: ${flags[*]}"
ls -la "$root/.gpu/python.tar.xz"
