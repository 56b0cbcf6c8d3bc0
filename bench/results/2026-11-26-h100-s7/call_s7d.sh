#!/usr/bin/env bash
# Session 7, call D: long_conv four-step with the two-factor twiddle (default) vs candidate c
# (column passes stored m2, j, p), torch.fft peer in the same call; ncu stall breakdown of the
# rows kernel (inv_mid) and the columns kernel at B8_D768_T8192.
set -u
cd "$(dirname "$0")/.."
bash .gpu/unpack.sh > /dev/null
mkdir -p $OUT/d
nvidia-smi --query-gpu=name,clocks.sm,clocks.mem --format=csv,noheader
export TRITON_CACHE_DIR=/tmp/triton-cache
timeout 150 bash scripts/gpu_tests.sh $OUT/d/logs 'LongConv' > $OUT/d/tests.txt 2>&1
echo "tests rc=$?"; grep -E "failures|failed [1-9]" $OUT/d/tests.txt | head
timeout 120 python3 bench/peers/gpu_peers.py $OUT/d/peers.json --only long_conv,copy --no-ieee > $OUT/d/peers.log 2>&1
echo "peers rc=$?"
python3 -c "
import json;d=json.load(open('$OUT/d/peers.json'))
for r in d['rows']: print('peer', r.get('mixer'), r.get('shape'), round(r.get('ms', 0), 4))
"
timeout 120 .gpu/bin/seqmix-bench --device cuda --variant cuda-sm90/fft3072,cuda-sm90/fft8192,cuda-sm90/fft16384,cuda-sm90/fft16384c --rows long_conv --repeats 20 --min-time 0.05 \
    --gpu-peers $OUT/d/peers.json --json $OUT/d/bench_lc.json > $OUT/d/bench_lc.txt 2>&1
echo "bench rc=$?"; grep -E "long_conv" $OUT/d/bench_lc.txt | grep -v skipped | cut -c1-100,150-260
for k in inv_mid fwd_cols_s0_r1; do
timeout 150 ncu --clock-control none -k regex:$k -c 40 --section SpeedOfLight --section WarpStateStats --section MemoryWorkloadAnalysis --section Occupancy \
    .gpu/bin/seqmix-bench --device cuda --variant cuda-sm90/fft16384c --rows long_conv --no-check --repeats 1 --min-time 0 --warmup 0 \
    > $OUT/d/ncu_$k.txt 2>&1
echo "ncu $k rc=$?"
python3 - $OUT/d/ncu_$k.txt <<'PY'
import sys, re
lines = open(sys.argv[1], errors="replace").read().splitlines()
starts = [i for i, l in enumerate(lines) if l.startswith("  _kernel")]
for a, b in zip(starts, starts[1:] + [len(lines)]):
    if "384)" in lines[a]:
        for l in lines[a:b]:
            if re.search(r"Duration|Throughput|Stall|Warp Cycles|Occupancy|Block Limit|Bank|Registers|Shared Memory|Issued|Eligible|L1|L2|_kernel", l):
                print(l[:150])
        break
PY
done
