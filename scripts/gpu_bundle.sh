#!/usr/bin/env bash
# Builds the binaries a GPU host runs (it has no Boost, OpenBLAS or GoogleTest) and packs them into
# .gpu/ (git-ignored) for the device tool's carry (64 MiB in all):
#   scripts/gpu_bundle.sh [BINARY...]     default: the kernel, validation, dispatch and C API tests,
#                                          seqmix-bench, and every other test binary that exists
# The binaries link the C++ runtime statically; only the AVX-512 CPU target is built beside the
# CUDA ones (the GPU hosts are AVX-512 Xeons), which also keeps them small. The CUDA variants'
# PTX is text, so the binaries go into one xz tarball (about a fifth of their size).
# On the GPU host:  bash .gpu/unpack.sh  ->  .gpu/bin/<binary>
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${SEQMIX_GPU_BUILD_DIR:-$root/build-gpu}"
SEQMIX_BUILD_DIR="$build" bash "$root/scripts/build.sh" -DSEQMIX_STATIC_CXX=ON -DSEQMIX_CPU_TARGETS=x86-64-avx512 \
    -DSEQMIX_CUDA_MAX_REGISTERS=64

bins=("$@")
if ((${#bins[@]} == 0)); then
    for b in tests/seqmix_kernel_tests tests/validation_test tests/dispatch_test tests/c_api_test bench/seqmix-bench \
             tests/dist_test_nompi bench/seqmix-dist-bench; do
        [ -x "$build/$b" ] && bins+=("$b")
    done
fi
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
for b in "${bins[@]}"; do
    cp "$build/$b" "$stage/"
    strip --strip-debug "$stage/$(basename "$b")"
done
mkdir -p "$root/.gpu"
rm -f "$root/.gpu/bin.tar.xz"
tar -C "$stage" -cf - . | xz -T2 -6 > "$root/.gpu/bin.tar.xz"
cat > "$root/.gpu/unpack.sh" <<'EOF'
#!/usr/bin/env bash
# Unpacks .gpu/bin.tar.xz into .gpu/bin/ (python3's lzma: the GPU host may lack xz).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
rm -rf bin && mkdir bin
python3 -c "import tarfile; tarfile.open('bin.tar.xz').extractall('bin')"
chmod +x bin/*
EOF
ls -la "$root/.gpu"
