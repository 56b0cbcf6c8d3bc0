"""No leak over 10,000 calls: the process's resident set is stable (outputs allocated by the
binding, errors raised through it, and out= calls)."""
import numpy as np

import seqmix
from cases import CASES, SHAPES


def rss_kib():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4


def test_no_leak_over_10000_calls():
    args, _, _ = CASES["gla_step"](SHAPES["T37_odd"], np.random.default_rng(5))
    bad = [args[0].astype(np.float64)] + args[1:]
    o, s = seqmix.gla_step(*args)

    def burst(n):
        for i in range(n):
            seqmix.gla_step(*args)  # allocates o and new_state
            seqmix.gla_step(*args, out=(o, s), scale=0.5)
            if i % 10 == 0:
                try:
                    seqmix.gla_step(*bad)
                except seqmix.Error:
                    pass

    burst(1000)  # warm: allocator pools, caches
    before = rss_kib()
    burst(10000)
    grown = rss_kib() - before
    # 10,000 leaked output pairs would be ~40 MB; allow allocator noise.
    assert grown < 2048, f"RSS grew {grown} KiB over 10,000 calls"
