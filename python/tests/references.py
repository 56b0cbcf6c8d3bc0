"""float64 numpy references, written from MIXERS.md's formulas (the naive token-by-token forms), for
the pytest suite. Independent of the C++ references in tests/reference: they check the whole
chain (Python table, binding, runtime, kernel) against the page, and run wherever numpy does
(the GPU host included, where the C++ test binaries are not built with Python)."""
import numpy as np


def _f64(*xs):
    return [None if x is None else np.asarray(x, np.float64) for x in xs]


def _l2norm(x):
    return x / np.sqrt((x * x).sum(-1, keepdims=True) + 1e-6)


# ---- linear recurrences: S [B,H,K,V]; each update(S, t) returns S_t; o_t = scale S_t^T q_t ----
def recurrence(q, k, v, update, scale, initial_state=None):
    q, k, v, initial_state = _f64(q, k, v, initial_state)
    B, T, H, K = q.shape
    V = v.shape[-1]
    S = np.zeros((B, H, K, V)) if initial_state is None else initial_state.copy()
    o = np.zeros((B, T, H, V))
    for t in range(T):
        S = update(S, t)
        o[:, t] = scale * np.einsum("bhkv,bhk->bhv", S, q[:, t])
    return o, S


def _outer(k, v):
    return np.einsum("bhk,bhv->bhkv", k, v)


def _erase(S, k, beta_k):
    """S - beta_k (k^T S): the rank-one erase of the delta rule (beta_k = beta * k or b * k)."""
    return S - np.einsum("bhk,bhv->bhkv", k, np.einsum("bhk,bhkv->bhv", beta_k, S))


def linear_family(name, q, k, v, g=None, beta=None, b=None, w=None, scale=None, initial_state=None, qk_l2norm=False):
    """gla, linear_attn, retention, simple_gla, delta_rule, gated_delta_rule, kda, gated_delta_rule2."""
    q, k, v, g, beta, b, w = _f64(q, k, v, g, beta, b, w)
    if qk_l2norm:
        q, k = _l2norm(q), _l2norm(k)
    H, K = q.shape[2], q.shape[3]
    scale = 1 / np.sqrt(K) if scale is None else scale
    gamma = (1 - 2.0 ** (-5 - np.arange(H)))[None, :, None, None]

    def update(S, t):
        kt, vt = k[:, t], v[:, t]
        if name == "linear_attn":
            return S + _outer(kt, vt)
        if name == "retention":
            return gamma * S + _outer(kt, vt)
        if name == "simple_gla":
            return np.exp(g[:, t])[..., None, None] * S + _outer(kt, vt)
        if name == "gla":
            return np.exp(g[:, t])[..., None] * S + _outer(kt, vt)
        bt = None if beta is None else beta[:, t][..., None]
        if name == "delta_rule":
            return _erase(S, kt, bt * kt) + _outer(bt * kt, vt)
        if name == "gated_delta_rule":
            return np.exp(g[:, t])[..., None, None] * _erase(S, kt, bt * kt) + _outer(bt * kt, vt)
        if name == "kda":
            D = np.exp(g[:, t])[..., None] * S
            return _erase(D, kt, bt * kt) + _outer(bt * kt, vt)
        if name == "gated_delta_rule2":
            D = np.exp(g[:, t])[..., None] * S
            return _erase(D, kt, b[:, t] * kt) + _outer(kt, w[:, t] * vt)
        raise ValueError(name)

    return recurrence(q, k, v, update, scale, initial_state)


def rwkv7(r, w, k, v, a, b, scale=None, initial_state=None):
    r, w, k, v, a, b = _f64(r, w, k, v, a, b)
    scale = 1.0 if scale is None else scale

    def update(S, t):
        aS = np.einsum("bhk,bhkv->bhv", a[:, t], S)
        return np.exp(w[:, t])[..., None] * S + _outer(b[:, t], aS) + _outer(k[:, t], v[:, t])

    return recurrence(r, k, v, update, scale, initial_state)


def step(fn, *token_args, state, **kw):
    """The step form of a recurrence: one token [B,H,*] (g/beta [B,H]) through the sequence form."""
    o, S = fn(*[None if x is None else np.asarray(x)[:, None] for x in token_args], initial_state=state, **kw)
    return o[:, 0], S


