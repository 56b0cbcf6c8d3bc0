"""fla peers for the linear-recurrence mixers of issue 7 (imported by gpu_peers.py).

Every mixer is written once as a diagonal-plus-rank-one recurrence for the float64 check,
    S_t = Diag(exp(logd_t)) S_{t-1} + alpha_t (a_t^T S_{t-1}) + k_t vin_t^T,   o_t = scale S_t^T q_t,
with the per-mixer maps of MIXERS.md ("Linear recurrences"), and timed through fla's Triton ops:
the chunked op at B4_T4096_H16_K64_V64 in fp32 (Triton's default fp32 tl.dot is TF32 on Hopper)
and in bf16, and the fused recurrent op as the step peer (T=1, initial_state, cold L2).
"""
import json
import math
import traceback

from gpu_peers_common import graph_time, log, rel_rms, shape_name


def _normalize(torch, x):
    return x / x.norm(dim=-1, keepdim=True).clamp_min(1e-6)


# ---- inputs ------------------------------------------------------------------------------------
def make_inputs(torch, mixer, B, T, H, K, V, seed):
    """The mixer's fp32 inputs on the GPU, drawn as MIXERS.md's tests draw them."""
    import torch.nn.functional as F
    gen = torch.Generator(device="cuda").manual_seed(seed)

    def randn(*shape):
        return torch.randn(*shape, device="cuda", generator=gen)

    x = {}
    delta = mixer in ("delta_rule", "gated_delta_rule", "kda", "gated_delta_rule2")
    x["q"] = _normalize(torch, randn(B, T, H, K)) if delta else randn(B, T, H, K)
    x["k"] = _normalize(torch, randn(B, T, H, K)) if delta or mixer == "rwkv7" else randn(B, T, H, K)
    x["v"] = randn(B, T, H, V)
    if mixer == "retention":
        x["g_gamma"] = (1 - 2.0 ** (-5.0 - torch.arange(H, device="cuda", dtype=torch.float32))).log()
    if mixer in ("simple_gla", "gated_delta_rule"):
        x["g"] = F.logsigmoid(randn(B, T, H))
    if mixer in ("kda", "gated_delta_rule2"):
        x["g"] = F.logsigmoid(randn(B, T, H, K))
    if mixer in ("delta_rule", "gated_delta_rule", "kda"):
        x["beta"] = torch.sigmoid(randn(B, T, H))
    if mixer == "gated_delta_rule2":
        x["b"] = torch.sigmoid(randn(B, T, H, K))
        x["w"] = torch.sigmoid(randn(B, T, H, V))
    if mixer == "rwkv7":
        x["r"] = x.pop("q")
        x["w"] = -torch.exp(0.5 * randn(B, T, H, K) - 1.0)  # log decay, fla's chunk_rwkv7 convention
        kappa = _normalize(torch, randn(B, T, H, K))
        x["a"] = -kappa
        x["b"] = kappa * torch.sigmoid(randn(B, T, H, K))
    return x


def default_scale(mixer, K):
    return 1.0 if mixer == "rwkv7" else K ** -0.5


# ---- the float64 recurrence ----------------------------------------------------------------------
def dplr_terms(torch, mixer, x, t, H):
    """(logd [nh,K], alpha, a [nh,K] or None, vin [nh,V], q [nh,K]) at token t, b=0, float64."""
    def at(name):
        return x[name][0, t].double()
    k, v = at("k"), at("v")
    nh, K = k.shape
    zeros = torch.zeros_like(k)
    if mixer == "linear_attn":
        return zeros, None, None, v, at("q")
    if mixer == "retention":
        gamma = 1.0 - 2.0 ** (-5.0 - torch.arange(nh, device=k.device, dtype=torch.float64))
        return gamma.log()[:, None].expand(nh, K), None, None, v, at("q")
    if mixer == "simple_gla":
        return at("g")[:, None].expand(nh, K), None, None, v, at("q")
    if mixer == "delta_rule":
        beta = at("beta")[:, None]
        return zeros, k, -beta * k, beta * v, at("q")
    if mixer == "gated_delta_rule":
        beta, g = at("beta")[:, None], at("g")[:, None]
        return g.expand(nh, K), k, -beta * g.exp() * k, beta * v, at("q")
    if mixer == "kda":
        beta, g = at("beta")[:, None], at("g")
        return g, k, -beta * g.exp() * k, beta * v, at("q")
    if mixer == "gated_delta_rule2":
        g = at("g")
        return g, k, -(g.exp() * at("b") * k), at("w") * v, at("q")
    if mixer == "rwkv7":
        return at("w"), at("b"), at("a"), v, at("r")
    raise ValueError(mixer)


