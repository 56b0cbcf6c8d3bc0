// The building blocks of the scalar-decay linear recurrences (MIXERS.md, "Linear recurrences":
// linear attention, retention, simple GLA), shared by generators/scalar_decay.cpp:
//   S_t = exp(g_t) S_{t-1} + k_t v_t^T,   o_t = scale * S_t^T q_t,
// with one log-gate g_t per (token, head) (0 for linear attention, log(gamma_h) for retention,
// the input g for simple GLA). The mixers differ only in the Func that gives g.
//
// `Chunked`, the chunkwise form. With G = gcum, the within-chunk cumulative log-gate:
//   o_i     = scale * exp(G_i) q_i^T S_c                                   (o_inter)
//           + sum_{j <= i} scale * (q_i . k_j) exp(G_i - G_j) v_j            (qk -> attn -> o_intra)
//   S_{c+1} = exp(G_last) S_c + sum_j exp(G_last - G_j) k_j v_j^T          (k_state -> kv -> state)
// Because the gate is a scalar per token, the intra-chunk scores are one plain matmul (qk)
// followed by an elementwise factor: no sub-chunking (unlike GLA's per-channel gates). Every
// exponent is <= 0, so gates near 0 (g <= -5 per step: G reaches -320 per chunk of 64) stay finite.
// Stages: q_pad k_pad v_pad g_pad init -> gcum -> glast q_inter k_state -> kv -> state ->
//         o_inter, qk -> attn -> o_intra -> o, final_state
//
// `Step`, one decode token: S' = exp(g) S + k v^T, o = scale * S'^T q.
// Stages: updated -> o_sum -> o, new_state (the same names as gla_step's).
//
// Halide orders dimensions innermost first: q [B,T,H,K] is q(kd, h, t, b), a state [B,H,K,V] is
// state(vd, kd, h, b). Chunked stages index (x, i, c, h, b) with t = c * C + i; the log-gate
// Funcs are g(t, h, b) (chunked) and g(h, b) (step).
#pragma once

#include "Halide.h"

#include <vector>

#include "common/chunked.h"
#include "common/padding.h"

namespace seqmix::scalar_decay {

using namespace Halide;

struct Chunked {
    // The intra-chunk products (qk, o_intra) skip the blocks above the diagonal: query rows in
    // blocks of `causal_rows`, keys in blocks of `causal_cols` (schedule params naming the register
    // tiles, so that a block is computed whole or not at all; 0 or the chunk: nothing skipped).
    // Set before define(), from a generator's params: causal = causal_blocks(param_or).
    struct Causal {
        int rows = 0, cols = 0;
    } causal;

    template<typename ParamOr>
    static Causal causal_blocks(ParamOr param_or) {
        return {param_or("causal_rows", 0), param_or("causal_cols", 0)};
    }

    Var kd{"kd"}, vd{"vd"}, t{"t"}, i{"i"}, j{"j"}, c{"c"}, h{"h"}, b{"b"};
    Func q_pad{"q_pad"}, k_pad{"k_pad"}, v_pad{"v_pad"}, g_pad{"g_pad"}, init{"init"};
    Func gcum{"gcum"}, glast{"glast"}, q_inter{"q_inter"}, k_state{"k_state"};
    Func kv{"kv"}, state{"state"}, o_inter{"o_inter"}, qk{"qk"}, attn{"attn"}, o_intra{"o_intra"};

    // Defines every stage and the outputs o (vd, h, t, b) and final_state (vd, kd, h, b), from
    // input buffers q, k (kd, h, t, b), v (vd, h, t, b) and initial_state (vd, kd, h, b).
    // log_gate(t, h, b) is read only for 0 <= t < T; chunk C is the schedule's `param chunk`.
    template<typename In>
    void define(const In &q, const In &k, const In &v, const Func &log_gate, const In &initial_state,
                const Expr &scale, int C, Func o, Func final_state) {
        define(Func(q), Func(k), Func(v), log_gate, Func(initial_state), q.dim(0).extent(), q.dim(2).extent(), scale,
               C, o, final_state);
    }

