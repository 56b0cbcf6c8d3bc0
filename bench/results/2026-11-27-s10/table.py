"""Prints seqmix-bench JSON rows as one line each: python3 table.py FILE.json..."""
import json
import sys

for f in sys.argv[1:]:
    for r in json.load(open(f))['rows']:
        if 'ms' not in r:  # skipped or failed: say why
            print(f"{f.split('/')[-1]:22s} {r.get('requested', ''):22s} {r['shape']:34s} {r.get('status')}: {r.get('error', '')}")
            continue
        x = r.get('extra', {})
        # Memory-bound rows are a fraction of the copy bandwidth, compute-bound ones of the FMA peak.
        of = 'FMA' if 'fma' in r.get('ceiling_name', '') else 'copy'
        print(f"{f.split('/')[-1]:22s} {r['variant']:22s} {r['shape']:34s} {r['ms'] * 1e3:9.1f} us  "
              f"{100 * r['fraction']:5.1f}% of {of:4s}  graph {x.get('graph_ms', 0) * 1e3:8.1f} us "
              f"{100 * x.get('graph_frac', 0):5.1f}%  check {r.get('check', {}).get('ok')}")
