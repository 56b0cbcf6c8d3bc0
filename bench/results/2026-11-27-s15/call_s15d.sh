#!/usr/bin/env bash
# Session 15's fourth device call: where the step kernels' time goes. ncu's per-kernel times of
# delta_rule_step (default, v32), linear_attn_step v32 and gla_step's default, and the
# speed-of-light section (SM / DRAM throughput, achieved occupancy, instructions) of each kernel
# of delta_rule_step v32, linear_attn_step v32 and gla_step default.
#   run: bash bench/results/2026-11-27-s15/call_s15d.sh   (carry .gpu; call c's build)
. bench/results/2026-11-27-s10/common.sh
for rv in delta_rule_step:cuda-sm90/default delta_rule_step:cuda-sm90/v32 linear_attn_step:cuda-sm90/v32 gla_step:cuda-sm90/default; do
  echo "== $rv"; ncu_times ${rv%%:*} ${rv##*:} | tail -n +2
done
for rv in delta_rule_step:cuda-sm90/v32 linear_attn_step:cuda-sm90/v32 gla_step:cuda-sm90/default; do
  echo "== $rv"
  timeout 300 ncu --clock-control none --section SpeedOfLight --section Occupancy --section LaunchStats \
      --metrics smsp__inst_executed.sum,dram__bytes.sum --csv .gpu/bin/seqmix-bench --device cuda \
      --rows ${rv%%:*} --variant ${rv##*:} --repeats 1 --min-time 0 --warmup 0 --no-check > "$OUT/sol.csv" 2>&1
  python3 - "$OUT/sol.csv" <<'PY'
import csv, sys, collections
rows = [r for r in csv.reader(open(sys.argv[1])) if len(r) > 10]
h = rows[0]; k, n, v = h.index('Kernel Name'), h.index('Metric Name'), h.index('Metric Value')
want = ('Duration', 'Memory Throughput', 'DRAM Throughput', 'Compute (SM) Throughput', 'Achieved Occupancy',
        'Block Size', 'Grid Size', 'Registers Per Thread', 'smsp__inst_executed.sum', 'dram__bytes.sum')
seen = collections.OrderedDict()
for r in rows[1:]:
    if r[n] in want: seen.setdefault(r[k][:50], {})[r[n]] = r[v]
for name, m in seen.items():
    print(name, '|', '; '.join(f'{a}={m[a]}' for a in want if a in m))
PY
done
