// float64 references for the delta-rule mixers and RWKV-7 (MIXERS.md, "Linear recurrences"): the
// naive recurrences, token by token, each written literally as MIXERS.md states it, with the
// state S [K,V] per head and o_t = scale * S_t^T q_t read after the update at t:
//   delta_rule          S_t = (I - beta_t k_t k_t^T) S_{t-1} + beta_t k_t v_t^T
//   gated_delta_rule    S_t = exp(g_t) (I - beta_t k_t k_t^T) S_{t-1} + beta_t k_t v_t^T
//   kda                 S_t = (I - beta_t k_t k_t^T) Diag(exp(g_t)) S_{t-1} + beta_t k_t v_t^T
//   gated_delta_rule2   S_t = (I - k_t (b_t * k_t)^T) Diag(exp(g_t)) S_{t-1} + k_t (w_t * v_t)^T
//   rwkv7               S_t = Diag(exp(w_t)) S_{t-1} + b_t (a_t^T S_{t-1}) + k_t v_t^T,  o_t = scale S_t^T r_t
// With qk_l2norm, q and k are first replaced by x / sqrt(sum x^2 + 1e-6) (fla's l2norm).
// Tensors row-major: q, k, g (per channel), b, a, r, w [B,T,H,K]; v, write gate w [B,T,H,V];
// beta and scalar g [B,T,H]; states [B,H,K,V] (empty initial state: zeros).
#pragma once

#include <cstdint>
#include <vector>

namespace seqmix::ref {

struct DeltaResult {
    std::vector<double> o;            // [B,T,H,V]
    std::vector<double> final_state;  // [B,H,K,V]
};

struct DeltaShape {
    int64_t B = 1, T = 1, H = 1, K = 1, V = 1;
};

using Vec = std::vector<double>;

DeltaResult delta_rule_ref(const Vec &q, const Vec &k, const Vec &v, const Vec &beta, const Vec &initial_state,
                           DeltaShape s, double scale, bool qk_l2norm);
DeltaResult gated_delta_rule_ref(const Vec &q, const Vec &k, const Vec &v, const Vec &g, const Vec &beta,
                                 const Vec &initial_state, DeltaShape s, double scale, bool qk_l2norm);
DeltaResult kda_ref(const Vec &q, const Vec &k, const Vec &v, const Vec &g, const Vec &beta, const Vec &initial_state,
                    DeltaShape s, double scale, bool qk_l2norm);
DeltaResult gated_delta_rule2_ref(const Vec &q, const Vec &k, const Vec &v, const Vec &g, const Vec &b, const Vec &w,
                                  const Vec &initial_state, DeltaShape s, double scale, bool qk_l2norm);
DeltaResult rwkv7_ref(const Vec &r, const Vec &w, const Vec &k, const Vec &v, const Vec &a, const Vec &b,
                      const Vec &initial_state, DeltaShape s, double scale);

// fla's l2norm over the last dim (length n) of x.
Vec l2_normalise(const Vec &x, int64_t n);

}  // namespace seqmix::ref
