#!/usr/bin/env python3
"""torch.fft peers of seqmix's long_conv (issue 9), measured on the GPU host in the same session as
seqmix-bench: the usual rfft-based causal convolution (H3/Hyena's fftconv), fp32,
    y = irfft(rfft(u, n) * rfft(kf, n), n)[..., :T] + Dskip * u     (then * gate for the _gate rows)
at the FFT length n seqmix's bucket uses for the shape (the smallest of its lengths >= T + L - 1),
filter transformed in every call as seqmix::long_conv does without options.kf_spectrum.

Standalone:  python3 bench/peers/long_conv_peers.py OUT.json [--quick]
or through gpu_peers.py (--only ...,long_conv). Rows use seqmix-bench's names (mixer long_conv,
shape B2_D256_T4096_L4096 and ..._gate), so `seqmix-bench --gpu-peers OUT.json` attaches them.
"""
import argparse
import json
import time
import traceback

from gpu_peers_common import graph_time, log, rel_rms

# schedules/tools/fft_schedules.py's LENGTHS.
LENGTHS = [512, 1024, 2048, 3072, 4096, 6144, 8192, 12288, 16384, 32768, 65536, 131072]
SHAPES = [(2, 256, 4096, 4096), (2, 128, 2048, 1025), (8, 768, 8192, 8192)]


def fft_length(T, L):
    return next(n for n in LENGTHS if n >= T + L - 1)


def flops(B, D, n):
    """bench/counts.h long_conv_flops."""
    import math
    return B * D * (3 * 2.5 * n * math.log2(n) + 3 * n)


def run(torch, args, rows, save=lambda: None):
    shapes = [(1, 16, 1024, 1024)] if args.quick else SHAPES
    for B, D, T, L in shapes:
        n = fft_length(T, L)
        gen = torch.Generator(device="cuda").manual_seed(9)
        u = torch.randn(B, D, T, device="cuda", generator=gen)
        kf = 0.02 * torch.randn(D, L, device="cuda", generator=gen)
        Dskip = torch.randn(D, device="cuda", generator=gen)
        gate = torch.randn(B, D, T, device="cuda", generator=gen)
        y = torch.empty_like(u)
        for gated in (False, True):
            shape = f"B{B}_D{D}_T{T}_L{L}" + ("_gate" if gated else "")
            row = {"peer": "torch_rfft_conv", "mixer": "long_conv", "form": "fft", "shape": shape, "dtype": "float32",
                   "n": n, "flops": flops(B, D, n)}
            try:
                def call(i):
                    out = torch.fft.irfft(torch.fft.rfft(u, n=n) * torch.fft.rfft(kf, n=n), n=n)[..., :T]
                    out = out + Dskip[:, None] * u
                    y.copy_(out * gate if gated else out)
                log(f"start torch rfft conv {shape} n={n}")
                ms, stats = graph_time(torch, call, calls=args.calls, replays=args.replays)
                call(0)
                torch.cuda.synchronize()
                ud, kd = u[0, :4].double(), kf[:4].double()
                want = torch.fft.irfft(torch.fft.rfft(ud, n=n) * torch.fft.rfft(kd, n=n), n=n)[..., :T]
                want = want + Dskip[:4, None].double() * ud
                if gated:
                    want = want * gate[0, :4].double()
                row.update(ms=ms, stats=stats, gflops=row["flops"] / (ms * 1e-3) / 1e9,
                           check={"rel_rms": rel_rms(y[0, :4], want), "subset": "b=0, d<4 (float64 rfft)"},
                           note="torch.fft.rfft/irfft (cuFFT) fp32, filter transformed per call, Dskip and the "
                                "gate as separate elementwise ops; timed call includes y.copy_")
            except Exception as e:  # noqa: BLE001 - one peer failing must not stop the others
                row["error"] = f"{type(e).__name__}: {e}"
                row["traceback"] = traceback.format_exc(limit=3)
            rows.append(row)
            save()
            log(json.dumps({k: row.get(k) for k in ("peer", "shape", "ms", "gflops", "error") if k in row}))
        del u, kf, gate, y
        torch.cuda.empty_cache()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out")
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--replays", type=int, default=50)
    ap.add_argument("--calls", type=int, default=10)
    args = ap.parse_args()
    import torch
    report = {"tool": "bench/peers/long_conv_peers.py", "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
              "rows": []}

    def save():
        with open(args.out, "w") as f:
            json.dump(report, f, indent=2)
    run(torch, args, report["rows"], save)
    save()


if __name__ == "__main__":
    main()