    // The same from Funcs (mixers whose q, k, v, gate or state are computed from their inputs:
    // ssd), each read only for 0 <= t < T, with K the extent of kd. A defined `skip(vd, h, t, b)`
    // is added to o (SSD's D x term).
    void define(const Func &q, const Func &k, const Func &v, const Func &log_gate, const Func &initial_state,
                const Expr &K, const Expr &T, const Expr &scale, int C, Func o, Func final_state,
                const Func &skip = Func()) {
        Expr nc = (T + C - 1) / C;

        // Padded tokens: k = v = 0 (below g = 0) leave the state unchanged (common/padding.h).
        q_pad(kd, t, h, b) = select(t < T, q(kd, h, clamp(t, 0, T - 1), b), 0.0f);
        k_pad(kd, t, h, b) = select(t < T, k(kd, h, clamp(t, 0, T - 1), b), 0.0f);
        v_pad(vd, t, h, b) = select(t < T, v(vd, h, clamp(t, 0, T - 1), b), 0.0f);
        // Padded tokens: g = 0 with k = v = 0 leaves the state unchanged.
        g_pad(t, h, b) = select(t < T, log_gate(clamp(t, 0, T - 1), h, b), 0.0f);
        init(vd, kd, h, b) = initial_state(vd, kd, h, b);

        chunked::define_scalar_cumsum(gcum, g_pad, C);
        glast(c, h, b) = gcum(C - 1, c, h, b);
        Expr tc = c * C + i;

        // Inter-chunk: q decayed from the chunk start, k decayed to the chunk end.
        q_inter(kd, i, c, h, b) = scale * q_pad(kd, tc, h, b) * exp(gcum(i, c, h, b));
        k_state(kd, i, c, h, b) = k_pad(kd, tc, h, b) * exp(glast(c, h, b) - gcum(i, c, h, b));

        RDom rj(0, C, "rj");
        kv(vd, kd, c, h, b) = 0.0f;
        kv(vd, kd, c, h, b) += k_state(kd, rj, c, h, b) * v_pad(vd, c * C + rj, h, b);
        chunked::define_scalar_state_passing(state, init, glast, kv, nc);

        RDom rk(0, K, "rk");
        o_inter(vd, i, c, h, b) = 0.0f;
        o_inter(vd, i, c, h, b) += q_inter(rk, i, c, h, b) * state(vd, rk, c, h, b);

        // Separate RDoms for the intra-chunk products: their predicates skip the blocks above the
        // diagonal, which the products would fill with zeros (attn masks j > i).
        RDom rk_qk(0, K, "rk"), rj_o(0, C, "rj");
        if (causal.rows > 0 && causal.rows < C) {
            Expr next_block = (i / causal.rows + 1) * causal.rows;
            if (causal.cols > 0 && causal.cols < C) rk_qk.where(j / causal.cols * causal.cols < next_block);
            rj_o.where(rj_o < next_block);
        }

        // Intra-chunk: the plain product q k^T, then the causal mask and the relative decay
        // (the min() keeps the masked upper triangle finite; the factor multiplies the product
        // rather than sitting inside the select, which keeps GPU register tiles in registers).
        qk(j, i, c, h, b) = 0.0f;
        qk(j, i, c, h, b) += q_pad(rk_qk, tc, h, b) * k_pad(rk_qk, c * C + j, h, b);
        attn(j, i, c, h, b) =
            qk(j, i, c, h, b) * select(j <= i, scale * exp(min(gcum(i, c, h, b) - gcum(j, c, h, b), 0.0f)), 0.0f);
        o_intra(vd, i, c, h, b) = 0.0f;
        o_intra(vd, i, c, h, b) += attn(rj_o, i, c, h, b) * v_pad(vd, c * C + rj_o, h, b);

        Expr out = o_inter(vd, t % C, t / C, h, b) + o_intra(vd, t % C, t / C, h, b);
        o(vd, h, t, b) = skip.defined() ? out + skip(vd, h, t, b) : out;
        final_state(vd, kd, h, b) = state(vd, kd, nc, h, b);
    }

