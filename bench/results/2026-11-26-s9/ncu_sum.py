"""Sums ncu's gpu__time_duration per kernel over a --csv log: python3 ncu_sum.py LOG.csv"""
import collections
import csv
import sys

rows = [r for r in csv.reader(open(sys.argv[1])) if len(r) > 10]
head = rows[0]
k, v = head.index('Kernel Name'), head.index('Metric Value')
total = collections.defaultdict(float)
for r in rows[1:]:
    total[r[k][:60]] += float(r[v].replace(',', '')) / 1e3
print(sys.argv[1])
for name, us in sorted(total.items(), key=lambda x: -x[1])[:8]:
    print(f'{us:10.1f} us  {name}')
