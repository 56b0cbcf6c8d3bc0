#!/usr/bin/env python3
"""Median kernel durations per (kernel, grid) from an `ncu --metrics gpu__time_duration.sum --csv` file."""
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
