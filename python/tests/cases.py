"""One input builder per exposed op: random inputs drawn as MIXERS.md says (log gates from logsigmoid,
L2-normalised keys for the delta rules, negative A), the seqmix call, and the float64 reference.

case(name, shape, rng) -> (args, kwargs, expected): seqmix.<name>(*args, **kwargs) must return
`expected` (a tuple of float64 arrays, in the op's return order)."""
import numpy as np

import references as ref
import seqmix

# Awkward shapes: T = 1, T not a multiple of the chunk (64) and odd head dims.
SHAPES = {
    "T1": dict(B=1, T=1, H=2, K=16, V=8),
    "T37_odd": dict(B=2, T=37, H=3, K=20, V=12),
    "T70": dict(B=1, T=70, H=2, K=32, V=16),
}


def f32(x):
    return np.ascontiguousarray(x, dtype=np.float32)


def normal(rng, *shape):
    return f32(rng.standard_normal(shape))


def log_gate(rng, *shape, tau=8.0):
    x = rng.standard_normal(shape)
    return f32(-np.logaddexp(0, -x) / tau)  # logsigmoid(x) / tau


def sigmoid(rng, *shape):
    return f32(1 / (1 + np.exp(-rng.standard_normal(shape))))


def unit(rng, *shape):
    x = rng.standard_normal(shape)
    return f32(x / np.linalg.norm(x, axis=-1, keepdims=True))


def _linear(name, s, rng, step=False):
    B, T, H, K, V = s["B"], s["T"], s["H"], s["K"], s["V"]
    lead = (B, H) if step else (B, T, H)
    delta = "delta" in name or name == "kda"
    q = normal(rng, *lead, K)
    k = unit(rng, *lead, K) if delta else f32(normal(rng, *lead, K) / np.sqrt(K))
    v = normal(rng, *lead, V)
    extra = {}
    if name in ("gla", "kda", "gated_delta_rule2"):
        extra["g"] = log_gate(rng, *lead, K)
    if name in ("simple_gla", "gated_delta_rule"):
        extra["g"] = log_gate(rng, *lead)
    if name in ("delta_rule", "gated_delta_rule", "kda"):
        extra["beta"] = sigmoid(rng, *lead)
    if name == "gated_delta_rule2":
        extra["b"], extra["w"] = sigmoid(rng, *lead, K), sigmoid(rng, *lead, V)
    state = normal(rng, B, H, K, V) * 0.5
    args = [q, k, v, *extra.values()]
    if step:
        o, S = ref.step(lambda *a, **kw: ref.linear_family(name, *a[:3], **dict(zip(extra, a[3:])), **kw),
                        q, k, v, *extra.values(), state=state)
        return args + [state], {}, (o, S)
    o, S = ref.linear_family(name, q, k, v, initial_state=state, **extra)
    return args, dict(initial_state=state, output_final_state=True), (o, S)


def _rwkv7(s, rng, step=False):
    B, T, H, K, V = s["B"], s["T"], s["H"], s["K"], s["V"]
    lead = (B, H) if step else (B, T, H)
    r, v = normal(rng, *lead, K), normal(rng, *lead, V)
    w = f32(-np.exp(rng.standard_normal(lead + (K,)) * 0.5 - 2.0))
    k = f32(normal(rng, *lead, K) / np.sqrt(K))
    kappa = unit(rng, *lead, K)
    a, b = f32(-kappa), f32(kappa * sigmoid(rng, *lead, K))
    state = normal(rng, B, H, K, V) * 0.5
    if step:
        o, S = ref.step(ref.rwkv7, r, w, k, v, a, b, state=state)
        return [r, w, k, v, a, b, state], {}, (o, S)
    o, S = ref.rwkv7(r, w, k, v, a, b, initial_state=state)
    return [r, w, k, v, a, b], dict(initial_state=state, output_final_state=True), (o, S)


