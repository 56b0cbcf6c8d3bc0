// float64 references for the scalar-decay linear recurrences (MIXERS.md, "Linear recurrences"):
// the naive recurrence, token by token, exactly as written there (o_t reads the state after the
// update at t):
//   linear_attn:  S_t = S_{t-1} + k_t v_t^T
//   retention:    S_t = gamma_h S_{t-1} + k_t v_t^T,   gamma_h = 1 - 2^(-5-h)
//   simple_gla:   S_t = exp(g_t) S_{t-1} + k_t v_t^T,  g [B,T,H]
//   o_t = scale * S_t^T q_t
#pragma once

#include <cstdint>
#include <vector>

#include "reference/gla.h"

namespace seqmix::ref {

// The same result type as GLA's: o [B,T,H,V] (steps: [B,H,V]) and final_state [B,H,K,V].
using RecurrenceResult = GlaResult;

// q, k [B,T,H,K], v [B,T,H,V], initial_state [B,H,K,V] or empty (zeros), all row-major.
RecurrenceResult linear_attn_ref(const std::vector<double> &q, const std::vector<double> &k,
                                 const std::vector<double> &v, const std::vector<double> &initial_state, int64_t B,
                                 int64_t T, int64_t H, int64_t K, int64_t V, double scale);
RecurrenceResult retention_ref(const std::vector<double> &q, const std::vector<double> &k,
                               const std::vector<double> &v, const std::vector<double> &initial_state, int64_t B,
                               int64_t T, int64_t H, int64_t K, int64_t V, double scale);
// g [B,T,H].
RecurrenceResult simple_gla_ref(const std::vector<double> &q, const std::vector<double> &k,
                                const std::vector<double> &v, const std::vector<double> &g,
                                const std::vector<double> &initial_state, int64_t B, int64_t T, int64_t H, int64_t K,
                                int64_t V, double scale);

// gamma_h of retention.
double retention_gamma(int64_t h);

// One token (the recurrences with T = 1): q, k [B,H,K], v [B,H,V], g [B,H], state [B,H,K,V].
RecurrenceResult linear_attn_step_ref(const std::vector<double> &q, const std::vector<double> &k,
                                      const std::vector<double> &v, const std::vector<double> &state, int64_t B,
                                      int64_t H, int64_t K, int64_t V, double scale);
RecurrenceResult retention_step_ref(const std::vector<double> &q, const std::vector<double> &k,
                                    const std::vector<double> &v, const std::vector<double> &state, int64_t B,
                                    int64_t H, int64_t K, int64_t V, double scale);
RecurrenceResult simple_gla_step_ref(const std::vector<double> &q, const std::vector<double> &k,
                                     const std::vector<double> &v, const std::vector<double> &g,
                                     const std::vector<double> &state, int64_t B, int64_t H, int64_t K, int64_t V,
                                     double scale);

}  // namespace seqmix::ref
