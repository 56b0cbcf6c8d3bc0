#!/usr/bin/env bash
# Session 8, call D: the final long_conv defaults (calls B and C) -- kernel tests of long_conv/lmu,
# torch.fft peer, bench of the defaults and ncu split -- and kf_spec tile candidates w1 (64 x 4),
# w2 (16 x 16), w3 (8 x 32) for fft8192 and fft16384, same run.
set -u
cd "$(dirname "$0")/.."
bash .gpu/unpack.sh > /dev/null
mkdir -p $OUT/d
nvidia-smi --query-gpu=name,clocks.sm,clocks.mem --format=csv,noheader
export TRITON_CACHE_DIR=/tmp/triton-cache
timeout 200 bash scripts/gpu_tests.sh $OUT/d/logs 'LongConv|Lmu' > $OUT/d/tests.txt 2>&1
echo "tests rc=$?"; grep -E "failed [1-9]|groups with" $OUT/d/tests.txt | tail -5
timeout 120 python3 bench/peers/gpu_peers.py $OUT/d/peers.json --only long_conv,copy --no-ieee > $OUT/d/peers.log 2>&1
echo "peers rc=$?"
python3 -c "
import json;d=json.load(open('$OUT/d/peers.json'))
for r in d['rows']: print('peer', r.get('mixer'), r.get('shape'), round(r.get('ms', 0), 4))
"
timeout 150 .gpu/bin/seqmix-bench --device cuda --variant dispatch --rows long_conv,lmu --repeats 20 --min-time 0.05 \
    --gpu-peers $OUT/d/peers.json --json $OUT/d/bench_lc.json > $OUT/d/bench_lc.txt 2>&1
echo "bench rc=$?"; grep -E "long_conv|lmu" $OUT/d/bench_lc.txt | grep -v skipped | cut -c1-100,150-330
timeout 150 .gpu/bin/seqmix-bench --device cuda --variant cuda-sm90/fft8192w1,cuda-sm90/fft8192w2,cuda-sm90/fft8192w3,cuda-sm90/fft16384w1,cuda-sm90/fft16384w2,cuda-sm90/fft16384w3 --rows long_conv --repeats 20 --min-time 0.05 \
    --gpu-peers $OUT/d/peers.json --json $OUT/d/bench_cand.json > $OUT/d/bench_cand.txt 2>&1
echo "bench cand rc=$?"; grep -E "long_conv" $OUT/d/bench_cand.txt | grep -v -E "skipped|wrong" | cut -c1-100,150-330
timeout 60 ncu --clock-control none --metrics gpu__time_duration.sum --csv \
    .gpu/bin/seqmix-bench --device cuda --variant dispatch --rows long_conv --no-check --repeats 2 --min-time 0 --warmup 1 \
    > $OUT/d/ncu_lc.csv 2> $OUT/d/ncu.err
echo "ncu rc=$?"
python3 "$(dirname "$0")/../bench/results/2026-11-27-h100-s8/ncu_split.py" "$OUT/d/ncu_lc.csv"
