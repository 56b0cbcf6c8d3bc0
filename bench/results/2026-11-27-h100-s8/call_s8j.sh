#!/usr/bin/env bash
# Session 8, call J: call I with every thread of a block computing twiddle entries (call I used one thread dimension):
# kernel tests of long_conv/lmu, torch.fft peer, bench, ncu split.
set -u
cd "$(dirname "$0")/.."
bash .gpu/unpack.sh > /dev/null
mkdir -p $OUT/j
nvidia-smi --query-gpu=name,clocks.sm,clocks.mem --format=csv,noheader
export TRITON_CACHE_DIR=/tmp/triton-cache
timeout 200 bash scripts/gpu_tests.sh $OUT/j/logs 'LongConv|Lmu' > $OUT/j/tests.txt 2>&1
echo "tests rc=$?"; grep -E "failed [1-9]|groups with" $OUT/j/tests.txt | tail -12
timeout 120 python3 bench/peers/gpu_peers.py $OUT/j/peers.json --only long_conv,copy --no-ieee > $OUT/j/peers.log 2>&1
echo "peers rc=$?"
python3 -c "
import json;d=json.load(open('$OUT/j/peers.json'))
for r in d['rows']: print('peer', r.get('mixer'), r.get('shape'), round(r.get('ms', 0), 4))
"
timeout 150 .gpu/bin/seqmix-bench --device cuda --variant dispatch --rows long_conv,lmu --repeats 20 --min-time 0.05 \
    --gpu-peers $OUT/j/peers.json --json $OUT/j/bench_lc.json > $OUT/j/bench_lc.txt 2>&1
echo "bench rc=$?"; grep -E "long_conv|lmu" $OUT/j/bench_lc.txt | grep -v skipped | cut -c1-100,150-330
timeout 60 ncu --clock-control none --metrics gpu__time_duration.sum --csv \
    .gpu/bin/seqmix-bench --device cuda --variant dispatch --rows long_conv --no-check --repeats 2 --min-time 0 --warmup 1 \
    > $OUT/j/ncu_lc.csv 2> $OUT/j/ncu.err
echo "ncu rc=$?"
python3 - "$OUT/j/ncu_lc.csv" <<'PY'
import csv, sys, collections
rows = [r for r in csv.reader(open(sys.argv[1])) if len(r) >= 4]
if not rows: print("  no rows"); sys.exit()
h = rows[0]; ki = h.index("Kernel Name"); vi = h.index("Metric Value"); ui = h.index("Metric Unit"); gi = h.index("Grid Size")
scale = {"nsecond": 1e-3, "ns": 1e-3, "usecond": 1.0, "us": 1.0, "msecond": 1e3, "ms": 1e3}
d = collections.OrderedDict()
for r in rows[1:]:
    try: d.setdefault((r[ki][:45], r[gi]), []).append(float(r[vi].replace(",", "")) * scale.get(r[ui], float("nan")))
    except ValueError: pass
for (k, g), v in d.items(): print(f"  {k:<45} grid={g:<16} n={len(v):3d} median={sorted(v)[len(v)//2]:9.2f} us")
PY