# ---- softmax attention ----
def _logits(q, k, v, scale):
    """scale q.k over every (query, key) pair [B,H,T,S], and v per query head (GQA: head h reads
    kv head h / (H/Hkv))."""
    q, k, v = _f64(q, k, v)
    H, K, Hkv = q.shape[2], q.shape[3], k.shape[2]
    scale = 1 / np.sqrt(K) if scale is None else scale
    kk = np.repeat(k, H // Hkv, axis=2)
    return scale * np.einsum("bthk,bshk->bhts", q, kk), np.repeat(v, H // Hkv, axis=2)


def attention(q, k, v, scale=None, causal=True, window=0):
    logits, vv = _logits(q, k, v, scale)
    T, S = q.shape[1], k.shape[1]
    t = np.arange(T)[:, None]
    s = np.arange(S)[None, :]
    allowed = np.ones((T, S), bool)
    if causal:
        allowed &= s <= t + (S - T)
        if window > 0:
            allowed &= s > t + (S - T) - window
    return _masked_softmax(logits, allowed[None, None], vv)


def _masked_softmax(logits, allowed, vv):
    logits = np.where(allowed, logits, -np.inf)
    m = logits.max(-1, keepdims=True)
    m = np.where(np.isfinite(m), m, 0)
    p = np.where(allowed, np.exp(logits - m), 0)
    denom = p.sum(-1, keepdims=True)
    o = np.einsum("bhts,bshv->bthv", p / np.where(denom > 0, denom, 1), vv)
    with np.errstate(divide="ignore"):
        lse = np.where(denom[..., 0] > 0, np.log(denom[..., 0]) + m[..., 0], -np.inf)
    return o, lse


def decode_attention(q, k, v, lens, scale=None):
    logits, vv = _logits(q, k, v, scale)
    Tq, L = q.shape[1], k.shape[1]
    lens = np.clip(np.asarray(lens), 0, L)
    pos = lens[:, None] - Tq + np.arange(Tq)[None, :]  # [B,Tq]
    allowed = np.arange(L)[None, None, :] <= pos[:, :, None]  # [B,Tq,L]
    return _masked_softmax(logits, allowed[:, None], vv)


# ---- state-space models ----
def _softplus(x):
    return np.log1p(np.exp(-np.abs(x))) + np.maximum(x, 0)


def ssd(x, dt, A, Bm, Cm, Dskip=None, dt_bias=None, dt_softplus=False, initial_state=None, skip_d=False):
    x, dt, A, Bm, Cm, Dskip, dt_bias, initial_state = _f64(x, dt, A, Bm, Cm, Dskip, dt_bias, initial_state)
    B, T, H, P = x.shape
    G, N = Bm.shape[2], Bm.shape[3]
    heads = np.arange(H) // (H // G)
    d = dt + (0 if dt_bias is None else dt_bias)
    d = _softplus(d) if dt_softplus else d
    h = np.zeros((B, H, P, N)) if initial_state is None else initial_state.copy()
    y = np.zeros_like(x)
    for t in range(T):
        Bt, Ct = Bm[:, t][:, heads], Cm[:, t][:, heads]  # [B,H,N]
        h = np.exp(d[:, t] * A)[..., None, None] * h + np.einsum("bh,bhp,bhn->bhpn", d[:, t], x[:, t], Bt)
        y[:, t] = np.einsum("bhpn,bhn->bhp", h, Ct)
        if Dskip is not None and not skip_d:
            y[:, t] += Dskip[:, None] * x[:, t]
    return y, h


def ssd_bidirectional(x, dt_f, Bm_f, Cm_f, dt_b, Bm_b, Cm_b, A, Dskip=None, dt_bias=None, dt_softplus=False):
    x = np.asarray(x, np.float64)
    yf, _ = ssd(x, dt_f, A, Bm_f, Cm_f, dt_bias=dt_bias, dt_softplus=dt_softplus)
    yb, _ = ssd(x[:, ::-1], dt_b, A, Bm_b, Cm_b, dt_bias=dt_bias, dt_softplus=dt_softplus)
    shift = lambda y: np.concatenate([np.zeros_like(y[:, :1]), y[:, :-1]], axis=1)  # noqa: E731
    y = shift(yf) + shift(yb)[:, ::-1]
    if Dskip is not None:
        y = y + np.asarray(Dskip, np.float64)[:, None] * x
    return y


def causal_conv1d(x, weight, bias=None, initial_state=None, activation=None):
    x, weight, bias, initial_state = _f64(x, weight, bias, initial_state)
    B, T, D = x.shape
    W = weight.shape[1]
    prefix = np.zeros((B, W - 1, D)) if initial_state is None else initial_state.transpose(0, 2, 1)
    xs = np.concatenate([prefix, x], axis=1)  # [B, W-1+T, D]
    y = sum(weight[:, j] * xs[:, j : j + T] for j in range(W))
    if bias is not None:
        y = y + bias
    if activation == "silu":
        y = y / (1 + np.exp(-y))
    return y, xs[:, -(W - 1) :].transpose(0, 2, 1)


def selective_scan(x, delta, A, Bm, Cm, Dskip=None, z=None, delta_bias=None, delta_softplus=False, initial_state=None):
    x, delta, A, Bm, Cm, Dskip, z, delta_bias, initial_state = _f64(
        x, delta, A, Bm, Cm, Dskip, z, delta_bias, initial_state
    )
    B, D, T = x.shape
    N = A.shape[1]
    dt = delta + (0 if delta_bias is None else delta_bias[:, None])
    dt = _softplus(dt) if delta_softplus else dt
    h = np.zeros((B, D, N)) if initial_state is None else initial_state.copy()
    y = np.zeros_like(x)
    for t in range(T):
        if Bm.ndim == 2:
            Bt = np.broadcast_to(Bm, (B, D, N))
            Ct = np.broadcast_to(Cm, (B, D, N))
        else:
            G = Bm.shape[1]
            groups = np.arange(D) // (D // G)
            Bt, Ct = Bm[..., t][:, groups], Cm[..., t][:, groups]
        h = np.exp(dt[:, :, t, None] * A) * h + (dt[:, :, t] * x[:, :, t])[..., None] * Bt
        y[:, :, t] = (Ct * h).sum(-1)
        if Dskip is not None:
            y[:, :, t] += Dskip * x[:, :, t]
    if z is not None:
        y = y * z / (1 + np.exp(-z))
    return y, h


def token_mix(x, W, bias=None, causal=False):
    x, W = _f64(x, W)
    if causal:
        W = np.tril(W)
    y = np.einsum("ts,bsc->btc", W, x)
    if bias is not None:
        y = y + np.asarray(bias, np.float64)[None, :, None]
    return y
