"""Peers for issue 8's mixers (imported by gpu_peers.py): mamba_ssm's Triton SSD and state update,
fla's Triton causal conv1d, PyTorch SDPA for decode attention. Row names follow seqmix-bench's
(bench/counts.h); every peer is checked against a float64 computation on a subset.
"""
import json
import math
import traceback

from gpu_peers_common import graph_time, log, rel_rms


def _error(row, e):
    row["error"] = f"{type(e).__name__}: {e}"
    row["traceback"] = traceback.format_exc(limit=3)


def _finish(rows, save, row, keys=("peer", "mixer", "shape", "ms", "gbps", "gflops", "error")):
    rows.append(row)
    save()
    log(json.dumps({k: row.get(k) for k in keys if k in row}))


def _sets(torch, make, set_bytes, calls):
    """Enough buffer sets to exceed twice the L2, so each call reads from HBM."""
    l2 = torch.cuda.get_device_properties(0).L2_cache_size or 50 * 2 ** 20
    n = max(2, math.ceil(2 * l2 / set_bytes) + 1)
    return [make(i) for i in range(n)], n * max(1, math.ceil(calls / n)), {"cache": "rotate", "sets": n}


# ---- decode attention: SDPA, one query, GQA ------------------------------------------------------
def run_decode(torch, args, rows, save):
    import torch.nn.functional as F
    H, Hkv, D = 32, 8, 128
    shapes = [(2, 1024)] if args.quick else [(64, 4096), (64, 16384), (8, 65536), (8, 131072), (1, 1048576)]
    for B, L in shapes:
        shape = f"B{B}_Tq1_L{L}_H{H}_Hkv{Hkv}_K{D}_V{D}"  # seqmix-bench's decode_attention name
        row = {"peer": "torch_sdpa_default", "mixer": "decode_attention", "form": "equal", "shape": shape,
               "dtype": "float32", "bytes": 4.0 * B * (2 * L * Hkv * D + 2 * H * D)}
        try:
            gen = torch.Generator(device="cuda").manual_seed(5)
            # SDPA's native layout [B, heads, L, D], contiguous (seqmix reads [B, L, Hkv, D]).
            q = torch.randn(B, H, 1, D, device="cuda", generator=gen)
            k = torch.randn(B, Hkv, L, D, device="cuda", generator=gen)
            v = torch.randn(B, Hkv, L, D, device="cuda", generator=gen)
            out = torch.empty(B, H, 1, D, device="cuda")

            def call(i):
                out.copy_(F.scaled_dot_product_attention(q, k, v, enable_gqa=True))
            log(f"start sdpa decode {shape}")
            ms, stats = graph_time(torch, call, calls=args.calls, replays=args.replays)
            call(0)
            torch.cuda.synchronize()
            qd, kd, vd = q[0, :4, 0].double(), k[0, 0].double(), v[0, 0].double()  # heads 0..3 use kv head 0
            want = torch.softmax(qd @ kd.T / math.sqrt(D), dim=-1) @ vd
            row.update(ms=ms, stats=stats, gbps=row["bytes"] / (ms * 1e-3) / 1e9,
                       check={"rel_rms": rel_rms(out[0, :4, 0], want), "subset": "b=0, heads 0..3"},
                       note="F.scaled_dot_product_attention(enable_gqa=True), fp32, equal lengths (SDPA has no "
                            "ragged form); K/V in SDPA's [B,Hkv,L,D] layout; the timed call includes out.copy_")
            del q, k, v, out
        except Exception as e:  # noqa: BLE001 - one peer failing must not stop the others
            _error(row, e)
        _finish(rows, save, row)
        torch.cuda.empty_cache()


