#!/usr/bin/env bash
# Session 8, call A: long_conv four-step with each pass's twiddled inputs in registers (default)
# vs candidates fft16384s (row passes stored j-innermost, padded to 40) and fft16384c (+ column
# passes padded to 33), same run, torch.fft peer; kernel tests of long_conv/lmu; ncu split.
set -u
cd "$(dirname "$0")/.."
bash .gpu/unpack.sh > /dev/null
mkdir -p $OUT/a
nvidia-smi --query-gpu=name,clocks.sm,clocks.mem --format=csv,noheader
export TRITON_CACHE_DIR=/tmp/triton-cache
timeout 200 bash scripts/gpu_tests.sh $OUT/a/logs 'LongConv|Lmu' > $OUT/a/tests.txt 2>&1
echo "tests rc=$?"; grep -E "failed [1-9]|groups with|passed" $OUT/a/tests.txt | tail -5
timeout 120 python3 bench/peers/gpu_peers.py $OUT/a/peers.json --only long_conv,copy --no-ieee > $OUT/a/peers.log 2>&1
echo "peers rc=$?"
timeout 150 .gpu/bin/seqmix-bench --device cuda --variant dispatch,cuda-sm90/fft16384s,cuda-sm90/fft16384c --rows long_conv --repeats 20 --min-time 0.05 \
    --gpu-peers $OUT/a/peers.json --json $OUT/a/bench_lc.json > $OUT/a/bench_lc.txt 2>&1
echo "bench rc=$?"; grep -E "long_conv" $OUT/a/bench_lc.txt | grep -v skipped | cut -c1-100,150-330
for v in dispatch cuda-sm90/fft16384c; do
timeout 60 ncu --clock-control none --metrics gpu__time_duration.sum --csv \
    .gpu/bin/seqmix-bench --device cuda --variant $v --rows long_conv --no-check --repeats 2 --min-time 0 --warmup 1 \
    > $OUT/a/ncu_${v//\//_}.csv 2> $OUT/a/ncu.err
echo "ncu $v rc=$?"
python3 "$(dirname "$0")/../bench/results/2026-11-27-h100-s8/ncu_split.py" "$OUT/a/ncu_${v//\//_}.csv"
done
