"""Docstrings of the ops: the math (MIXERS.md) and the shapes (seqmix.h). Every tensor is float32
(decode_attention's lens int32), on one device; the last dimension contiguous, other strides any
positive value (no copies are made: anything else raises seqmix.Error)."""

_STATE_OUT = "final_state [B,H,K,V] when output_final_state"
_STEP = "One decode token: the {m} recurrence advanced by one step, state [B,H,K,V] -> new_state."

DOCS = {
    "attention": "Softmax attention (FlashAttention). q [B,T,H,K], k [B,S,Hkv,K], v [B,S,Hkv,V] -> o [B,T,H,V],\n"
    "lse [B,H,T] (natural log) when return_lse. o[t] = sum_s softmax_s(scale q[t].k[s]) v[s] over s <= t + (S-T)\n"
    "when causal (bottom-right aligned), s > t + (S-T) - window when window > 0; query head h reads kv head\n"
    "h / (H/Hkv). scale defaults to 1/sqrt(K).",
    "decode_attention": "Split-K decode attention over a padded KV cache. q [B,Tq,H,K] (Tq = 1..8), k [B,Lmax,Hkv,K],\n"
    "v [B,Lmax,Hkv,V], lens [B] int32 (valid entries; the new tokens are the last Tq) -> o [B,Tq,H,V],\n"
    "lse [B,H,Tq] when return_lse. Query i of sequence b sees keys l <= lens[b] - Tq + i.",
    "gla": "Gated Linear Attention. S_t = Diag(exp(g_t)) S_{t-1} + k_t v_t^T, o_t = scale S_t^T q_t.\n"
    "q, k, g [B,T,H,K] (g: log gates <= 0), v [B,T,H,V], initial_state [B,H,K,V] -> o [B,T,H,V], " + _STATE_OUT + ".",
    "gla_step": _STEP.format(m="GLA") + "\nq, k, g [B,H,K], v [B,H,V] -> o [B,H,V], new_state [B,H,K,V].",
    "gla_state": "The state side of gla alone, from a zero state (sequence parallelism): k, g [B,T,H,K], v [B,T,H,V]\n"
    "-> final_state [B,H,K,V], decay [B,H,K] = exp(sum_t g_t); a state S entering leaves as Diag(decay) S + final_state.",
    "linear_attn": "Linear attention. S_t = S_{t-1} + k_t v_t^T, o_t = scale S_t^T q_t.\n"
    "q, k [B,T,H,K], v [B,T,H,V], initial_state [B,H,K,V] -> o [B,T,H,V], " + _STATE_OUT + ".",
    "retention": "Retention (RetNet). S_t = gamma_h S_{t-1} + k_t v_t^T, gamma_h = 1 - 2^(-5-h), o_t = scale S_t^T q_t.\n"
    "q, k [B,T,H,K], v [B,T,H,V], initial_state [B,H,K,V] -> o [B,T,H,V], " + _STATE_OUT + ".",
    "simple_gla": "Simple GLA (scalar gate). S_t = exp(g_t) S_{t-1} + k_t v_t^T, o_t = scale S_t^T q_t.\n"
    "q, k [B,T,H,K], v [B,T,H,V], g [B,T,H] (<= 0), initial_state [B,H,K,V] -> o [B,T,H,V], " + _STATE_OUT + ".",
    "linear_attn_step": _STEP.format(m="linear attention") + "\nq, k [B,H,K], v [B,H,V] -> o [B,H,V], new_state.",
    "retention_step": _STEP.format(m="retention") + "\nq, k [B,H,K], v [B,H,V] -> o [B,H,V], new_state.",
    "simple_gla_step": _STEP.format(m="simple GLA") + "\nq, k [B,H,K], v [B,H,V], g [B,H] -> o [B,H,V], new_state.",
    "delta_rule": "DeltaNet. S_t = (I - beta_t k_t k_t^T) S_{t-1} + beta_t k_t v_t^T, o_t = scale S_t^T q_t.\n"
    "q, k [B,T,H,K], v [B,T,H,V], beta [B,T,H] in (0,1) -> o [B,T,H,V], " + _STATE_OUT + ".\n"
    "qk_l2norm normalises q and k inside the kernel.",
    "gated_delta_rule": "Gated DeltaNet. S_t = exp(g_t) (I - beta_t k_t k_t^T) S_{t-1} + beta_t k_t v_t^T.\n"
    "q, k [B,T,H,K], v [B,T,H,V], g, beta [B,T,H] -> o [B,T,H,V], " + _STATE_OUT + ".",
    "kda": "KDA (channel-wise decay). S_t = (I - beta_t k_t k_t^T) Diag(exp(g_t)) S_{t-1} + beta_t k_t v_t^T.\n"
    "q, k, g [B,T,H,K], v [B,T,H,V], beta [B,T,H] -> o [B,T,H,V], " + _STATE_OUT + ".",
    "gated_delta_rule2": "Gated DeltaNet-2. S_t = (I - k_t (b_t * k_t)^T) Diag(exp(g_t)) S_{t-1} + k_t (w_t * v_t)^T.\n"
    "q, k, g, b [B,T,H,K], v, w [B,T,H,V] -> o [B,T,H,V], " + _STATE_OUT + ".",
    "delta_rule_step": _STEP.format(m="DeltaNet") + "\nq, k [B,H,K], v [B,H,V], beta [B,H] -> o [B,H,V], new_state.",
    "gated_delta_rule_step": _STEP.format(m="Gated DeltaNet")
    + "\nq, k [B,H,K], v [B,H,V], g, beta [B,H] -> o [B,H,V], new_state.",
    "kda_step": _STEP.format(m="KDA") + "\nq, k, g [B,H,K], v [B,H,V], beta [B,H] -> o [B,H,V], new_state.",
    "gated_delta_rule2_step": _STEP.format(m="Gated DeltaNet-2")
    + "\nq, k, g, b [B,H,K], v, w [B,H,V] -> o [B,H,V], new_state.",
    "rwkv7": "RWKV-7 ([K,V] state). S_t = Diag(exp(w_t)) S_{t-1} + b_t (a_t^T S_{t-1}) + k_t v_t^T, o_t = scale S_t^T r_t\n"
    "(scale defaults to 1). r, w (log decay < 0), k, a, b [B,T,H,K], v [B,T,H,V] -> o [B,T,H,V], " + _STATE_OUT + ".",
    "rwkv7_step": _STEP.format(m="RWKV-7") + "\nr, w, k, a, b [B,H,K], v [B,H,V] -> o [B,H,V], new_state.",
    "ssd": "Mamba-2 SSD. dt' = dt + dt_bias (softplus of it when dt_softplus), h_t = exp(dt'_t A) h_{t-1} + dt'_t x_t Bm_t^T,\n"
    "y_t = h_t Cm_t + Dskip x_t. x [B,T,H,P], dt [B,T,H], A [H] (< 0), Bm, Cm [B,T,G,N] (H % G == 0),\n"
    "Dskip, dt_bias [H], initial_state [B,H,P,N] -> y [B,T,H,P], final_state [B,H,P,N] when output_final_state.",
    "ssd_step": "One Mamba-2 decode step: x [B,H,P], dt [B,H], A [H], Bm, Cm [B,G,N], state [B,H,P,N]\n"
    "-> y [B,H,P], new_state [B,H,P,N].",
    "ssd_bidirectional": "Bidirectional SSD (Hydra): y = shift(SS_f(x)) + flip(shift(SS_b(flip(x)))) + Dskip x, SS_f with\n"
    "(dt_f, Bm_f, Cm_f), SS_b with (dt_b, Bm_b, Cm_b) indexed in flipped order; shapes as ssd's -> y [B,T,H,P].",
    "causal_conv1d": "Causal depthwise conv1d. y[b,t,d] = act(bias[d] + sum_{j<W} weight[d,j] x[b,t-(W-1)+j,d]), W = 2..4,\n"
    "x before t=0 from initial_state [B,D,W-1]. x [B,T,D], weight [D,W], bias [D], activation None | 'silu'\n"
    "-> y [B,T,D], final_state [B,D,W-1] (the last W-1 inputs) when output_final_state.",
    "causal_conv1d_step": "One conv1d decode token: x [B,D], state [B,D,W-1] (oldest first) -> y [B,D], new_state [B,D,W-1].",
    "selective_scan": "Mamba (S6) selective scan, channel-major. dt = softplus(delta + delta_bias) (or without softplus),\n"
    "h_t = exp(dt_t A) h_{t-1} + dt_t Bm_t x_t, y_t = Cm_t . h_t + Dskip x_t, y *= silu(z) when z is given.\n"
    "x, delta, z [B,D,T], A [D,N], Bm, Cm [D,N] or [B,G,N,T], Dskip, delta_bias [D], initial_state [B,D,N]\n"
    "-> y [B,D,T], final_state [B,D,N] when output_final_state.",
    "selective_scan_step": "One S6 decode token (selective_state_update): x, delta, z [B,D], A [D,N], Bm, Cm [D,N] or\n"
    "[B,G,N], state [B,D,N] -> y [B,D], new_state [B,D,N].",
    "gla_decay": "The sequence's GLA transition: g [B,T,H,K] (log gates) -> decay [B,H,K] = exp(sum_t g_t)\n"
    "(a state S entering the sequence leaves it as Diag(decay) S + gla_state's final_state).",
    "token_mix": "Dense token mixing (MLP-Mixer, TSMixer): y[b,t,c] = bias[t] + sum_s W[t,s] x[b,s,c];\n"
    "x [B,T,C], W [T,T], bias [T] -> y [B,T,C]. causal: only s <= t (W's upper triangle is not read).",
    "gla_inter": "What a state entering a GLA sequence adds to its outputs (LASP-2 sequence parallelism):\n"
    "o [B,T,H,V] += scale (q_t * exp(sum_{s<=t} g_s))^T state, updated in place and returned. q [B,T,H,K],\n"
    "g [B,T,H,K] or [B,T,H,1] (one gate per head), state [B,H,K,V]; gla from a state == gla from zero, then gla_inter.",
    "monarch": "Monarch mixer: y = P L P R x along one axis of x [B,T,C], n = C (axis 'channel') or T ('sequence',\n"
    "non-causal as M2-BERT). L, R [m,m,m] (block, row, column), m = ceil(sqrt(n)), x zero-padded to m*m:\n"
    "y[l*m + i] = sum_k L[i,l,k] sum_j R[k,i,j] x[k*m + j] -> y [B,T,C].",
    "long_conv": "Long convolution (H3, Hyena, FlashFFTConv). u [B,D,T], kf [D,L] (L <= T), Dskip [D], gate [B,D,T]:\n"
    "y[b,d,t] = (sum_{s<=min(t,L-1)} kf[d,s] u[b,d,t-s] + Dskip[d] u[b,d,t]) * gate[b,d,t] -> y [B,D,T].\n"
    "Direct or FFT form by shape; kf_spectrum (from long_conv_filter, same kf, B and T) skips the filter's FFT.",
    "long_conv_filter": "The spectrum of kf [D,L] for long_conv at batch B and length T: kf_spectrum [n/2+1, 2, D]\n"
    "(bin, real/imaginary, channel), n = long_conv_fft_length(B, D, T, L) (Error where that is 0: the direct form).",
    "lmu": "LMU memory of order d over a window of theta steps: m_t = Abar m_{t-1} + Bbar u_t (the Legendre system,\n"
    "zero-order hold, dt = 1). u [B,T,C], initial_state [B,C,d] -> m [B,T,C,d], final_state [B,C,d] when\n"
    "output_final_state. d: the memory order (m's last size; taken from initial_state or out= if not given).",
    "lmu_step": "One LMU token: u [B,C], state [B,C,d] -> new_state [B,C,d] = Abar state + Bbar u.",
    "lstm": "LSTM, head-wise (FlashRNN): (i,f,z,o) = G_t + h_{t-1} R + bias, c_t = sig(f) c_{t-1} + sig(i) tanh(z),\n"
    "h_t = sig(o) tanh(c_t). G [B,T,H,4*Hd], R [H,Hd,4*Hd], bias [H,4*Hd], initial_h, initial_c [B,H,Hd]\n"
    "-> y [B,T,H,Hd] (every h_t), final_h, final_c [B,H,Hd] when output_final_state.",
    "lstm_step": "One LSTM token: G [B,H,4*Hd], R [H,Hd,4*Hd], h, c [B,H,Hd], bias -> h_out, c_out [B,H,Hd].",
    "gru": "GRU, PyTorch/cuDNN convention, head-wise: r = sig(G_r + h R_r + bh_r), u = sig(G_u + h R_u + bh_u),\n"
    "n = tanh(G_n + r * (h R_n + bh_n)), h_t = (1-u) n + u h_{t-1}. G [B,T,H,3*Hd] (input bias folded in),\n"
    "R [H,Hd,3*Hd], bias = bh [H,3*Hd], initial_h [B,H,Hd] -> y [B,T,H,Hd], final_h when output_final_state.",
    "gru_step": "One GRU token: G [B,H,3*Hd], R [H,Hd,3*Hd], h [B,H,Hd], bias -> h_out [B,H,Hd].",
    "pararnn": "ParaRNN: a GRU or LSTM cell (cell 'gru' | 'lstm') with diagonal recurrent weights Rd [H,Hd,ng] (ng = 3 | 4;\n"
    "gate g of unit j reads Rd[h,j,g] * h_{t-1}[j]), all steps solved at once by Newton's method (at most max_iters,\n"
    "until max|update| < tol) or, where faster, the sequential scan. G [B,T,H,ng*Hd], bias [H,ng*Hd] (GRU: bh;\n"
    "LSTM: added to G), initial_h [B,H,Hd], initial_c (LSTM) -> y [B,T,H,Hd], final_h (and final_c for the\n"
    "LSTM) when output_final_state, and a ParaRnnInfo(iterations, max_update, converged).",
}
