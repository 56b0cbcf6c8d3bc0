#!/usr/bin/env bash
# Session 6, call A: where the GPU step kernels' time goes. (1) event-timed calls vs CUDA-graph
# replays of the same calls (the host launch path's share); (2) ncu kernel durations.
set -u
cd "$(dirname "$0")/.."
bash .gpu/unpack.sh > /dev/null
mkdir -p $OUT/a
nvidia-smi --query-gpu=name,clocks.sm,clocks.mem --format=csv,noheader
steps=gla_step,linear_attn_step,retention_step,simple_gla_step,ssd_step,selective_scan_step,causal_conv1d_step,delta_rule_step,gated_delta_rule_step,kda_step,rwkv7_step
timeout 240 .gpu/bin/seqmix-bench --device cuda --variant dispatch --rows $steps,gla,linear_attn --repeats 20 --min-time 0.05 \
    --json $OUT/a/bench_steps.json > $OUT/a/bench_steps.txt 2>&1
echo "bench rc=$?"; cat $OUT/a/bench_steps.txt | cut -c1-260
for r in gla_step ssd_step selective_scan_step linear_attn_step; do
  timeout 100 ncu --clock-control none --metrics gpu__time_duration.sum --csv \
      .gpu/bin/seqmix-bench --device cuda --variant dispatch --rows $r --no-check --repeats 3 --min-time 0 --warmup 1 \
      > $OUT/a/ncu_$r.csv 2> $OUT/a/ncu_$r.err
  echo "ncu $r rc=$?"
  python3 - "$OUT/a/ncu_$r.csv" <<'PY'
import csv, sys, collections
rows = [r for r in csv.reader(open(sys.argv[1])) if len(r) > 10]
if not rows: print("  no rows"); sys.exit()
h = rows[0]; ki = h.index("Kernel Name"); vi = h.index("Metric Value"); ui = h.index("Metric Unit")
scale = {"nsecond": 1e-3, "usecond": 1.0, "msecond": 1e3}
d = collections.defaultdict(list)
for r in rows[1:]:
    try: d[r[ki][:70]].append(float(r[vi].replace(",", "")) * scale.get(r[ui], float("nan")))
    except ValueError: pass
for k, v in d.items(): print(f"  {k:<70} n={len(v):3d} median={sorted(v)[len(v)//2]:8.2f} us")
PY
done