    // Estimates (the autoschedulers' and tuner's shape): B1 T4096 H8 K=V=64, as gla's.
    template<typename In, typename Out>
    static void set_estimates(In &q, In &k, In &v, In &initial_state, Out &o, Out &final_state) {
        for (auto *in : {&q, &k, &v}) in->set_estimates({{0, 64}, {0, 8}, {0, 4096}, {0, 1}});
        initial_state.set_estimates({{0, 64}, {0, 64}, {0, 8}, {0, 1}});
        o.set_estimates({{0, 64}, {0, 8}, {0, 4096}, {0, 1}});
        final_state.set_estimates({{0, 64}, {0, 64}, {0, 8}, {0, 1}});
    }

    // The stages a schedule may name, outputs last.
    std::vector<Func> funcs(const Func &o, const Func &final_state) const {
        return {q_pad, k_pad, v_pad, g_pad, init, gcum, glast, q_inter, k_state, kv, state,
                o_inter, qk, attn, o_intra, o, final_state};
    }
};

struct Step {
    Var kd{"kd"}, vd{"vd"}, h{"h"}, b{"b"};
    Func updated{"updated"}, o_sum{"o_sum"};

    // q, k (kd, h, b), v (vd, h, b), state (vd, kd, h, b), log_gate(h, b) -> o (vd, h, b),
    // new_state (vd, kd, h, b).
    template<typename In3, typename In4>
    void define(const In3 &q, const In3 &k, const In3 &v, const Func &log_gate, const In4 &state,
                const Expr &scale, Func o, Func new_state) {
        define(Func(q), Func(k), Func(v), log_gate, Func(state), q.dim(0).extent(), scale, o, new_state);
    }

    // The same from Funcs, K the extent of kd; a defined `skip(vd, h, b)` is added to o.
    void define(const Func &q, const Func &k, const Func &v, const Func &log_gate, const Func &state,
                const Expr &K, const Expr &scale, Func o, Func new_state, const Func &skip = Func()) {
        updated(vd, kd, h, b) = exp(log_gate(h, b)) * state(vd, kd, h, b) + k(kd, h, b) * v(vd, h, b);
        RDom rk(0, K, "rk");
        o_sum(vd, h, b) = 0.0f;
        o_sum(vd, h, b) += q(rk, h, b) * updated(vd, rk, h, b);
        o(vd, h, b) = skip.defined() ? scale * o_sum(vd, h, b) + skip(vd, h, b) : scale * o_sum(vd, h, b);
        new_state(vd, kd, h, b) = updated(vd, kd, h, b);
    }

    // Estimates: B64 H8 K=V=64, as gla_step's.
    template<typename In3, typename In4, typename Out3, typename Out4>
    static void set_estimates(In3 &q, In3 &k, In3 &v, In4 &state, Out3 &o, Out4 &new_state) {
        for (auto *in : {&q, &k, &v}) in->set_estimates({{0, 64}, {0, 8}, {0, 64}});
        state.set_estimates({{0, 64}, {0, 64}, {0, 8}, {0, 64}});
        o.set_estimates({{0, 64}, {0, 8}, {0, 64}});
        new_state.set_estimates({{0, 64}, {0, 64}, {0, 8}, {0, 64}});
    }

    std::vector<Func> funcs(const Func &o, const Func &new_state) const {
        return {updated, o_sum, o, new_state};
    }
};

// log(gamma_h) of retention, gamma_h = 1 - 2^(-5-h) (MIXERS.md): log1p(-x) with x = 2^(-5-h),
// by its series where 1 - x would round away x's low bits in fp32 (x < 2^-10: the dropped terms
// are < x^3 / 4 relative, ~2e-10).
inline Expr retention_log_gamma(const Expr &h) {
    Expr x = pow(2.0f, -5.0f - cast<float>(h));
    return select(x < 1.0f / 1024, -x * (1.0f + x * (0.5f + x * (1.0f / 3))), log(1.0f - x));
}

}  // namespace seqmix::scalar_decay
