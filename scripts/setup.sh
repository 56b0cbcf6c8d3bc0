#!/usr/bin/env bash
# Installs what seqmix needs on a fresh Debian machine: system packages and a project-local
# virtualenv (.venv) with Halide 21, CMake >= 3.28 and ninja. Idempotent: a second run only checks.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

debs=(libboost-program-options-dev libgtest-dev libgmock-dev nlohmann-json3-dev libfmt-dev
      libopenblas-dev libbenchmark-dev clang libclang-rt-dev pocl-opencl-icd ocl-icd-libopencl1
      libopenmpi-dev openmpi-bin libxgboost-dev libfftw3-dev python3-dev)
missing=()
for p in "${debs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
    echo "setup: installing ${missing[*]}"
    sudo_cmd=""; [ "$(id -u)" = 0 ] || sudo_cmd=sudo
    $sudo_cmd apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}" >/dev/null
fi

venv="$root/.venv"
python="${PYTHON:-python3}"
if [ ! -x "$venv/bin/python" ]; then
    echo "setup: creating $venv"
    "$python" -m venv "$venv"
fi
want_halide=21.0.0
have_halide="$("$venv/bin/python" -c 'import importlib.metadata as m; print(m.version("halide"))' 2>/dev/null || true)"
if [ "$have_halide" != "$want_halide" ] || [ ! -x "$venv/bin/cmake" ] || [ ! -x "$venv/bin/ninja" ]; then
    echo "setup: installing halide==$want_halide cmake ninja into $venv"
    "$venv/bin/pip" install -q --disable-pip-version-check "halide==$want_halide" "cmake>=3.28" ninja
fi
# The Python package (python/, built by CMake when nanobind is importable) and its tests.
if ! "$venv/bin/python" -c 'import nanobind, scikit_build_core, pytest, numpy' 2>/dev/null; then
    echo "setup: installing nanobind scikit-build-core pytest numpy into $venv"
    "$venv/bin/pip" install -q --disable-pip-version-check nanobind scikit-build-core pytest numpy
fi
