#!/usr/bin/env bash
# Session 5, call I (GPU 0): the Python package on the GPU host after the torch-schema fix: cp312
# build, pytest on CUDA tensors (torch.compile, opcheck, JAX), binding overhead, seqmix vs fla
# outputs and first-call latency (fla's sources carried in .peers).
set -u
cd "$(dirname "$0")/.."
mkdir -p $OUT/h
export TRITON_CACHE_DIR=/tmp/triton-cache CUDA_VISIBLE_DEVICES=0
timeout 300 bash scripts/gpu_python.sh $OUT/h/python build test > $OUT/h/python.log 2>&1
echo "python rc=$?"; grep -E "gpu_python|passed|failed" $OUT/h/python.log | tail -8
grep -E "^(FAILED|ERROR)" $OUT/h/python/pytest.log | cut -c1-300 | head -20
grep -B5 -A25 "^_____" $OUT/h/python/pytest.log | grep -E "Error|error|assert|^E " | cut -c1-250 | head -30
cat $OUT/h/python/overhead.log 2>/dev/null | tail -8
tail -16 $OUT/h/python/gpu_compare.log 2>/dev/null | cut -c1-400
cd $OUT/h/python && tar czf ../python_logs.tgz *.log *.json 2>/dev/null; rm -rf $OUT/h/python
