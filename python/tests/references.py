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


# ---- GLA's inter-chunk term (LASP-2): what a state entering the sequence adds to o ----
def gla_inter(q, g, state, o, scale=None):
    q, g, state, o = _f64(q, g, state, o)
    B, T, H, K = q.shape
    scale = 1 / np.sqrt(K) if scale is None else scale
    out = o.copy()
    G = np.zeros((B, H, g.shape[3]))
    for t in range(T):
        G = G + g[:, t]
        out[:, t] += scale * np.einsum("bhk,bhkv->bhv", q[:, t] * np.exp(G), state)
    return out


# ---- convolutions and structured matrices ----
def monarch_matrix(L, R, n):
    """MIXERS.md's dense form: M = P L P R (block-diagonal L, R of m m x m blocks, P the [m,m]
    transpose permutation), cut to n x n (x padded with zeros to m*m, y its first n entries)."""
    L, R = _f64(L, R)
    m = L.shape[0]
    Lb, Rb = np.zeros((m * m, m * m)), np.zeros((m * m, m * m))
    for b in range(m):
        Lb[b * m : (b + 1) * m, b * m : (b + 1) * m] = L[b]
        Rb[b * m : (b + 1) * m, b * m : (b + 1) * m] = R[b]
    P = np.zeros((m * m, m * m))
    for k in range(m):
        for i in range(m):
            P[i * m + k, k * m + i] = 1
    return (P @ Lb @ P @ Rb)[:n, :n]


def monarch(x, L, R, axis="channel"):
    (x,) = _f64(x)
    if axis == "channel":
        return np.einsum("cs,bts->btc", monarch_matrix(L, R, x.shape[2]), x)
    return np.einsum("ts,bsc->btc", monarch_matrix(L, R, x.shape[1]), x)


def long_conv(u, kf, Dskip=None, gate=None):
    u, kf, Dskip, gate = _f64(u, kf, Dskip, gate)
    B, D, T = u.shape
    L = kf.shape[1]
    y = np.zeros_like(u)
    for t in range(T):
        for s in range(min(t, L - 1) + 1):
            y[:, :, t] += kf[:, s] * u[:, :, t - s]
    if Dskip is not None:
        y += Dskip[:, None] * u
    if gate is not None:
        y *= gate
    return y


def long_conv_spectrum(kf, n):
    """kf [D,L] zero-padded to n, its DFT's first n/2+1 bins as [n/2+1, 2 (real, imaginary), D]."""
    (kf,) = _f64(kf)
    f = np.arange(n // 2 + 1)[:, None]
    s = np.arange(kf.shape[1])[None, :]
    w = np.exp(-2j * np.pi * f * s / n)  # [F, L]
    X = w @ kf.T  # [F, D]
    return np.stack([X.real, X.imag], axis=1)


def _expm(A):
    """exp(A) in float64: scaling and squaring of a Taylor series."""
    k = max(0, int(np.ceil(np.log2(max(np.abs(A).sum(1).max(), 1e-300)))) + 1)
    As = A / 2.0**k
    E, term = np.eye(len(A)), np.eye(len(A))
    for i in range(1, 30):
        term = term @ As / i
        E = E + term
    for _ in range(k):
        E = E @ E
    return E


def lmu_system(d, theta):
    """MIXERS.md's Legendre system (A, B), discretised by zero-order hold with dt = 1."""
    i = np.arange(d)[:, None]
    j = np.arange(d)[None, :]
    A = (2 * i + 1) / theta * np.where(i < j, -1.0, (-1.0) ** (i - j + 1))
    Bv = (2 * np.arange(d) + 1) / theta * (-1.0) ** np.arange(d)
    Abar = _expm(A)
    Bbar = np.linalg.solve(A, (Abar - np.eye(d)) @ Bv)
    return Abar, Bbar


def lmu(u, d, theta, initial_state=None):
    u, initial_state = _f64(u, initial_state)
    B, T, C = u.shape
    Abar, Bbar = lmu_system(d, theta)
    m = np.zeros((B, C, d)) if initial_state is None else initial_state.copy()
    out = np.zeros((B, T, C, d))
    for t in range(T):
        m = np.einsum("ij,bcj->bci", Abar, m) + u[:, t, :, None] * Bbar
        out[:, t] = m
    return out, m


# ---- nonlinear RNNs: h, c [B,H,Hd]; R [H,Hd,ng*Hd] dense or Rd [H,Hd,ng] diagonal ----
def _sig(x):
    return 1 / (1 + np.exp(-x))


def _recurrent(h, R, diagonal):
    """h R per head: dense R [H,Hd,ng*Hd] -> [B,H,ng*Hd]; diagonal Rd [H,Hd,ng] (ParaRNN): gate g
    of unit j is Rd[h,j,g] h[j], laid out as the dense one's (g*Hd + j)."""
    if not diagonal:
        return np.einsum("bhj,hjn->bhn", h, R)
    return np.einsum("bhj,hjg->bhgj", h, R).reshape(h.shape[0], h.shape[1], -1)


def lstm_cell(Gt, R, h, c, bias, diagonal=False):
    Hd = h.shape[2]
    a = Gt + _recurrent(h, R, diagonal) + bias
    i, f, z, o = (a[..., g * Hd : (g + 1) * Hd] for g in range(4))
    c = _sig(f) * c + _sig(i) * np.tanh(z)
    return _sig(o) * np.tanh(c), c


def gru_cell(Gt, R, h, bias, diagonal=False):
    Hd = h.shape[2]
    hr = _recurrent(h, R, diagonal) + bias
    r = _sig(Gt[..., :Hd] + hr[..., :Hd])
    u = _sig(Gt[..., Hd : 2 * Hd] + hr[..., Hd : 2 * Hd])
    n = np.tanh(Gt[..., 2 * Hd :] + r * hr[..., 2 * Hd :])
    return (1 - u) * n + u * h


def rnn(cell, G, R, bias=None, initial_h=None, initial_c=None, diagonal=False):
    """The sequential cell over T: y [B,T,H,Hd], final h, c. cell 'lstm' | 'gru'; diagonal: ParaRNN's Rd."""
    G, R, bias, initial_h, initial_c = _f64(G, R, bias, initial_h, initial_c)
    B, T, H, _ = G.shape
    Hd = R.shape[1]
    h = np.zeros((B, H, Hd)) if initial_h is None else initial_h.copy()
    c = np.zeros((B, H, Hd)) if initial_c is None else initial_c.copy()
    bias = 0 if bias is None else bias
    y = np.zeros((B, T, H, Hd))
    for t in range(T):
        if cell == "lstm":
            h, c = lstm_cell(G[:, t], R, h, c, bias, diagonal)
        else:
            h = gru_cell(G[:, t], R, h, bias, diagonal)
        y[:, t] = h
    return y, h, c
