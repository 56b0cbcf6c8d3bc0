#!/usr/bin/env bash
# Session 8: the long_conv defaults on the H100, for the calls named by the wrappers call_s8{b,e,g,h,i,j}.sh
# (their letter is $1): kernel tests of long_conv/lmu, torch.fft peer, bench of the dispatched
# variants, ncu split. Run from .gpu/ (the device tool's carry), as the wrappers do.
L=$1
set -u
cd "$(dirname "$0")/.."
bash .gpu/unpack.sh > /dev/null
mkdir -p $OUT/$L
nvidia-smi --query-gpu=name,clocks.sm,clocks.mem --format=csv,noheader
export TRITON_CACHE_DIR=/tmp/triton-cache
timeout 200 bash scripts/gpu_tests.sh $OUT/$L/logs 'LongConv|Lmu' > $OUT/$L/tests.txt 2>&1
echo "tests rc=$?"; grep -E "failed [1-9]|groups with" $OUT/$L/tests.txt | tail -12
timeout 120 python3 bench/peers/gpu_peers.py $OUT/$L/peers.json --only long_conv,copy --no-ieee > $OUT/$L/peers.log 2>&1
echo "peers rc=$?"
python3 -c "
import json;d=json.load(open('$OUT/$L/peers.json'))
for r in d['rows']: print('peer', r.get('mixer'), r.get('shape'), round(r.get('ms', 0), 4))
"
timeout 150 .gpu/bin/seqmix-bench --device cuda --variant dispatch --rows long_conv,lmu --repeats 20 --min-time 0.05 \
    --gpu-peers $OUT/$L/peers.json --json $OUT/$L/bench_lc.json > $OUT/$L/bench_lc.txt 2>&1
echo "bench rc=$?"; grep -E "long_conv|lmu" $OUT/$L/bench_lc.txt | grep -v skipped | cut -c1-100,150-330
timeout 60 ncu --clock-control none --metrics gpu__time_duration.sum --csv \
    .gpu/bin/seqmix-bench --device cuda --variant dispatch --rows long_conv --no-check --repeats 2 --min-time 0 --warmup 1 \
    > $OUT/$L/ncu_lc.csv 2> $OUT/$L/ncu.err
echo "ncu rc=$?"
python3 "$(dirname "$0")/../bench/results/2026-11-27-h100-s8/ncu_split.py" "$OUT/$L/ncu_lc.csv"