# ---- Mamba-2 SSD: mamba_chunk_scan_combined and the multi-head selective_state_update ----------
def ssd_ref(torch, x, dt, A, Bm, Cm, nh, state=None):
    """b=0, heads 0..nh-1 (group 0): y [T,nh,P], final state [nh,P,N], float64."""
    xd, dtd = x[0, :, :nh].double(), dt[0, :, :nh].double()
    Bd, Cd = Bm[0, :, 0].double(), Cm[0, :, 0].double()
    T, P, N = xd.shape[0], xd.shape[-1], Bd.shape[-1]
    h = torch.zeros(nh, P, N, dtype=torch.float64, device="cuda") if state is None else state[0, :nh].double()
    y = torch.empty(T, nh, P, dtype=torch.float64, device="cuda")
    for t in range(T):
        a = torch.exp(dtd[t] * A[:nh].double())
        h = a[:, None, None] * h + (dtd[t][:, None] * xd[t])[:, :, None] * Bd[t][None, None, :]
        y[t] = torch.einsum("hpn,n->hp", h, Cd[t])
    return y, h


def run_ssd(torch, args, rows, save):
    import torch.nn.functional as F
    try:
        from mamba_ssm.ops.triton.ssd_combined import mamba_chunk_scan_combined
        from mamba_ssm.ops.triton.selective_state_update import selective_state_update
    except Exception as e:  # noqa: BLE001
        row = {"peer": "mamba_ssm", "mixer": "ssd"}
        _error(row, e)
        _finish(rows, save, row)
        return
    B, T, H, P, N, G = (1, 256, 4, 64, 32, 1) if args.quick else (4, 4096, 32, 64, 128, 1)
    shape = f"B{B}_T{T}_H{H}_P{P}_N{N}_G{G}"
    row = {"peer": "mamba_chunk_scan_combined", "mixer": "ssd", "form": "chunked", "shape": shape, "dtype": "float32",
           "flops": 2.0 * B * H * (2.0 * T * P * N + sum(min(64, T - t0) * (min(64, T - t0) + 1) // 2
                                                          for t0 in range(0, T, 64)) * (P + N))}
    try:
        gen = torch.Generator(device="cuda").manual_seed(8)
        x = torch.randn(B, T, H, P, device="cuda", generator=gen)
        dt = F.softplus(torch.randn(B, T, H, device="cuda", generator=gen) - 1.0)
        A = -torch.exp(torch.rand(H, device="cuda", generator=gen))
        Bm = torch.randn(B, T, G, N, device="cuda", generator=gen)
        Cm = torch.randn(B, T, G, N, device="cuda", generator=gen)
        out = torch.empty_like(x)

        def call(i):
            out.copy_(mamba_chunk_scan_combined(x, dt, A, Bm, Cm, chunk_size=256))
        log(f"start mamba_chunk_scan_combined {shape}")
        ms, stats = graph_time(torch, call, calls=args.calls, replays=args.replays)
        call(0)
        torch.cuda.synchronize()
        want, _ = ssd_ref(torch, x, dt, A, Bm, Cm, nh=2)
        row.update(ms=ms, stats=stats, gflops=row["flops"] / (ms * 1e-3) / 1e9,
                   check={"rel_rms": rel_rms(out[0, :, :2], want), "subset": "b=0, heads 0..1"},
                   note="mamba_ssm Triton, chunk_size=256 (Mamba-2's default), fp32 tensors (tl.dot in TF32); "
                        "flops counted as seqmix's ssd rows count them (chunk 64)")
        del x, dt, Bm, Cm, out
    except Exception as e:  # noqa: BLE001
        _error(row, e)
    _finish(rows, save, row)
    torch.cuda.empty_cache()

    # Step: the multi-head state update, heads' A/dt/D broadcast with stride 0 as Mamba2.step does.
    Bs = 4 if args.quick else 64
    shape = f"B{Bs}_H{H}_P{P}_N{N}_G{G}"
    row = {"peer": "selective_state_update", "mixer": "ssd_step", "form": "step", "shape": shape, "dtype": "float32",
           "bytes": 4.0 * (2 * Bs * H * P * N + 2 * Bs * H * P + Bs * H + 2 * Bs * G * N)}
    try:
        gen = torch.Generator(device="cuda").manual_seed(9)
        A = -torch.exp(torch.rand(H, device="cuda", generator=gen))
        Dsk = torch.randn(H, device="cuda", generator=gen)

        def make(i):
            return dict(state=0.5 * torch.randn(Bs, H, P, N, device="cuda", generator=gen),
                        x=torch.randn(Bs, H, P, device="cuda", generator=gen),
                        dt=F.softplus(torch.randn(Bs, H, device="cuda", generator=gen) - 1.0),
                        B=torch.randn(Bs, G, N, device="cuda", generator=gen),
                        C=torch.randn(Bs, G, N, device="cuda", generator=gen),
                        y=torch.empty(Bs, H, P, device="cuda"))
        sets, calls, protocol = _sets(torch, make, row["bytes"], args.calls)
        A_hpn = A[:, None, None].expand(H, P, N)
        D_hp = Dsk[:, None].expand(H, P)
        # A zero dt_bias broadcast with stride 0, as Mamba2.step passes it: mamba_ssm's HEAD reads
        # dt_bias.stride() unconditionally (None fails) and takes its tied-head-dim path from it.
        bias_hp = torch.zeros(H, device="cuda")[:, None].expand(H, P)

        def call(i):
            st = sets[i % len(sets)]
            st["y"].copy_(selective_state_update(st["state"], st["x"], st["dt"][:, :, None].expand(Bs, H, P), A_hpn,
                                                 st["B"], st["C"], D=D_hp, dt_bias=bias_hp))
        st0 = sets[0]
        h0 = st0["state"][:1].clone()
        log(f"start selective_state_update (ssd_step) {shape}")
        ms, stats = graph_time(torch, call, calls=calls, replays=args.replays, warmup=1)
        # The update is in place: check one fresh call from the saved state of set 0, batch 0.
        st0["state"][:1].copy_(h0)
        call(0)
        torch.cuda.synchronize()
        a = torch.exp(st0["dt"][0].double() * A.double())
        h = a[:, None, None] * h0[0].double() + (st0["dt"][0].double()[:, None] * st0["x"][0].double())[:, :, None] \
            * st0["B"][0, 0].double()[None, None, :]
        y = torch.einsum("hpn,n->hp", h, st0["C"][0, 0].double()) + Dsk.double()[:, None] * st0["x"][0].double()
        row.update(ms=ms, stats=stats, gbps=row["bytes"] / (ms * 1e-3) / 1e9, protocol=protocol,
                   check={"rel_rms": max(rel_rms(st0["y"][0], y), rel_rms(st0["state"][0], h)),
                          "subset": "b=0 (y and the state)"},
                   note="mamba_ssm Triton selective_state_update, state updated in place, D skip; the timed call "
                        "includes one y.copy_")
    except Exception as e:  # noqa: BLE001
        _error(row, e)
    _finish(rows, save, row)
    torch.cuda.empty_cache()


