#!/usr/bin/env bash
# Session 8, call C: candidates u (twiddle2/twiddle1 computed in the kernels that use them, y 4 t per thread, kf_spec c unrolled) and v (u + spec_t 32x32 tiles) vs the defaults, same run.
set -u
cd "$(dirname "$0")/.."
bash .gpu/unpack.sh > /dev/null
mkdir -p $OUT/c
nvidia-smi --query-gpu=name,clocks.sm,clocks.mem --format=csv,noheader
export TRITON_CACHE_DIR=/tmp/triton-cache
timeout 200 bash scripts/gpu_tests.sh $OUT/c/logs 'LongConv' > $OUT/c/tests.txt 2>&1
echo "tests rc=$?"; grep -E "failed [1-9]|groups with" $OUT/c/tests.txt | tail -5
timeout 120 python3 bench/peers/gpu_peers.py $OUT/c/peers.json --only long_conv,copy --no-ieee > $OUT/c/peers.log 2>&1
echo "peers rc=$?"
python3 -c "
import json;d=json.load(open('$OUT/c/peers.json'))
for r in d['rows']: print('peer', r.get('mixer'), r.get('shape'), round(r.get('ms', 0), 4))
"
timeout 150 .gpu/bin/seqmix-bench --device cuda --variant dispatch --rows long_conv --repeats 20 --min-time 0.05 \
    --gpu-peers $OUT/c/peers.json --json $OUT/c/bench_lc.json > $OUT/c/bench_lc.txt 2>&1
echo "bench rc=$?"; grep -E "long_conv" $OUT/c/bench_lc.txt | grep -v skipped | cut -c1-100,150-330
timeout 150 .gpu/bin/seqmix-bench --device cuda --variant cuda-sm90/fft3072u,cuda-sm90/fft3072v,cuda-sm90/fft8192u,cuda-sm90/fft8192v,cuda-sm90/fft16384u,cuda-sm90/fft16384v --rows long_conv --repeats 20 --min-time 0.05 \
    --gpu-peers $OUT/c/peers.json --json $OUT/c/bench_cand.json > $OUT/c/bench_cand.txt 2>&1
echo "bench cand rc=$?"; grep -E "long_conv" $OUT/c/bench_cand.txt | grep -v skipped | cut -c1-100,150-330
for v in cuda-sm90/fft8192v cuda-sm90/fft16384v; do
timeout 60 ncu --clock-control none --metrics gpu__time_duration.sum --csv \
    .gpu/bin/seqmix-bench --device cuda --variant $v --rows long_conv --no-check --repeats 2 --min-time 0 --warmup 1 \
    > $OUT/c/ncu_${v//\//_}.csv 2> $OUT/c/ncu.err
echo "ncu rc=$?"
python3 "$(dirname "$0")/../bench/results/2026-11-27-h100-s8/ncu_split.py" "$OUT/c/ncu_${v//\//_}.csv"
done
