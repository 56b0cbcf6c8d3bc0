#!/usr/bin/env bash
# Session 7, call H: long_conv four-step with radix-8 passes (default) vs candidates r4 (the radix-4
# plan, call F's default) and p (prod inlined into the first inverse row pass), same run, with the
# torch.fft peer; kernel tests of every long_conv/lmu variant; ncu split per variant.
set -u
cd "$(dirname "$0")/.."
bash .gpu/unpack.sh > /dev/null
mkdir -p $OUT/h
nvidia-smi --query-gpu=name,clocks.sm,clocks.mem --format=csv,noheader
export TRITON_CACHE_DIR=/tmp/triton-cache
timeout 200 bash scripts/gpu_tests.sh $OUT/h/logs 'LongConv|Lmu' > $OUT/h/tests.txt 2>&1
echo "tests rc=$?"; grep -E "failed [1-9]|groups with" $OUT/h/tests.txt | head
timeout 120 python3 bench/peers/gpu_peers.py $OUT/h/peers.json --only long_conv,copy --no-ieee > $OUT/h/peers.log 2>&1
echo "peers rc=$?"
python3 -c "
import json;d=json.load(open('$OUT/h/peers.json'))
for r in d['rows']: print('peer', r.get('mixer'), r.get('shape'), round(r.get('ms', 0), 4))
"
timeout 150 .gpu/bin/seqmix-bench --device cuda --variant cuda-sm90/fft3072,cuda-sm90/fft8192,cuda-sm90/fft16384,cuda-sm90/fft16384p,cuda-sm90/fft16384r4 --rows long_conv --repeats 20 --min-time 0.05 \
    --gpu-peers $OUT/h/peers.json --json $OUT/h/bench_lc.json > $OUT/h/bench_lc.txt 2>&1
echo "bench rc=$?"; grep -E "long_conv" $OUT/h/bench_lc.txt | grep -v skipped | cut -c1-100,150-260
for v in fft16384 fft16384p fft16384r4; do
timeout 60 ncu --clock-control none --metrics gpu__time_duration.sum --csv \
    .gpu/bin/seqmix-bench --device cuda --variant cuda-sm90/$v --rows long_conv --no-check --repeats 2 --min-time 0 --warmup 1 \
    > $OUT/h/ncu_$v.csv 2> $OUT/h/ncu_$v.err
echo "ncu $v rc=$?"
python3 - "$OUT/h/ncu_$v.csv" <<'PY'
import csv, sys, collections
rows = [r for r in csv.reader(open(sys.argv[1])) if len(r) > 10]
if not rows: print("  no rows"); sys.exit()
h = rows[0]; ki = h.index("Kernel Name"); vi = h.index("Metric Value"); ui = h.index("Metric Unit"); gi = h.index("Grid Size")
scale = {"nsecond": 1e-3, "ns": 1e-3, "usecond": 1.0, "us": 1.0, "msecond": 1e3, "ms": 1e3}
d = collections.defaultdict(list)
for r in rows[1:]:
    try: d[(r[ki][:50], r[gi])].append(float(r[vi].replace(",", "")) * scale.get(r[ui], float("nan")))
    except ValueError: pass
for (k, g), v in d.items():
    if "384" in g or "6144" in g: print(f"  {k:<50} grid={g:<16} median={sorted(v)[len(v)//2]:9.2f} us")
PY
done