def _ssd_inputs(s, rng, lead):
    H, P, N, G = s["H"], s["V"], s["K"] // 2, 1
    x = normal(rng, *lead, H, P)
    dt = f32(rng.standard_normal(lead + (H,)) - 1.0)  # through softplus
    A = f32(-np.exp(rng.standard_normal(H) * 0.5))
    Bm, Cm = normal(rng, *lead, G, N), normal(rng, *lead, G, N)
    Dskip, dt_bias = normal(rng, H), f32(rng.standard_normal(H) * 0.1)
    return x, dt, A, Bm, Cm, Dskip, dt_bias


def _ssd(s, rng):
    B, T = s["B"], s["T"]
    x, dt, A, Bm, Cm, Dskip, dt_bias = _ssd_inputs(s, rng, (B, T))
    state = normal(rng, B, x.shape[2], x.shape[3], Bm.shape[3]) * 0.5
    kw = dict(Dskip=Dskip, dt_bias=dt_bias, dt_softplus=True)
    y, h = ref.ssd(x, dt, A, Bm, Cm, initial_state=state, **kw)
    return [x, dt, A, Bm, Cm], dict(initial_state=state, output_final_state=True, **kw), (y, h)


def _ssd_step(s, rng):
    B = s["B"]
    x, dt, A, Bm, Cm, Dskip, dt_bias = _ssd_inputs(s, rng, (B,))
    state = normal(rng, B, x.shape[1], x.shape[2], Bm.shape[2]) * 0.5
    kw = dict(Dskip=Dskip, dt_bias=dt_bias, dt_softplus=True)
    y, h = ref.ssd(*[a[:, None] for a in (x, dt)], A, Bm[:, None], Cm[:, None], initial_state=state, **kw)
    return [x, dt, A, Bm, Cm, state], kw, (y[:, 0], h)


def _ssd_bidirectional(s, rng):
    B, T = s["B"], s["T"]
    x, dt_f, A, Bm_f, Cm_f, Dskip, dt_bias = _ssd_inputs(s, rng, (B, T))
    _, dt_b, _, Bm_b, Cm_b, _, _ = _ssd_inputs(s, rng, (B, T))
    kw = dict(Dskip=Dskip, dt_bias=dt_bias, dt_softplus=True)
    y = ref.ssd_bidirectional(x, dt_f, Bm_f, Cm_f, dt_b, Bm_b, Cm_b, A, **kw)
    return [x, dt_f, Bm_f, Cm_f, dt_b, Bm_b, Cm_b, A], kw, (y,)


def _conv(s, rng, step=False):
    B, T, D, W = s["B"], s["T"], s["H"] * s["V"] + 1, 4
    x = normal(rng, B, 1 if step else T, D)
    weight, bias, state = normal(rng, D, W), normal(rng, D), normal(rng, B, D, W - 1)
    y, fs = ref.causal_conv1d(x, weight, bias=bias, initial_state=state, activation="silu")
    if step:
        return [x[:, 0], weight, state], dict(bias=bias, activation="silu"), (y[:, 0], fs)
    kw = dict(bias=bias, initial_state=state, output_final_state=True, activation="silu")
    return [x, weight], kw, (y, fs)


def _scan(s, rng, step=False):
    B, T, D, N, G = s["B"], s["T"], s["H"] * 2, s["K"] // 2, 2
    t = 1 if step else T
    x, z = normal(rng, B, D, t), normal(rng, B, D, t)
    delta = f32(rng.standard_normal((B, D, t)) - 1.0)
    A = f32(-np.exp(rng.standard_normal((D, N)) * 0.5))
    Bm, Cm = normal(rng, B, G, N, t), normal(rng, B, G, N, t)
    Dskip, delta_bias, state = normal(rng, D), f32(rng.standard_normal(D) * 0.1), normal(rng, B, D, N)
    kw = dict(Dskip=Dskip, z=z, delta_bias=delta_bias, delta_softplus=True)
    y, h = ref.selective_scan(x, delta, A, Bm, Cm, initial_state=state, **kw)
    if step:
        kw["z"] = z[..., 0]
        return [x[..., 0], delta[..., 0], A, Bm[..., 0], Cm[..., 0], state], kw, (y[..., 0], h)
    return [x, delta, A, Bm, Cm], dict(initial_state=state, output_final_state=True, **kw), (y, h)


