#!/usr/bin/env bash
# Session 6, call D: gla_step (new default) beside fla's fused_recurrent_gla in the same run
# (fla timed as CUDA-graph replays by bench/peers/gpu_peers.py; seqmix both ways).
set -u
cd "$(dirname "$0")/.."
bash .gpu/unpack.sh > /dev/null
mkdir -p $OUT/d
export TRITON_CACHE_DIR=/tmp/triton-cache
nvidia-smi --query-gpu=name --format=csv,noheader
timeout 300 python3 bench/peers/gpu_peers.py $OUT/d/peers.json --only gla,copy --no-ieee > $OUT/d/peers.log 2>&1
echo "peers rc=$?"; tail -5 $OUT/d/peers.log | cut -c1-300
timeout 60 .gpu/bin/seqmix-bench --device cuda --variant dispatch --rows gla_step,gla --repeats 30 --min-time 0.05 \
    --gpu-peers $OUT/d/peers.json --json $OUT/d/bench.json > $OUT/d/bench.txt 2>&1
echo "bench rc=$?"; grep -E "ceilings|gla" $OUT/d/bench.txt | cut -c1-300
