// float64 reference for Gated Linear Attention (MIXERS.md, "Linear recurrences", GLA).
// The naive recurrence, token by token, exactly as written there:
//   S_t = Diag(exp(g_t)) S_{t-1} + k_t v_t^T,   o_t = scale * S_t^T q_t
// (o_t reads the state after the update at t).
#pragma once

#include <cstdint>
#include <vector>

namespace seqmix::ref {

struct GlaResult {
    std::vector<double> o;            // [B,T,H,V]  (gla_step_ref: [B,H,V])
    std::vector<double> final_state;  // [B,H,K,V]
};

// q, k, g [B,T,H,K], v [B,T,H,V], initial_state [B,H,K,V] or empty (zeros), all row-major.
GlaResult gla_ref(const std::vector<double> &q, const std::vector<double> &k, const std::vector<double> &v,
                  const std::vector<double> &g, const std::vector<double> &initial_state, int64_t B, int64_t T,
                  int64_t H, int64_t K, int64_t V, double scale);

// One token: q, k, g [B,H,K], v [B,H,V], state [B,H,K,V] -> o [B,H,V], final_state = new state.
GlaResult gla_step_ref(const std::vector<double> &q, const std::vector<double> &k, const std::vector<double> &v,
                       const std::vector<double> &g, const std::vector<double> &state, int64_t B, int64_t H,
                       int64_t K, int64_t V, double scale);

// The sequence's transition: g [B,T,H,K] -> exp(sum_t g_t) [B,H,K].
std::vector<double> gla_decay_ref(const std::vector<double> &g, int64_t B, int64_t T, int64_t H, int64_t K);

}  // namespace seqmix::ref