def _attention(s, rng):
    B, T, H, K, V = s["B"], s["T"], s["H"] * 2, s["K"], s["V"]
    S, Hkv = T + 5, s["H"]
    q, k, v = normal(rng, B, T, H, K), normal(rng, B, S, Hkv, K), normal(rng, B, S, Hkv, V)
    o, lse = ref.attention(q, k, v, causal=True, window=9)
    return [q, k, v], dict(causal=True, window=9, return_lse=True), (o, lse)


def _decode_attention(s, rng):
    B, H, K, V, L, Tq = s["B"] + 1, s["H"] * 2, s["K"], s["V"], s["T"] + 20, 2
    q, k, v = normal(rng, B, Tq, H, K), normal(rng, B, L, s["H"], K), normal(rng, B, L, s["H"], V)
    lens = np.array([L - 3 * i for i in range(B)], np.int32)
    o, lse = ref.decode_attention(q, k, v, lens)
    return [q, k, v, lens], dict(return_lse=True), (o, lse)


def _gla_state(s, rng):
    args, _, _ = _linear("gla", s, rng)
    q, k, v, g = args
    _, S = ref.linear_family("gla", q, k, v, g=g)
    decay = np.exp(np.asarray(g, np.float64).sum(1))
    return [k, v, g], {}, (S, decay)


def _gla_decay(s, rng):
    g = log_gate(rng, s["B"], s["T"], s["H"], s["K"])
    return [g], {}, (np.exp(np.asarray(g, np.float64).sum(1)),)


def _token_mix(s, rng):
    B, T, C = s["B"], s["T"], s["K"]
    x, W, bias = normal(rng, B, T, C), normal(rng, T, T), normal(rng, T)
    causal = T > 1
    if causal:
        W[np.triu_indices(T, 1)] = np.nan  # never read
    return [x, W], dict(bias=bias, causal=causal), (ref.token_mix(x, W, bias, causal=causal),)


def _gla_inter(s, rng):
    B, T, H, K, V = s["B"], s["T"], s["H"], s["K"], s["V"]
    q, g = normal(rng, B, T, H, K), log_gate(rng, B, T, H, K)
    state, o = normal(rng, B, H, K, V) * 0.5, normal(rng, B, T, H, V)
    return [q, g, state, o], {}, (ref.gla_inter(q, g, state, o),)


def _monarch(s, rng, axis=None):
    B, T, C = s["B"], s["T"], s["K"] + 3  # C not a square
    axis = axis or ("sequence" if T % 2 == 0 else "channel")
    n = C if axis == "channel" else T
    m = int(np.ceil(np.sqrt(n)))
    x, L, R = normal(rng, B, T, C), f32(normal(rng, m, m, m) / np.sqrt(m)), f32(normal(rng, m, m, m) / np.sqrt(m))
    return [x, L, R], dict(axis=axis), (ref.monarch(x, L, R, axis),)


def _long_conv(s, rng):
    B, D, T = s["B"], s["H"] * 2 + 1, s["T"]
    L = (T + 1) // 2
    u, kf, gate = normal(rng, B, D, T), f32(normal(rng, D, L) / np.sqrt(L)), normal(rng, B, D, T)
    Dskip = normal(rng, D)
    return [u, kf], dict(Dskip=Dskip, gate=gate), (ref.long_conv(u, kf, Dskip, gate),)


def long_conv_fft_shape(s):
    """A shape that dispatches to an FFT variant of long_conv (L > 96 on the CPU targets)."""
    return s["B"], s["H"] * 2 + 1, s["T"] + 100, 97


def _long_conv_filter(s, rng):
    B, D, T, L = long_conv_fft_shape(s)
    kf = normal(rng, D, L)
    n = seqmix.long_conv_fft_length(B, D, T, L)
    return [kf, B, T], {}, (ref.long_conv_spectrum(kf, n),)


