"""Peers for issue 9's LSTM and GRU (imported by gpu_peers.py): torch.nn.LSTM / nn.GRU (cuDNN), fp32,
on the SAME input projections G that seqmix's lstm / gru take.

cuDNN's RNN always applies its own input GEMM, so the peer is an nn.LSTM with input_size = 4*Hd,
W_ih = I, b_ih = bias, W_hh = R^T (PyTorch's gate order (i, f, g, o) is MIXERS.md's (i, f, z, o)):
exactly seqmix's math, plus one [T*B, 4Hd] x [4Hd, 4Hd] identity GEMM that cuDNN runs for all
tokens at once. `_recurrent` rows subtract that GEMM, timed alone in the same session (an
estimate of cuDNN's recurrent part). GRU likewise (W_ih = I, b_ih = 0, b_hh = bh).
Head-wise shapes (H > 1): cuDNN has no block-diagonal recurrence, so the peer runs H nn.LSTMs one
after the other. Two precisions: `_fp32` (torch.backends.cudnn.allow_tf32 = False) and
`_default` (PyTorch's default, cudnn.allow_tf32 = True: TF32 tensor cores).
Rows: mixer lstm | gru, shape B{B}_T{T}_H{H}_Hd{Hd} (seqmix-bench's names), ms, gflops (the
recurrent GEMM count 2*B*T*H*Hd*ng*Hd, as seqmix-bench), check (rel-RMS against float64, b = 0).
"""
import json
import math
import traceback

from gpu_peers_common import graph_time, log, rel_rms

SHAPES = [(16, 1024, 1, 768), (16, 1024, 4, 256)]
QUICK_SHAPES = [(2, 64, 2, 64)]


def _ref(torch, G, R, bias, is_lstm):
    """float64 sequential cell on batch row 0: G [T,H,ng*Hd], R [H,Hd,ng*Hd], bias [H,ng*Hd] -> y [T,H,Hd]."""
    G, R, bias = G.double(), R.double(), bias.double()
    T, H, N = G.shape
    Hd = R.shape[1]
    h = torch.zeros(H, Hd, dtype=torch.float64, device=G.device)
    c = torch.zeros_like(h)
    ys = []
    for t in range(T):
        rec = torch.einsum("hk,hkn->hn", h, R) + bias
        if is_lstm:
            pre = G[t] + rec
            i, f, z, o = pre.split(Hd, dim=-1)
            c = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(z)
            h = torch.sigmoid(o) * torch.tanh(c)
        else:
            gr, gu, gn = G[t].split(Hd, dim=-1)
            rr, ru, rn = rec.split(Hd, dim=-1)
            r, u = torch.sigmoid(gr + rr), torch.sigmoid(gu + ru)
            n = torch.tanh(gn + r * rn)
            h = (1 - u) * n + u * h
        ys.append(h)
    return torch.stack(ys)


def _modules(torch, R, bias, is_lstm):
    """One cuDNN module per head: input_size = ng*Hd, W_ih = I, W_hh = R_h^T."""
    H, Hd, N = R.shape
    mods = []
    for hd in range(H):
        m = (torch.nn.LSTM if is_lstm else torch.nn.GRU)(N, Hd, batch_first=True).cuda()
        with torch.no_grad():
            m.weight_ih_l0.copy_(torch.eye(N, device="cuda"))
            m.weight_hh_l0.copy_(R[hd].t())
            if is_lstm:
                m.bias_ih_l0.copy_(bias[hd])
                m.bias_hh_l0.zero_()
            else:
                m.bias_ih_l0.zero_()
                m.bias_hh_l0.copy_(bias[hd])
        m.flatten_parameters()
        mods.append(m)
    return mods


def _time(torch, fn, args):
    try:
        return graph_time(torch, lambda i: fn(), args.calls, args.replays)
    except Exception:  # noqa: BLE001  (cuDNN RNNs may refuse graph capture: time with events)
        torch.cuda.synchronize()
        for _ in range(3):
            fn()
        start, stop = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        ms = []
        for _ in range(max(10, args.replays // 5)):
            start.record()
            fn()
            stop.record()
            stop.synchronize()
            ms.append(start.elapsed_time(stop))
        ms.sort()
        return ms[len(ms) // 2], {"n": len(ms), "median_ms": ms[len(ms) // 2], "timing": "events (no graph)"}


def run(torch, args, rows, save):
    for is_lstm in (True, False):
        mixer, ng = ("lstm", 4) if is_lstm else ("gru", 3)
        for (B, T, H, Hd) in (QUICK_SHAPES if args.quick else SHAPES):
            shape = f"B{B}_T{T}_H{H}_Hd{Hd}"
            N = ng * Hd
            flops = 2.0 * B * T * H * Hd * N
            try:
                g = torch.Generator(device="cuda").manual_seed(9)
                G = torch.randn(B, T, H, N, device="cuda", generator=g)
                R = torch.randn(H, Hd, N, device="cuda", generator=g) / math.sqrt(Hd)
                bias = 0.5 * torch.randn(H, N, device="cuda", generator=g)
                want = _ref(torch, G[0], R, bias, is_lstm)
                mods = _modules(torch, R, bias, is_lstm)
                xs = [G[:, :, hd].contiguous() for hd in range(H)]
                out = torch.empty(B, T, H, Hd, device="cuda")
                eye = torch.eye(N, device="cuda")
                flat = G.reshape(B * T * H, N)
                gemm_out = torch.empty_like(flat)
            except Exception as e:  # noqa: BLE001
                rows.append({"peer": "torch_cudnn", "mixer": mixer, "shape": shape, "error": f"{type(e).__name__}: {e}",
                             "traceback": traceback.format_exc(limit=3)})
                save()
                continue

            def call():
                with torch.no_grad():
                    for hd in range(H):
                        y, _ = mods[hd](xs[hd])
                        out[:, :, hd].copy_(y)

            def input_gemm():
                torch.matmul(flat, eye, out=gemm_out)

            for tf32 in (False, True):
                name = f"torch_cudnn_{mixer}" + ("_default" if tf32 else "_fp32")
                row = {"peer": name, "mixer": mixer, "form": "sequence", "shape": shape, "dtype": "float32",
                       "tf32": tf32, "heads_as": "H separate modules" if H > 1 else "one module"}
                try:
                    torch.backends.cudnn.allow_tf32 = tf32
                    torch.backends.cuda.matmul.allow_tf32 = tf32
                    call()
                    torch.cuda.synchronize()
                    row["check"] = {"rel_rms": rel_rms(out[0], want.float()), "subset": "b=0 (all t, h, units)"}
                    ms, stats = _time(torch, call, args)
                    gemm_ms, _ = _time(torch, input_gemm, args)
                    row.update({"ms": ms, "stats": stats, "gflops": flops / (ms * 1e-3) / 1e9,
                                "input_gemm_ms": gemm_ms})
                    rows.append(dict(row))
                    rec = dict(row, peer=name + "_recurrent", ms=max(ms - gemm_ms, 1e-6),
                               note="cuDNN time minus its identity input GEMM timed alone (estimate)")
                    rec["gflops"] = flops / (rec["ms"] * 1e-3) / 1e9
                    rows.append(rec)
                except Exception as e:  # noqa: BLE001
                    row["error"] = f"{type(e).__name__}: {e}"
                    row["traceback"] = traceback.format_exc(limit=3)
                    rows.append(row)
                save()
                log(json.dumps({k: row.get(k) for k in ("peer", "mixer", "shape", "ms", "gflops", "error")}))
            torch.backends.cudnn.allow_tf32 = True
            torch.backends.cuda.matmul.allow_tf32 = False