def recurrence_ref(torch, mixer, x, scale, nh, state=None):
    """b=0, heads 0..nh-1, every token: o [T,nh,V] and the final state [nh,K,V], float64."""
    sub = {n: t[:, :, :nh] for n, t in x.items() if t.dim() >= 3}
    T, K, V = sub["v"].shape[1], sub["k"].shape[-1], sub["v"].shape[-1]
    S = torch.zeros(nh, K, V, dtype=torch.float64, device="cuda") if state is None else state[0, :nh].double()
    o = torch.empty(T, nh, V, dtype=torch.float64, device="cuda")
    for t in range(T):
        logd, alpha, a, vin, q = dplr_terms(torch, mixer, sub, t, nh)
        k = sub["k"][0, t].double()
        S_new = logd.exp()[:, :, None] * S + k[:, :, None] * vin[:, None, :]
        if alpha is not None:
            S_new = S_new + alpha[:, :, None] * torch.einsum("hk,hkv->hv", a, S)[:, None, :]
        S = S_new
        o[t] = scale * torch.einsum("hk,hkv->hv", q, S)
    return o, S


# ---- the fla ops -------------------------------------------------------------------------------
def fla_ops(mixer):
    """(chunked op name, chunked call, recurrent op name, recurrent call); each call takes the
    input dict, scale, initial_state, output_final_state and returns fla's (o, final_state)."""
    if mixer == "linear_attn":
        from fla.ops.linear_attn import chunk_linear_attn, fused_recurrent_linear_attn
        return ("chunk_linear_attn", lambda x, sc, h0, fs: chunk_linear_attn(
                    x["q"], x["k"], x["v"], scale=sc, initial_state=h0, output_final_state=fs, normalize=False),
                "fused_recurrent_linear_attn", lambda x, sc, h0, fs: fused_recurrent_linear_attn(
                    x["q"], x["k"], x["v"], scale=sc, initial_state=h0, output_final_state=fs, normalize=False))
    if mixer == "retention":
        # What chunk_retention and fused_recurrent_retention call, with the per-head log decay
        # made once on the device (make_inputs): they build it from a Python range on every call,
        # a host to device copy that CUDA-graph capture refuses.
        from fla.ops.simple_gla import chunk_simple_gla, fused_recurrent_simple_gla

        return ("chunk_retention", lambda x, sc, h0, fs: chunk_simple_gla(
                    x["q"], x["k"], x["v"], g_gamma=x["g_gamma"], scale=sc, initial_state=h0, output_final_state=fs),
                "fused_recurrent_retention", lambda x, sc, h0, fs: fused_recurrent_simple_gla(
                    x["q"], x["k"], x["v"], g_gamma=x["g_gamma"], scale=sc, initial_state=h0, output_final_state=fs))
    if mixer == "simple_gla":
        from fla.ops.simple_gla import chunk_simple_gla, fused_recurrent_simple_gla
        return ("chunk_simple_gla", lambda x, sc, h0, fs: chunk_simple_gla(
                    x["q"], x["k"], x["v"], g=x["g"], scale=sc, initial_state=h0, output_final_state=fs),
                "fused_recurrent_simple_gla", lambda x, sc, h0, fs: fused_recurrent_simple_gla(
                    x["q"], x["k"], x["v"], g=x["g"], scale=sc, initial_state=h0, output_final_state=fs))
    if mixer == "delta_rule":
        from fla.ops.delta_rule import chunk_delta_rule, fused_recurrent_delta_rule
        return ("chunk_delta_rule", lambda x, sc, h0, fs: chunk_delta_rule(
                    x["q"], x["k"], x["v"], x["beta"], scale=sc, initial_state=h0, output_final_state=fs),
                "fused_recurrent_delta_rule", lambda x, sc, h0, fs: fused_recurrent_delta_rule(
                    x["q"], x["k"], x["v"], x["beta"], scale=sc, initial_state=h0, output_final_state=fs))
    if mixer == "gated_delta_rule":
        from fla.ops.gated_delta_rule import chunk_gated_delta_rule, fused_recurrent_gated_delta_rule
        return ("chunk_gated_delta_rule", lambda x, sc, h0, fs: chunk_gated_delta_rule(
                    x["q"], x["k"], x["v"], x["g"], x["beta"], scale=sc, initial_state=h0, output_final_state=fs),
                "fused_recurrent_gated_delta_rule", lambda x, sc, h0, fs: fused_recurrent_gated_delta_rule(
                    x["q"], x["k"], x["v"], g=x["g"], beta=x["beta"], scale=sc, initial_state=h0,
                    output_final_state=fs))
    if mixer == "kda":
        from fla.ops.kda import chunk_kda, fused_recurrent_kda
        return ("chunk_kda", lambda x, sc, h0, fs: chunk_kda(
                    x["q"], x["k"], x["v"], x["g"], x["beta"], scale=sc, initial_state=h0, output_final_state=fs),
                "fused_recurrent_kda", lambda x, sc, h0, fs: fused_recurrent_kda(
                    x["q"], x["k"], x["v"], x["g"], x["beta"], scale=sc, initial_state=h0, output_final_state=fs))
    if mixer == "gated_delta_rule2":
        from fla.ops.gdn2 import chunk_gdn2, fused_recurrent_gdn2
        return ("chunk_gdn2", lambda x, sc, h0, fs: chunk_gdn2(
                    x["q"], x["k"], x["v"], x["g"], x["b"], x["w"], scale=sc, initial_state=h0,
                    output_final_state=fs),
                "fused_recurrent_gdn2", lambda x, sc, h0, fs: fused_recurrent_gdn2(
                    x["q"], x["k"], x["v"], x["g"], x["b"], x["w"], scale=sc, initial_state=h0,
                    output_final_state=fs))
    if mixer == "rwkv7":
        from fla.ops.rwkv7 import chunk_rwkv7, fused_recurrent_rwkv7
        return ("chunk_rwkv7", lambda x, sc, h0, fs: chunk_rwkv7(
                    x["r"], x["w"], x["k"], x["v"], x["a"], x["b"], scale=sc, initial_state=h0,
                    output_final_state=fs),
                "fused_recurrent_rwkv7", lambda x, sc, h0, fs: fused_recurrent_rwkv7(
                    x["r"], x["w"], x["k"], x["v"], x["a"], x["b"], scale=sc, initial_state=h0,
                    output_final_state=fs))
    raise ValueError(mixer)


