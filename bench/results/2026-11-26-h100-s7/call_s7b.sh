#!/usr/bin/env bash
# Session 7, call B: long_conv four-step with conflict-free column passes and the transposed spectrum.
set -u
cd "$(dirname "$0")/.."
bash .gpu/unpack.sh > /dev/null
mkdir -p $OUT/b
nvidia-smi --query-gpu=name,clocks.sm,clocks.mem --format=csv,noheader
export TRITON_CACHE_DIR=/tmp/triton-cache
timeout 150 bash scripts/gpu_tests.sh $OUT/b/logs 'LongConv|Lmu' > $OUT/b/tests.txt 2>&1
echo "tests rc=$?"; tail -12 $OUT/b/tests.txt | cut -c1-200
timeout 120 python3 bench/peers/gpu_peers.py $OUT/b/peers.json --only long_conv,copy --no-ieee > $OUT/b/peers.log 2>&1
echo "peers rc=$?"; tail -3 $OUT/b/peers.log | cut -c1-200
timeout 120 .gpu/bin/seqmix-bench --device cuda --variant dispatch --rows long_conv,lmu --repeats 20 --min-time 0.05 \
    --gpu-peers $OUT/b/peers.json --json $OUT/b/bench_lc.json > $OUT/b/bench_lc.txt 2>&1
echo "bench rc=$?"; grep -E "ceiling|long_conv|lmu" $OUT/b/bench_lc.txt | cut -c1-300
timeout 100 ncu --clock-control none --metrics gpu__time_duration.sum --csv \
    .gpu/bin/seqmix-bench --device cuda --variant dispatch --rows long_conv --no-check --repeats 2 --min-time 0 --warmup 1 \
    > $OUT/b/ncu_lc.csv 2> $OUT/b/ncu_lc.err
echo "ncu rc=$?"
python3 - "$OUT/b/ncu_lc.csv" <<'PY'
import csv, sys, collections
rows = [r for r in csv.reader(open(sys.argv[1])) if len(r) > 10]
if not rows: print("  no rows"); sys.exit()
h = rows[0]; ki = h.index("Kernel Name"); vi = h.index("Metric Value"); ui = h.index("Metric Unit")
gi = h.index("Grid Size") if "Grid Size" in h else None
scale = {"nsecond": 1e-3, "ns": 1e-3, "usecond": 1.0, "us": 1.0, "msecond": 1e3, "ms": 1e3}
d = collections.defaultdict(list)
for r in rows[1:]:
    try: d[(r[ki][:60], r[gi] if gi is not None else "")].append(float(r[vi].replace(",", "")) * scale.get(r[ui], float("nan")))
    except ValueError: pass
for (k, g), v in d.items(): print(f"  {k:<60} grid={g:<16} n={len(v):3d} median={sorted(v)[len(v)//2]:9.2f} us")
PY
