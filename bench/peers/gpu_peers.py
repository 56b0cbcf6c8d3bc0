#!/usr/bin/env python3
"""GPU peers for seqmix-bench, measured on the same host in the same session.

Usage (from the repository root on the GPU host; see bench/peers/README.md):
    python3 bench/peers/gpu_peers.py OUT.json [--quick] [--replays N] [--no-ieee]

Every peer is timed as CUDA-graph replays: warm-up calls first (Triton compiles and autotunes
there, outside the capture), then one graph holding `calls` back-to-back calls is captured and
replayed many times; the time per call is the replay's CUDA-event time / calls, and the reported
ms is the median over replays (Python launch cost excluded). Memory-bound step rows rotate their
calls over enough distinct buffer sets to exceed twice the L2 (the H100 has 50 MB), so each call
reads its state from HBM, as seqmix-bench's gla_step rows do.

Rows use seqmix-bench's shape names (B1_T4096_H8_K64_V64) and work counts (bench/README.md), so
`seqmix-bench --gpu-peers OUT.json` can attach them to its CUDA rows. Each peer is in its own
try/except: a failure is recorded as {"error": ...} in its row and the others still run.

fla (flash-linear-attention) is imported from .peers/fla beside the repository root (fetched
there, git-ignored). Its fp32 path runs tl.dot in Triton's default fp32 precision, which is TF32
on Hopper; the script re-runs the fla rows in a child process with TRITON_F32_DEFAULT=ieee to
show the cost of full fp32 (peer names end in "_ieee"), unless --no-ieee.
"""
import argparse
import json
import math
import os
import platform
import subprocess
import sys
import time
import traceback

from gpu_peers_common import graph_time, log, rel_rms, shape_name
import linear_recurrence_peers
import mixing_peers
import long_conv_peers
import rnn_peers
import ssm_peers

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PEERS_DIR = os.path.join(ROOT, ".peers")
if PEERS_DIR not in sys.path:
    sys.path.insert(0, PEERS_DIR)


# ---- fixed work counts: the same formulas as bench/counts.h -----------------------------------
def attention_pairs(T, S):
    return sum(min(S - 1, t + (S - T)) + 1 for t in range(T) if t + (S - T) >= 0)


def attention_flops(B, T, H, K, V, S=None):
    S = T if S is None else S
    return 2.0 * B * H * attention_pairs(T, S) * (K + V)