# ---- Mamba S6 step: selective_state_update in its per-channel (Mamba-1) form ---------------------
def run_selective_scan_step(torch, args, rows, save):
    import torch.nn.functional as F
    try:
        from mamba_ssm.ops.triton.selective_state_update import selective_state_update
    except Exception as e:  # noqa: BLE001
        row = {"peer": "mamba_ssm", "mixer": "selective_scan_step"}
        _error(row, e)
        _finish(rows, save, row)
        return
    B, D, N = (4, 256, 16) if args.quick else (64, 5120, 16)
    shape = f"B{B}_D{D}_N{N}_G1"
    row = {"peer": "selective_state_update", "mixer": "selective_scan_step", "form": "step", "shape": shape,
           "dtype": "float32", "bytes": 4.0 * (2 * B * D * N + 3 * B * D + 2 * B * N + D * N + 2 * D)}
    try:
        gen = torch.Generator(device="cuda").manual_seed(10)
        A = -torch.exp(torch.randn(D, N, device="cuda", generator=gen))
        Dsk, bias = torch.randn(D, device="cuda", generator=gen), torch.randn(D, device="cuda", generator=gen)

        def make(i):
            return dict(state=0.5 * torch.randn(B, D, N, device="cuda", generator=gen),
                        x=torch.randn(B, D, device="cuda", generator=gen),
                        dt=torch.randn(B, D, device="cuda", generator=gen),
                        B=torch.randn(B, N, device="cuda", generator=gen), C=torch.randn(B, N, device="cuda", generator=gen),
                        y=torch.empty(B, D, device="cuda"))
        sets, calls, protocol = _sets(torch, make, row["bytes"], args.calls)

        def call(i):
            st = sets[i % len(sets)]
            st["y"].copy_(selective_state_update(st["state"], st["x"], st["dt"], A, st["B"], st["C"], D=Dsk,
                                                 dt_bias=bias, dt_softplus=True))
        st0 = sets[0]
        h0 = st0["state"][:1].clone()
        log(f"start selective_state_update (selective_scan_step) {shape}")
        ms, stats = graph_time(torch, call, calls=calls, replays=args.replays, warmup=1)
        st0["state"][:1].copy_(h0)
        call(0)
        torch.cuda.synchronize()
        dt = F.softplus(st0["dt"][0].double() + bias.double())
        h = torch.exp(dt[:, None] * A.double()) * h0[0].double() + (dt * st0["x"][0].double())[:, None] \
            * st0["B"][0].double()[None, :]
        y = h @ st0["C"][0].double() + Dsk.double() * st0["x"][0].double()
        row.update(ms=ms, stats=stats, gbps=row["bytes"] / (ms * 1e-3) / 1e9, protocol=protocol,
                   check={"rel_rms": max(rel_rms(st0["y"][0], y), rel_rms(st0["state"][0], h)),
                          "subset": "b=0 (y and the state)"},
                   note="mamba_ssm Triton selective_state_update [B,D,N] form, delta_bias + softplus, D skip, no z")
    except Exception as e:  # noqa: BLE001
        _error(row, e)
    _finish(rows, save, row)
    torch.cuda.empty_cache()


