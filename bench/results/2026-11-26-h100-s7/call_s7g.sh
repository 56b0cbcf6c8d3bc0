#!/usr/bin/env bash
# Session 7, call G: pararnn sequential vs Newton on the H100 (issue 9), with the iteration count of
# a plain call (call A's GRU rows reported the count of the CUDA-graph capture's call), Newton rows not captured.
set -u
cd "$(dirname "$0")/.."
bash .gpu/unpack.sh > /dev/null
mkdir -p $OUT/g
nvidia-smi --query-gpu=name --format=csv,noheader
timeout 240 .gpu/bin/seqmix-bench --device cuda --variant cuda-sm90/default,cuda-sm90/newton --rows pararnn --repeats 3 --min-time 0 \
    --json $OUT/g/bench_pararnn.json > $OUT/g/bench_pararnn.txt 2>&1
echo "pararnn rc=$?"; grep -E "pararnn" $OUT/g/bench_pararnn.txt | cut -c1-300