def _lmu(s, rng, step=False):
    B, T, C, d = s["B"], s["T"], s["H"] + 1, 5
    theta = T + 3.5
    state = normal(rng, B, C, d) * 0.5
    if step:
        u = normal(rng, B, C)
        _, new_state = ref.lmu(u[:, None], d, theta, initial_state=state)
        return [u, state], dict(theta=theta), (new_state,)
    u = normal(rng, B, T, C)
    m, final = ref.lmu(u, d, theta, initial_state=state)
    return [u], dict(initial_state=state, output_final_state=True, theta=theta), (m, final)


def _rnn_inputs(s, rng, cell, lead, diagonal=False):
    H, Hd = s["H"], s["V"] + 1
    ng = 4 if cell == "lstm" else 3
    G = normal(rng, *lead, H, ng * Hd)
    R = f32(normal(rng, H, Hd, ng) * 0.5) if diagonal else f32(normal(rng, H, Hd, ng * Hd) / np.sqrt(Hd))
    bias, h, c = f32(normal(rng, H, ng * Hd) * 0.1), normal(rng, s["B"], H, Hd), normal(rng, s["B"], H, Hd)
    return G, R, bias, h, c


def _rnn(cell, s, rng, step=False, pararnn=False):
    """lstm, gru (dense R) and their steps; pararnn=True: ParaRNN's diagonal Rd and its cell option."""
    B, T = s["B"], s["T"]
    G, R, bias, h, c = _rnn_inputs(s, rng, cell, (B,) if step else (B, T), diagonal=pararnn)
    lstm = cell == "lstm"
    if step:
        _, h1, c1 = ref.rnn(cell, G[:, None], R, bias, h, c if lstm else None)
        return ([G, R, h, c], dict(bias=bias), (h1, c1)) if lstm else ([G, R, h], dict(bias=bias), (h1,))
    y, hT, cT = ref.rnn(cell, G, R, bias, h, c if lstm else None, diagonal=pararnn)
    kw = dict(bias=bias, initial_h=h, output_final_state=True, **(dict(cell=cell) if pararnn else {}))
    if lstm:
        return [G, R], dict(kw, initial_c=c), (y, hT, cT)
    return [G, R], kw, (y, hT)


def _pararnn(s, rng, cell=None):
    return _rnn(cell or ("lstm" if s["T"] % 2 else "gru"), s, rng, pararnn=True)


LINEAR = ["gla", "linear_attn", "retention", "simple_gla", "delta_rule", "gated_delta_rule", "kda", "gated_delta_rule2"]
CASES = {name: (lambda s, rng, n=name: _linear(n, s, rng)) for name in LINEAR}
CASES.update({name + "_step": (lambda s, rng, n=name: _linear(n, s, rng, step=True)) for name in LINEAR})
CASES.update(
    attention=_attention,
    decode_attention=_decode_attention,
    gla_state=_gla_state,
    gla_decay=_gla_decay,
    token_mix=_token_mix,
    rwkv7=_rwkv7,
    rwkv7_step=lambda s, rng: _rwkv7(s, rng, step=True),
    ssd=_ssd,
    ssd_step=_ssd_step,
    ssd_bidirectional=_ssd_bidirectional,
    causal_conv1d=_conv,
    causal_conv1d_step=lambda s, rng: _conv(s, rng, step=True),
    selective_scan=_scan,
    selective_scan_step=lambda s, rng: _scan(s, rng, step=True),
    gla_inter=_gla_inter,
    monarch=_monarch,
    long_conv=_long_conv,
    long_conv_filter=_long_conv_filter,
    lmu=_lmu,
    lmu_step=lambda s, rng: _lmu(s, rng, step=True),
    lstm=lambda s, rng: _rnn("lstm", s, rng),
    lstm_step=lambda s, rng: _rnn("lstm", s, rng, step=True),
    gru=lambda s, rng: _rnn("gru", s, rng),
    gru_step=lambda s, rng: _rnn("gru", s, rng, step=True),
    pararnn=_pararnn,
)
