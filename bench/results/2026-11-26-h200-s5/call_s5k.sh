#!/usr/bin/env bash
# Session 5, call K (GPU 0): the Python package's pytest suite on the GPU host with the CuPy test.
set -u
cd "$(dirname "$0")/.."
bash .gpu/unpack.sh > /dev/null
mkdir -p $OUT/k
export CUDA_VISIBLE_DEVICES=0
timeout 300 bash scripts/gpu_python.sh $OUT/k/python build test > $OUT/k/python.log 2>&1
echo "python rc=$?"; grep -E "passed|failed" $OUT/k/python.log | tail -3
grep -E "^(FAILED|ERROR)" $OUT/k/python/pytest.log | cut -c1-300 | head -20
cd $OUT/k/python && python3 -m pytest --version >/dev/null 2>&1; cp pytest.log ../pytest.log; cd .. && rm -rf python