MIXERS = ("linear_attn", "retention", "simple_gla", "delta_rule", "gated_delta_rule", "kda",
          "gated_delta_rule2", "rwkv7")
# fla has no fp32 chunked DeltaNet (chunk_delta_rule asserts bf16/fp16): its fp32 peer at the
# chunked shape is the token-by-token kernel.
RECURRENT_AT_CHUNKED_SHAPE = {"delta_rule"}
# Gates and mixing coefficients stay fp32 in the bf16 rows (as fla's layers pass them).
BF16_INPUTS = {"q", "k", "v", "r"}


# ---- work counts (bench/counts.h) ------------------------------------------------------------------
def chunked_flops(B, T, H, K, V, C=64):
    pairs = sum(min(C, T - t0) * (min(C, T - t0) + 1) // 2 for t0 in range(0, T, C))
    return 2.0 * B * H * (2.0 * T * K * V + pairs * (K + V))


def step_bytes(x, V):
    """fp32 bytes a step must move: every input of the token, the state read and written, o."""
    B, _, H, K = x["k"].shape
    return 4.0 * (sum(t.numel() for t in x.values()) + 2 * B * H * K * V + B * H * V)


def _record_error(row, e):
    row["error"] = f"{type(e).__name__}: {e}"
    row["traceback"] = traceback.format_exc(limit=3)


def run_chunked(torch, args, rows, suffix, mixers, save):
    B, T, H, K, V = (1, 256, 2, 64, 64) if args.quick else (4, 4096, 16, 64, 64)
    shape = shape_name(B, H, K, V, T)
    for mixer in mixers:
        try:
            chunk_name, chunk, _, _ = fla_ops(mixer)
        except Exception as e:  # noqa: BLE001
            row = {"peer": "fla" + suffix, "mixer": mixer}
            _record_error(row, e)
            rows.append(row)
            continue
        x = make_inputs(torch, mixer, B, T, H, K, V, seed=7)
        scale = default_scale(mixer, K)
        nh = min(4, H)
        log(f"{mixer} float64 reference {shape}")
        want, _ = recurrence_ref(torch, mixer, x, scale, nh)
        dtypes = [("float32", None)] if suffix else [("float32", None), ("bfloat16", torch.bfloat16)]
        ops = [(chunk_name, chunk, dtype_name, dtype) for dtype_name, dtype in dtypes]
        if mixer in RECURRENT_AT_CHUNKED_SHAPE:
            _, _, rec_name, rec = fla_ops(mixer)
            ops.append((rec_name, rec, "float32", None))
        for op_name, op, dtype_name, dtype in ops:
            xs = {n: (t.to(dtype) if dtype is not None and n in BF16_INPUTS else t) for n, t in x.items()}
            out = torch.empty(B, T, H, V, device="cuda", dtype=xs["v"].dtype)
            name = f"fla_{op_name}" + ("_bf16" if dtype is not None else "") + suffix
            form = "chunked" if op is chunk else "recurrent"
            row = {"peer": name, "mixer": mixer, "form": form, "shape": shape, "dtype": dtype_name,
                   "precision": ("ieee fp32 (TRITON_F32_DEFAULT=ieee)" if suffix else
                                 "fp32 tensors; Triton runs fp32 tl.dot as TF32 by default")
                   if dtype is None else "bf16 q/k/v, fp32 gates", "flops": chunked_flops(B, T, H, K, V)}
            log(f"start {name} {shape}")
            try:
                def call(i, xs=xs, out=out, op=op):
                    out.copy_(op(xs, scale, None, False)[0])
                ms, stats = graph_time(torch, call, calls=args.calls, replays=args.replays)
                call(0)
                torch.cuda.synchronize()
                row.update(ms=ms, stats=stats, gflops=row["flops"] / (ms * 1e-3) / 1e9,
                           check={"rel_rms": rel_rms(out[0, :, :nh].float(), want),
                                  "subset": f"b=0, heads 0..{nh - 1}, all {T} tokens"},
                           note="[B,T,H,K] layout; the timed call includes one out.copy_ of o")
            except Exception as e:  # noqa: BLE001 - one peer failing must not stop the others
                _record_error(row, e)
            rows.append(row)
            save()
            log(json.dumps({k: row.get(k) for k in ("peer", "shape", "ms", "gflops", "error")}))
            del out
        del x
        torch.cuda.empty_cache()


def run_step(torch, args, rows, suffix, mixers, save):
    B, H, K, V = (4, 2, 64, 64) if args.quick else (64, 16, 64, 64)
    shape = shape_name(B, H, K, V)
    l2 = torch.cuda.get_device_properties(0).L2_cache_size or 50 * 2 ** 20
    for mixer in mixers:
        row = {"peer": "fla" + suffix, "mixer": mixer + "_step", "form": "step", "shape": shape, "dtype": "float32"}
        try:
            _, _, rec_name, rec = fla_ops(mixer)
            row["peer"] = f"fla_{rec_name}" + suffix
            scale = default_scale(mixer, K)
            probe = make_inputs(torch, mixer, B, 1, H, K, V, seed=11)
            nbytes = step_bytes(probe, V)
            row["bytes"] = nbytes
            nsets = max(2, math.ceil(2 * l2 / nbytes) + 1)
            gen = torch.Generator(device="cuda").manual_seed(12)
            sets = []
            for i in range(nsets):
                x = make_inputs(torch, mixer, B, 1, H, K, V, seed=100 + i)
                h0 = 0.5 * torch.randn(B, H, K, V, device="cuda", generator=gen)
                sets.append((x, h0, torch.empty(B, 1, H, V, device="cuda"), torch.empty(B, H, K, V, device="cuda")))

            def call(i):
                x, h0, o_buf, ht_buf = sets[i % nsets]
                o, ht = rec(x, scale, h0, True)
                o_buf.copy_(o)
                ht_buf.copy_(ht)
            calls = nsets * max(1, math.ceil(args.calls / nsets))
            log(f"start {row['peer']} {mixer}_step {shape}")
            ms, stats = graph_time(torch, call, calls=calls, replays=args.replays)
            call(0)
            torch.cuda.synchronize()
            x, h0, o_buf, ht_buf = sets[0]
            o_ref, s_ref = recurrence_ref(torch, mixer, {n: t for n, t in x.items()}, scale, H, state=h0)
            # recurrence_ref checks batch 0; the step's rows are independent per batch.
            row.update(ms=ms, stats=stats, gbps=nbytes / (ms * 1e-3) / 1e9,
                       protocol={"cache": "rotate", "sets": nsets, "cache_bytes": l2},
                       check={"rel_rms": max(rel_rms(o_buf[0, 0], o_ref[0]), rel_rms(ht_buf[0], s_ref)),
                              "subset": "b=0, all heads (o and final_state)"},
                       note="T=1 with initial_state and output_final_state; the timed call includes out.copy_ of "
                            "o and of the new state (over-counts fla's time by about one state copy)")
        except Exception as e:  # noqa: BLE001
            _record_error(row, e)
        rows.append(row)
        save()
        log(json.dumps({k: row.get(k) for k in ("peer", "mixer", "shape", "ms", "gbps", "error")}))
        torch.cuda.empty_cache()


def run(torch, args, rows, suffix="", save=lambda: None):
    """The chunked rows then the step rows of the mixers named by --recurrences; `save` is called
    after every row (a run cut short by a time limit keeps what it measured)."""
    mixers = [m for m in MIXERS if m in args.recurrences.split(",")] if args.recurrences != "all" else list(MIXERS)
    forms = args.recurrence_forms.split(",")
    if "chunked" in forms:
        run_chunked(torch, args, rows, suffix, mixers, save)
    if "step" in forms:
        run_step(torch, args, rows, suffix, mixers, save)
