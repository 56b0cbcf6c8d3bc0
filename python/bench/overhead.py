"""Per-call overhead of the Python binding over the C++ call, T=1 gla_step on CPU (issue 10's
target: < 5 us). The same call, same arrays, same process: a C++ loop (seqmix._seqmix's
_cxx_gla_step_loop: tensors converted once, seqmix::gla_step called n times) vs Python (timeit).

    PYTHONPATH=build-dev/python .venv/bin/python python/bench/overhead.py [--json out.json]
"""
import argparse
import json
import time

import numpy as np

import seqmix
from seqmix import _seqmix


def per_call(fn, n):
    """CPU seconds per call of this thread (thread_time: on a shared machine, time spent descheduled
    does not count; wall time there measured 2x noisier)."""
    start = time.thread_time()
    fn(n)
    return (time.thread_time() - start) / n


def measure(B, H, K, V, n, repeats):
    rng = np.random.default_rng(0)
    f = lambda *s: rng.standard_normal(s).astype(np.float32)  # noqa: E731
    q, k, g, v = f(B, H, K), f(B, H, K), -np.abs(f(B, H, K)) * 0.1, f(B, H, V)
    state, o, new_state = f(B, H, K, V), np.empty((B, H, V), np.float32), np.empty((B, H, K, V), np.float32)
    options = _seqmix.GlaOptions()

    def cxx(n):
        _seqmix._cxx_gla_step_loop(q, k, v, g, state, o, new_state, n)

    def binding(n):
        for _ in range(n):
            _seqmix.gla_step(q, k, v, g, state, o, new_state, options)

    def python_out(n):
        for _ in range(n):
            seqmix.gla_step(q, k, v, g, state, out=(o, new_state))

    def python_alloc(n):
        for _ in range(n):
            seqmix.gla_step(q, k, v, g, state)

    def empty_loop(n):
        for _ in range(n):
            pass

    forms = {"cxx": cxx, "binding": binding, "python_out": python_out, "python_alloc": python_alloc, "loop": empty_loop}
    best = {name: float("inf") for name in forms}
    for _ in range(repeats):  # interleaved, min of each: the least disturbed run
        for name, fn in forms.items():
            best[name] = min(best[name], per_call(fn, n))
    us = lambda s: round(s * 1e6, 2)  # noqa: E731
    row = {"shape": f"B{B}_H{H}_K{K}_V{V}", "variant": seqmix.last_variant()}
    row.update({f"{name}_us": us(t) for name, t in best.items()})
    # The Python loops' own cost (for/range) is not the binding's: subtract it.
    for name in ("binding", "python_out", "python_alloc"):
        row[f"overhead_{name}_us"] = us(best[name] - best["loop"] - best["cxx"])
    return row


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json")
    parser.add_argument("-n", type=int, default=20000)
    parser.add_argument("--repeats", type=int, default=5)
    a = parser.parse_args()
    rows = [measure(1, 1, 16, 16, a.n, a.repeats), measure(1, 4, 64, 64, a.n, a.repeats)]
    for r in rows:
        print(r)
    if a.json:
        with open(a.json, "w") as f:
            json.dump(rows, f, indent=1)


if __name__ == "__main__":
    main()
