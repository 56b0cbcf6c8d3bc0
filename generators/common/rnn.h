// Stages shared by the nonlinear RNNs of MIXERS.md ("Nonlinear RNNs"): the fused gate
// nonlinearities, the head-wise recurrent matvec of LSTM/GRU (one time step, all batch rows and
// heads at once), and the diagonal cells of ParaRNN with their Jacobians and the chunked scan
// of the 2x2-block linear recurrence its Newton iterations solve.
//
// Dimensions innermost first (Halide): a state [B,H,Hd] is s(j, h, b); a token's gate
// projections [B,H,ng*Hd] are G(u, h, b) with u = g * Hd + j (gate g of unit j); dense recurrent
// weights [H,Hd,ng*Hd] are R(u, k, h); biases [H,ng*Hd] are bias(u, h).
#pragma once

#include "Halide.h"

#include <functional>

namespace seqmix::rnn {

using Halide::Expr;
using Halide::Func;
using Halide::RDom;
using Halide::Tuple;
using Halide::Var;

inline Expr sigmoid(const Expr &x) {
    return 1.0f / (1.0f + Halide::exp(-x));
}

// tanh through one exp (Halide's exp is a vectorised polynomial; a libm tanh would scalarise
// the gate loops). Saturates cleanly: exp overflows to inf (-> 1) or underflows to 0 (-> -1).
// Absolute error ~1e-7 near 0, where the relative error grows: harmless here, every tanh feeds
// a sum with O(1) terms.
inline Expr tanh_exp(const Expr &x) {
    return 1.0f - 2.0f / (Halide::exp(2.0f * x) + 1.0f);
}

// The recurrent part of every gate, for one time step:
//   rec(j, g, h, b) = bias(g * Hd + j, h) + sum_k h_prev(k, h, b) * R(g * Hd + j, k, h).
// The gate index is its own dimension (not folded into u) so that a tile of units j covers the
// same units of every gate: what the fused cell needs, and what bounds inference can see.
// Per step this is a small GEMM [B, Hd] x [Hd, ng*Hd] per head: schedules block it over batch
// rows so each weight row loaded serves several rows of h.
inline void define_recurrent_gates(Func &rec, const Func &R, const Func &bias, const Func &h_prev, const Expr &Hd) {
    Var j("j"), g("g"), h("h"), b("b");
    RDom rk(0, Hd, "rk");
    rec(j, g, h, b) = bias(g * Hd + j, h);
    rec(j, g, h, b) += h_prev(rk, h, b) * R(g * Hd + j, rk, h);
}

// ---- ParaRNN (diagonal recurrent weights R [H,Hd,ng], Rd(g, j, h)) ----------------------------

// One step of a diagonal cell, the new state and its Jacobian with respect to the previous one.
// GRU uses only the h component (fc = 0 and only Jhh nonzero); LSTM's (h, c) pair per unit makes
// the Jacobian a 2x2 block [[Jhh, Jhc], [Jch, Jcc]] (d new_row / d prev_column).
struct CellStep {
    Expr fh, fc, Jhh, Jhc, Jch, Jcc;
};

// gate(g): the input projection plus bias of gate g of this unit; rd(g): its diagonal weight.
// GRU (r, u, n), PyTorch convention: n = tanh(G_n + r * (R_n h + b_n)).
using GateFn = std::function<Expr(int)>;

inline CellStep gru_diag_step(const GateFn &x, const GateFn &bh, const GateFn &rd, const Expr &hp) {
    Expr r = sigmoid(x(0) + rd(0) * hp + bh(0));
    Expr u = sigmoid(x(1) + rd(1) * hp + bh(1));
    Expr m = rd(2) * hp + bh(2);
    Expr n = tanh_exp(x(2) + r * m);
    Expr dr = r * (1.0f - r) * rd(0), du = u * (1.0f - u) * rd(1);
    Expr dn = (1.0f - n * n) * (dr * m + r * rd(2));
    Expr zero = Expr(0.0f);
    return {(1.0f - u) * n + u * hp, zero, du * (hp - n) + (1.0f - u) * dn + u, zero, zero, zero};
}

// LSTM (i, f, z, o): c' = sig(f) c + sig(i) tanh(z), h' = sig(o) tanh(c').
inline CellStep lstm_diag_step(const GateFn &x, const GateFn &rd, const Expr &hp, const Expr &cp) {
    Expr i = sigmoid(x(0) + rd(0) * hp), f = sigmoid(x(1) + rd(1) * hp);
    Expr z = tanh_exp(x(2) + rd(2) * hp), o = sigmoid(x(3) + rd(3) * hp);
    Expr c = f * cp + i * z, tc = tanh_exp(c);
    Expr dc_dh = f * (1.0f - f) * rd(1) * cp + i * (1.0f - i) * rd(0) * z + i * (1.0f - z * z) * rd(2);
    Expr oc = o * (1.0f - tc * tc);
    return {o * tc, c, o * (1.0f - o) * rd(3) * tc + oc * dc_dh, oc * f, dc_dh, f};
}

// The chunked scan of d_t = J_t d_{t-1} + r_t (d_{-1} = 0), d and r pairs (h, c), J 2x2, for
// every unit independently; t = c * C + i. `lin(j, t, h, b)` is the Tuple (rh, rc, Jhh, Jhc,
// Jch, Jcc), identity J and zero r past the end of the sequence. The linear mixers' chunked
// blocks (chunked.h, scalar_decay.h) scan in log space (cumulative log-gates, exp of
// differences): a Newton Jacobian may be negative and is a 2x2 block for LSTM, so this scan
// carries plain products instead; its three steps are theirs:
//   1. local(j, i, c): the scan inside each chunk from zero, and the running product P_i of J
//      (one pass over the chunk, lin read once per position);
//   2. carry(j, c): the value entering chunk c, sequentially over chunks;
//   3. d = local + P * carry (every chunk in parallel).
// Products of contractive Jacobians only shrink; a chunk of C keeps them within fp32 range for
// any cell whose |J| stays below ~2^(128/C).
inline void define_chunked_scan2(Func &local, Func &carry, Func &d, const Func &lin, int C, const Expr &nc) {
    Var j("j"), i("i"), c("c"), t("t"), h("h"), b("b");
    // Every element is written by the scan itself (i = 0 from the identity): no pure pass.
    Expr u = Halide::undef<float>();
    local(j, i, c, h, b) = Tuple(u, u, u, u, u, u);
    RDom ri(0, C, "ri");
    Tuple q = local(j, Halide::max(ri - 1, 0), c, h, b), J = lin(j, c * C + ri, h, b);
    Expr first = ri == 0;
    Expr l0 = select(first, 0.0f, q[0]), l1 = select(first, 0.0f, q[1]);
    Expr p00 = select(first, 1.0f, q[2]), p01 = select(first, 0.0f, q[3]);
    Expr p10 = select(first, 0.0f, q[4]), p11 = select(first, 1.0f, q[5]);
    local(j, ri, c, h, b) = Tuple(J[2] * l0 + J[3] * l1 + J[0], J[4] * l0 + J[5] * l1 + J[1],
                                  J[2] * p00 + J[3] * p10, J[2] * p01 + J[3] * p11,
                                  J[4] * p00 + J[5] * p10, J[4] * p01 + J[5] * p11);
    carry(j, c, h, b) = Tuple(0.0f, 0.0f);
    RDom rc(1, nc - 1, "rc");
    Tuple e = carry(j, rc - 1, h, b), L = local(j, C - 1, rc - 1, h, b);
    carry(j, rc, h, b) = Tuple(L[2] * e[0] + L[3] * e[1] + L[0], L[4] * e[0] + L[5] * e[1] + L[1]);
    Tuple l = local(j, t % C, t / C, h, b), e2 = carry(j, t / C, h, b);
    d(j, t, h, b) = Tuple(l[0] + l[2] * e2[0] + l[3] * e2[1], l[1] + l[4] * e2[0] + l[5] * e2[1]);
}

}  // namespace seqmix::rnn