# ---- causal conv1d: fla's Triton kernel -------------------------------------------------------------
def run_conv(torch, args, rows, save):
    try:
        from fla.modules.conv.causal_conv1d import causal_conv1d
    except Exception as e:  # noqa: BLE001
        row = {"peer": "fla_causal_conv1d", "mixer": "causal_conv1d"}
        _error(row, e)
        _finish(rows, save, row)
        return
    B, T, D, W = (1, 256, 256, 4) if args.quick else (8, 4096, 5120, 4)
    shape = f"B{B}_T{T}_D{D}_W{W}"
    row = {"peer": "fla_causal_conv1d", "mixer": "causal_conv1d", "form": "sequence", "shape": shape,
           "dtype": "float32", "bytes": 4.0 * (2.0 * B * T * D + D * (W + 1))}
    try:
        gen = torch.Generator(device="cuda").manual_seed(13)
        x = torch.randn(B, T, D, device="cuda", generator=gen)
        w = torch.randn(D, W, device="cuda", generator=gen)
        bias = torch.randn(D, device="cuda", generator=gen)
        out = torch.empty_like(x)

        def call(i):
            y = causal_conv1d(x, weight=w, bias=bias, activation="silu")
            out.copy_(y[0] if isinstance(y, tuple) else y)
        log(f"start fla causal_conv1d {shape}")
        ms, stats = graph_time(torch, call, calls=args.calls, replays=args.replays)
        call(0)
        torch.cuda.synchronize()
        xd = torch.nn.functional.pad(x[0, :, :64].double(), (0, 0, W - 1, 0))
        acc = bias[:64].double() + sum(w[:64, j].double() * xd[j:j + T] for j in range(W))
        want = acc * torch.sigmoid(acc)
        row.update(ms=ms, stats=stats, gbps=row["bytes"] / (ms * 1e-3) / 1e9,
                   check={"rel_rms": rel_rms(out[0, :, :64], want), "subset": "b=0, channels 0..63"},
                   note="fla.modules.conv causal_conv1d (Triton backend), bias + SiLU; the timed call includes "
                        "out.copy_ (counted bytes: x read, y written, weight and bias)")
        del x, out
    except Exception as e:  # noqa: BLE001
        _error(row, e)
    _finish(rows, save, row)
    torch.cuda.empty_cache()


def run(torch, args, rows, save=lambda: None):
    run_decode(torch, args, rows, save)
    run_ssd(torch, args, rows, save)
    run_selective_scan_step(torch, args, rows, save)
    run_conv(torch, args, rows, save)
