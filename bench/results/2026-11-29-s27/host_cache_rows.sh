#!/usr/bin/env bash
# The host cache across the CPU rows: each row family run alternately with the cache off
# (SEQMIX_HOST_CACHE_MB=0) and on (the default 1 GiB), twice each, dispatched variants, as separate
# seqmix-bench processes; prints the median ms of each (row, shape) and the off/on ratio.
#   bash bench/results/2026-11-29-s27/host_cache_rows.sh BENCH OUTDIR
set -euo pipefail
bench=$1 out=$2
mkdir -p "$out"
rows="attention gla linear_attn simple_gla ssd ssd_bidirectional delta_rule kda rwkv7 selective_scan causal_conv1d
      monarch token_mix long_conv lmu lstm gru pararnn decode_attention gla_step"
for r in $rows; do
  for i in 1 2; do
    for mb in 0 1024; do
      SEQMIX_HOST_CACHE_MB=$mb "$bench" --device cpu --variant dispatch --rows "$r" --no-check --no-peers \
          --repeats 5 --min-time 0.3 --json "$out/${r}_${mb}_$i.json" > /dev/null 2>&1 || echo "$r failed"
    done
  done
done
python3 - "$out" <<'PY'
import json, glob, sys, statistics, collections
t = collections.defaultdict(list)
for f in glob.glob(sys.argv[1] + "/*.json"):
    mb = f.rsplit("_", 2)[-2]
    for row in json.load(open(f))["rows"]:
        if row.get("device", "cpu") != "cpu" or row.get("ms") is None:
            continue
        t[(row["mixer"], row["form"], row["shape"], mb)].append(row["ms"])
keys = sorted({k[:3] for k in t})
print(f"{'mixer':18} {'form':8} {'shape':34} {'off ms':>9} {'on ms':>9} {'off/on':>7}")
for k in keys:
    off, on = t.get(k + ("0",)), t.get(k + ("1024",))
    if off and on:
        a, b = statistics.median(off), statistics.median(on)
        print(f"{k[0]:18} {k[1]:8} {k[2]:34} {a:9.3f} {b:9.3f} {a / b:7.2f}")
PY
