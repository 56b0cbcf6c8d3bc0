#!/usr/bin/env python3
"""Roofline plot of a seqmix-bench JSON report (seqmix-bench --json R.json --png R.png runs this).

Usage: plot_roofline.py REPORT.json OUT.png

One panel per device. x: arithmetic intensity (the row's fixed flops / fixed bytes, see
bench/README.md; for compute-bound rows the bytes are the inputs and outputs read and written
once), y: GFLOP/s achieved. The roofs are the ceilings measured in the same run: the STREAM (CPU)
or copy (GPU) bandwidth (GB/s, read + write) and the sgemm (CPU) or FP32 FMA (GPU) rate.
Needs matplotlib (the GPU host's python3 has it; here: a venv with matplotlib).
"""
import json
import sys


def min_bytes(row):
    """Compulsory traffic for a row whose report has no byte count: inputs read, outputs written."""
    if row.get("bytes"):
        return row["bytes"]
    dims = {}
    for part in row["shape"].split("_"):
        key = part.rstrip("0123456789")
        dims[key] = int(part[len(key):])
    B, T, H, K, V = (dims.get(n, 1) for n in ("B", "T", "H", "K", "V"))
    S, Hkv = dims.get("S", T), dims.get("Hkv", H)
    if row["mixer"] == "attention":
        return 4.0 * (B * T * H * K + B * S * Hkv * (K + V) + B * T * H * V)
    if row["mixer"] == "gla":
        return 4.0 * B * T * H * (3 * K + 2 * V)
    return None


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    with open(sys.argv[1]) as f:
        report = json.load(f)
    ceil = report.get("ceilings", {})
    rows = [r for r in report.get("rows", []) if r.get("status") == "ok" and r.get("flops")]
    devices = sorted({r["device"] for r in rows}) or ["cpu"]
    fig, axes = plt.subplots(1, len(devices), figsize=(6.5 * len(devices), 5), squeeze=False)
    for ax, dev in zip(axes[0], devices):
        # CPU: STREAM (plain stores, as the kernels'); reports before session 31 have copy only.
        cpu_bw = ceil.get("cpu_stream_gbps") or ceil.get("cpu_copy_gbps")
        bw = ceil.get("gpu_copy_gbps") if dev == "cuda" else cpu_bw
        peak = ceil.get("gpu_fp32_fma_gflops" if dev == "cuda" else "cpu_sgemm_gflops")
        pts = []
        for r in rows:
            if r["device"] != dev:
                continue
            b = min_bytes(r)
            if not b:
                continue
            pts.append((r["flops"] / b, r["flops"] / (r["ms"] * 1e-3) / 1e9, r))
        xs = [p[0] for p in pts] or [1.0]
        lo, hi = min(xs + [0.1]) / 2, max(xs + [100.0]) * 2
        roof = "stream" if dev != "cuda" and ceil.get("cpu_stream_gbps") else "copy"
        if bw and peak:
            ridge = peak / bw
            ax.plot([lo, ridge, hi], [bw * lo, peak, peak], "k-", lw=1.5,
                    label=f"{roof} {bw:.0f} GB/s, {'FMA' if dev == 'cuda' else 'sgemm'} {peak:.0f} GFLOP/s")
        elif bw:
            ax.plot([lo, hi], [bw * lo, bw * hi], "k-", lw=1.5, label=f"{roof} {bw:.0f} GB/s")
        elif peak:
            ax.axhline(peak, color="k", lw=1.5, label=f"peak {peak:.0f} GFLOP/s")
        for x, y, r in pts:
            label = f"{r['mixer']} {r['shape']} {r['variant']}"
            ax.loglog(x, y, "o", label=label)
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("arithmetic intensity (flop / byte, fixed counts)")
        ax.set_ylabel("GFLOP/s")
        name = report.get("machine", {}).get("cpu_model", "") if dev == "cpu" else \
            (report.get("machine", {}).get("gpu") or {}).get("name", "cuda")
        ax.set_title(f"{dev}: {name}", fontsize=9)
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=6, loc="lower right")
    fig.tight_layout()
    fig.savefig(sys.argv[2], dpi=120)
    print(f"wrote {sys.argv[2]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
