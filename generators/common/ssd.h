// The pieces of Mamba-2 SSD (MIXERS.md, "State-space models") that are not the scalar-decay
// recurrence itself, shared by generators/ssd.cpp (ssd, ssd_step, ssd_bidirectional).
//
// SSD is the scalar-decay linear recurrence of common/scalar_decay.h,
//   S_t = exp(g_t) S_{t-1} + k_t v_t^T,   o_t = scale * S_t^T q_t,
// with q = Cm (of head h's group), k = Bm, v = dt * x, g = dt * A, scale = 1 and the state
// transposed: the block's S [K,V] is SSD's h [P,N] read as [N,P] (K = N, V = P). The SSD
// generators therefore name N's dimension `kd` and P's `vd`, as the block does, and read and
// write SSD's [B,H,P,N] states as (kd, vd, h, b).
#pragma once

#include "Halide.h"

namespace seqmix::ssd {

using namespace Halide;

// softplus(z) = log(1 + exp(z)), as torch's (threshold 20) but in fp32: z for z > 15 (the
// correction exp(-z) < 3e-7 is below fp32's resolution of z), exp(z) for z < -15 (the relative
// error of log1p(u) ~ u is u / 2 < 2e-7, where log(1 + u) would round u away).
inline Expr softplus(const Expr &z) {
    return select(z > 15.0f, z, select(z < -15.0f, exp(z), log(1.0f + exp(z))));
}

// The effective dt of MIXERS.md: dt + dt_bias, through softplus when use_softplus != 0.
inline Expr effective_dt(const Expr &dt, const Expr &bias, const Expr &use_softplus) {
    Expr z = dt + bias;
    return select(use_softplus != 0, softplus(z), z);
}

// The group of head h: G groups over H heads (H % G == 0, checked by the runtime).
inline Expr group_of(const Expr &h, const Expr &H, const Expr &G) {
    return h / max(H / G, 1);
}

}  // namespace seqmix::ssd