def gla_intra_pairs(T, C=64):
    return sum(min(C, T - t0) * (min(C, T - t0) + 1) // 2 for t0 in range(0, T, C))


def gla_flops(B, T, H, K, V):
    return 2.0 * B * H * (2.0 * T * K * V + gla_intra_pairs(T) * (K + V))


def gla_step_bytes(B, H, K, V):
    return 4.0 * B * H * (2 * K * V + 3 * K + 2 * V)


# ---- float64 references (subsets, like seqmix-bench) --------------------------------------------
def attention_ref_tail(torch, q, k, v, nt=64, nh=4):
    """q, k, v [B,H,T,D]; b=0, heads 0..nh-1, last nt query rows, bottom-right causal, float64."""
    T, S = q.shape[2], k.shape[2]
    qs = q[0, :nh, T - nt:].double()
    ks, vs = k[0, :nh].double(), v[0, :nh].double()
    scores = qs @ ks.transpose(-1, -2) / math.sqrt(q.shape[-1])
    t = torch.arange(T - nt, T, device=q.device)[:, None]
    s = torch.arange(S, device=q.device)[None, :]
    scores = scores.masked_fill(s > t + (S - T), float("-inf"))
    return torch.softmax(scores, dim=-1) @ vs


def gla_ref(torch, q, k, v, g, nh=4, state=None):
    """q, k, g [B,T,H,K], v [B,T,H,V]: b=0, heads 0..nh-1, float64 recurrence. Returns o [T,nh,V]."""
    qd, kd, vd, gd = (x[0, :, :nh].double() for x in (q, k, v, g))
    T, K, V = qd.shape[0], qd.shape[-1], vd.shape[-1]
    S = torch.zeros(nh, K, V, dtype=torch.float64, device=q.device) if state is None else state[0, :nh].double()
    scale = K ** -0.5
    o = torch.empty(T, nh, V, dtype=torch.float64, device=q.device)
    for t in range(T):
        S = S * gd[t].exp()[:, :, None] + kd[t][:, :, None] * vd[t][:, None, :]
        o[t] = scale * torch.einsum("hk,hkv->hv", qd[t], S)
    return o


# ---- peers -------------------------------------------------------------------------------------
def run_attention(torch, args, rows):
    import torch.nn.functional as F
    from torch.nn.attention import SDPBackend, sdpa_kernel

    shapes = [(1, 256, 2, 64)] if args.quick else [(1, 4096, 8, 64), (4, 4096, 16, 64), (1, 2048, 8, 64),
                                                   (1, 4096, 32, 128)]
    for B, T, H, D in shapes:
        shape = shape_name(B, H, D, D, T)
        gen = torch.Generator(device="cuda").manual_seed(1)
        # [B,H,T,D] contiguous: SDPA's native layout.
        q, k, v = (torch.randn(B, H, T, D, device="cuda", dtype=torch.float32, generator=gen) for _ in range(3))
        out = torch.empty_like(q)
        want = attention_ref_tail(torch, q, k, v, nt=min(64, T), nh=min(4, H))
        for name, backend, tf32 in (("torch_sdpa_default", None, None),
                                    ("torch_sdpa_math", SDPBackend.MATH, False)):
            log(f"start {name} {shape}")
            row = {"peer": name, "mixer": "attention", "form": "causal", "shape": shape, "dtype": "float32",
                   "flops": attention_flops(B, T, H, D, D)}
            try:
                old_tf32 = torch.backends.cuda.matmul.allow_tf32
                if tf32 is not None:
                    torch.backends.cuda.matmul.allow_tf32 = tf32
                try:
                    def call(i):
                        if backend is None:
                            out.copy_(F.scaled_dot_product_attention(q, k, v, is_causal=True))
                        else:
                            with sdpa_kernel(backend):
                                out.copy_(F.scaled_dot_product_attention(q, k, v, is_causal=True))
                    # which backend the default picks, for the record
                    ms, stats = graph_time(torch, call, calls=args.calls, replays=args.replays)
                    call(0)
                    torch.cuda.synchronize()
                    got = out[0, :want.shape[0], T - want.shape[1]:]
                finally:
                    torch.backends.cuda.matmul.allow_tf32 = old_tf32
                row.update(ms=ms, stats=stats, gflops=row["flops"] / (ms * 1e-3) / 1e9,
                           check={"rel_rms": rel_rms(got, want),
                                  "subset": f"b=0, heads 0..{want.shape[0] - 1}, last {want.shape[1]} query rows"},
                           note=("default backend choice (flash/mem-efficient/cuDNN by PyTorch's rules); "
                                 "the timed call includes one out.copy_ of o" if backend is None else
                                 "MATH backend with torch.backends.cuda.matmul.allow_tf32=False; materialises "
                                 "[T,T] scores; the timed call includes one out.copy_ of o"))
            except Exception as e:  # noqa: BLE001 - a peer failing must not stop the others
                row["error"] = f"{type(e).__name__}: {e}"
                row["traceback"] = traceback.format_exc(limit=3)
            rows.append(row)
            log(json.dumps({k: row.get(k) for k in ("peer", "shape", "ms", "gflops", "error")}))
            torch.cuda.empty_cache()


def run_gla(torch, args, rows, suffix):
    import torch.nn.functional as F

    try:
        from fla.ops.gla import chunk_gla, fused_recurrent_gla
    except Exception as e:  # noqa: BLE001
        rows.append({"peer": "fla" + suffix, "mixer": "gla", "error": f"import fla: {type(e).__name__}: {e}",
                     "traceback": traceback.format_exc(limit=3)})
        return
    precision = "ieee fp32 (TRITON_F32_DEFAULT=ieee)" if suffix else \
        "fp32 tensors, but Triton's tl.dot runs fp32 matmuls as TF32 by default"
    shapes = [(1, 256, 2, 64, 64)] if args.quick else [(1, 4096, 8, 64, 64), (4, 4096, 16, 64, 64)]
    for B, T, H, K, V in shapes:
        shape = shape_name(B, H, K, V, T)
        gen = torch.Generator(device="cuda").manual_seed(2)
        q, k = (torch.randn(B, T, H, K, device="cuda", generator=gen) for _ in range(2))
        v = torch.randn(B, T, H, V, device="cuda", generator=gen)
        g = F.logsigmoid(torch.randn(B, T, H, K, device="cuda", generator=gen))
        log(f"gla float64 reference {shape}")
        want = gla_ref(torch, q, k, v, g, nh=min(4, H))
        out = torch.empty(B, T, H, V, device="cuda")
        for name, fn in (("fla_chunk_gla", chunk_gla), ("fla_fused_recurrent_gla", fused_recurrent_gla)):
            log(f"start {name}{suffix} {shape}")
            row = {"peer": name + suffix, "mixer": "gla", "form": "chunked" if fn is chunk_gla else "recurrent",
                   "shape": shape, "dtype": "float32",
                   "precision": precision, "flops": gla_flops(B, T, H, K, V)}
            try:
                def call(i, fn=fn):
                    o, _ = fn(q, k, v, g, scale=K ** -0.5, output_final_state=False)
                    out.copy_(o)
                ms, stats = graph_time(torch, call, calls=args.calls, replays=args.replays)
                call(0)
                torch.cuda.synchronize()
                row.update(ms=ms, stats=stats, gflops=row["flops"] / (ms * 1e-3) / 1e9,
                           check={"rel_rms": rel_rms(out[0, :, :want.shape[1]], want),
                                  "subset": f"b=0, heads 0..{want.shape[1] - 1}, all {T} tokens"},
                           note="[B,T,H,K] layout; the timed call includes one out.copy_ of o")
            except Exception as e:  # noqa: BLE001
                row["error"] = f"{type(e).__name__}: {e}"
                row["traceback"] = traceback.format_exc(limit=3)
            rows.append(row)
            log(json.dumps({k: row.get(k) for k in ("peer", "shape", "ms", "gflops", "error")}))
        del q, k, v, g, out
        torch.cuda.empty_cache()

    # Decode step: fused_recurrent_gla with T=1 and initial_state, cold L2 by rotation.
    B, H, K, V = (4, 2, 64, 64) if args.quick else (64, 8, 64, 64)
    shape = shape_name(B, H, K, V)
    row = {"peer": "fla_fused_recurrent_gla" + suffix, "mixer": "gla_step", "form": "step", "shape": shape,
           "dtype": "float32", "precision": precision, "bytes": gla_step_bytes(B, H, K, V)}
    try:
        l2 = torch.cuda.get_device_properties(0).L2_cache_size or 50 * 2 ** 20
        set_bytes = gla_step_bytes(B, H, K, V)
        nsets = max(2, math.ceil(2 * l2 / set_bytes) + 1)
        gen = torch.Generator(device="cuda").manual_seed(3)
        sets = []
        for _ in range(nsets):
            q, k = (torch.randn(B, 1, H, K, device="cuda", generator=gen) for _ in range(2))
            v = torch.randn(B, 1, H, V, device="cuda", generator=gen)
            g = F.logsigmoid(torch.randn(B, 1, H, K, device="cuda", generator=gen))
            h0 = 0.5 * torch.randn(B, H, K, V, device="cuda", generator=gen)
            sets.append((q, k, v, g, h0, torch.empty(B, 1, H, V, device="cuda"), torch.empty(B, H, K, V, device="cuda")))

        def call(i):
            q, k, v, g, h0, o_buf, ht_buf = sets[i % nsets]
            o, ht = fused_recurrent_gla(q, k, v, g, scale=K ** -0.5, initial_state=h0, output_final_state=True)
            o_buf.copy_(o)
            ht_buf.copy_(ht)
        # One graph holds a multiple of nsets calls, so every set is visited equally per replay.
        calls = nsets * max(1, math.ceil(args.calls / nsets))
        ms, stats = graph_time(torch, call, calls=calls, replays=args.replays)
        call(0)
        torch.cuda.synchronize()
        q, k, v, g, h0, o_buf, ht_buf = sets[0]
        S = h0.double() * g[:, 0].double().exp()[..., None] + k[:, 0].double()[..., None] * v[:, 0].double()[:, :, None, :]
        o_ref = (K ** -0.5) * torch.einsum("bhk,bhkv->bhv", q[:, 0].double(), S)
        row.update(ms=ms, stats=stats, gbps=row["bytes"] / (ms * 1e-3) / 1e9,
                   protocol={"cache": "rotate", "sets": nsets, "cache_bytes": l2},
                   check={"rel_rms": max(rel_rms(o_buf[:, 0], o_ref), rel_rms(ht_buf, S)),
                          "subset": "all (o and final_state)"},
                   note="T=1 with initial_state and output_final_state; the timed call includes out.copy_ of o "
                        "and of the new state (the new state is written once either way: fla writes ht, the copy "
                        "re-reads and re-writes it, so this over-counts fla's time by about one state copy)")
    except Exception as e:  # noqa: BLE001
        row["error"] = f"{type(e).__name__}: {e}"
        row["traceback"] = traceback.format_exc(limit=3)
    rows.append(row)
    log(json.dumps({k: row.get(k) for k in ("peer", "shape", "ms", "gbps", "error")}))


def run_copy(torch, args, rows):
    row = {"peer": "torch_copy", "mixer": "copy", "shape": "1GiB"}
    try:
        n = (256 if args.quick else 1024) * 2 ** 20 // 4
        src = torch.ones(n, device="cuda")
        dst = torch.empty_like(src)
        start, stop = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        for _ in range(3):
            dst.copy_(src)
        times = []
        for _ in range(20):
            start.record()
            dst.copy_(src)
            stop.record()
            stop.synchronize()
            times.append(start.elapsed_time(stop))
        times.sort()
        nbytes = 2.0 * n * 4
        row.update(bytes=nbytes, ms=times[len(times) // 2], best_ms=times[0],
                   gbps=nbytes / (times[len(times) // 2] * 1e-3) / 1e9, best_gbps=nbytes / (times[0] * 1e-3) / 1e9,
                   note="dst.copy_(src) of a 1 GiB fp32 tensor, read + write bytes counted, events, not a graph")
        del src, dst
    except Exception as e:  # noqa: BLE001
        row["error"] = f"{type(e).__name__}: {e}"
    rows.append(row)
    log(json.dumps({k: row.get(k) for k in ("peer", "gbps", "best_gbps", "error")}))


def machine(torch):
    info = {"python": platform.python_version(), "host": platform.node(), "cpu": platform.processor()}
    try:
        info["torch"] = torch.__version__
        import triton
        info["triton"] = triton.__version__
    except Exception as e:  # noqa: BLE001
        info["triton"] = f"unavailable: {e}"
    try:
        import fla
        info["fla"] = getattr(fla, "__version__", "?")
        info["fla_path"] = os.path.dirname(fla.__file__)
    except Exception as e:  # noqa: BLE001
        info["fla"] = f"unavailable: {type(e).__name__}: {e}"
    try:
        p = torch.cuda.get_device_properties(0)
        info["gpu"] = {"name": p.name, "sm_count": p.multi_processor_count, "memory_bytes": p.total_memory,
                       "l2_bytes": getattr(p, "L2_cache_size", None), "capability": f"{p.major}.{p.minor}"}
    except Exception as e:  # noqa: BLE001
        info["gpu"] = f"unavailable: {e}"
    return info


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", help="JSON report path")
    ap.add_argument("--quick", action="store_true", help="small shapes (smoke test)")
    ap.add_argument("--replays", type=int, default=50, help="graph replays per peer (median taken)")
    ap.add_argument("--calls", type=int, default=10, help="calls captured in one graph")
    ap.add_argument("--only", default="attention,gla,copy,recurrences,ssm,mixing,long_conv,rnn",
                    help="subset of attention,gla,copy,recurrences,ssm,mixing,long_conv,rnn")
    ap.add_argument("--recurrences", default="all",
                    help="linear-recurrence mixers to run (comma list of linear_recurrence_peers.MIXERS, or all)")
    ap.add_argument("--recurrence-forms", default="chunked,step", help="chunked,step or one of them")
    ap.add_argument("--no-ieee", action="store_true", help="skip the fla re-run with TRITON_F32_DEFAULT=ieee")
    ap.add_argument("--suffix", default="", help=argparse.SUPPRESS)  # set by the ieee child process
    args = ap.parse_args()

    report = {"tool": "bench/peers/gpu_peers.py", "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
              "protocol": {"timing": "CUDA graph replays, median per call", "replays": args.replays,
                           "calls_per_graph": args.calls, "warmup": "3 eager calls before capture"},
              "rows": []}
    try:
        import torch
        if not torch.cuda.is_available():
            raise RuntimeError("torch sees no CUDA device")
        report["machine"] = machine(torch)
    except Exception as e:  # noqa: BLE001
        report["error"] = f"{type(e).__name__}: {e}"
        with open(args.out, "w") as f:
            json.dump(report, f, indent=2)
        print(report["error"], file=sys.stderr)
        return 1

    only = set(args.only.split(","))
    if "copy" in only:
        run_copy(torch, args, report["rows"])
    if "attention" in only:
        run_attention(torch, args, report["rows"])
    if "gla" in only:
        run_gla(torch, args, report["rows"], args.suffix)
    def save():
        with open(args.out, "w") as f:
            json.dump(report, f, indent=2)
    if "recurrences" in only:
        linear_recurrence_peers.run(torch, args, report["rows"], args.suffix, save)
    if "ssm" in only and not args.suffix:
        ssm_peers.run(torch, args, report["rows"], save)
    if "mixing" in only and not args.suffix:
        mixing_peers.run(torch, args, report["rows"], save)
    if "long_conv" in only and not args.suffix:
        long_conv_peers.run(torch, args, report["rows"], save)
    if "rnn" in only and not args.suffix:
        rnn_peers.run(torch, args, report["rows"], save)

    fla_only = ",".join(x for x in ("gla", "recurrences") if x in only)
    if fla_only and not args.no_ieee and not args.suffix:
        child_out = args.out + ".ieee.json"
        cmd = [sys.executable, os.path.abspath(__file__), child_out, "--only", fla_only, "--suffix", "_ieee",
               "--recurrences", args.recurrences, "--recurrence-forms", args.recurrence_forms,
               "--replays", str(args.replays), "--calls", str(args.calls)] + (["--quick"] if args.quick else [])
        env = dict(os.environ, TRITON_F32_DEFAULT="ieee")
        try:
            subprocess.run(cmd, env=env, check=False, timeout=1200)
            with open(child_out) as f:
                report["rows"] += json.load(f).get("rows", [])
            os.remove(child_out)
        except Exception as e:  # noqa: BLE001
            report["rows"].append({"peer": "fla_ieee", "mixer": fla_only, "error": f"{type(e).__name__}: {e}"})

    with open(args.out, "w") as f:
        json.dump(report, f, indent=2)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
