// float64 references for linear attention, retention and simple GLA, MIXERS.md "Linear
// recurrences": S_t = a_t S_{t-1} + k_t v_t^T, o_t = scale * S_t^T q_t, with the scalar decay
// a_t = 1, gamma_h or exp(g_t).
#include "reference/scalar_decay.h"

#include <cassert>
#include <cmath>
#include <functional>

namespace seqmix::ref {
namespace {

// decay(b, t, h): the a_t multiplying S_{t-1} of head h.
RecurrenceResult recurrence(const std::vector<double> &q, const std::vector<double> &k, const std::vector<double> &v,
                            const std::vector<double> &initial_state, int64_t B, int64_t T, int64_t H, int64_t K,
                            int64_t V, double scale, const std::function<double(int64_t, int64_t, int64_t)> &decay) {
    assert(static_cast<int64_t>(q.size()) == B * T * H * K);
    assert(static_cast<int64_t>(k.size()) == B * T * H * K);
    assert(static_cast<int64_t>(v.size()) == B * T * H * V);
    assert(initial_state.empty() || static_cast<int64_t>(initial_state.size()) == B * H * K * V);
    RecurrenceResult r;
    r.o.assign(B * T * H * V, 0.0);
    r.final_state = initial_state.empty() ? std::vector<double>(B * H * K * V, 0.0) : initial_state;
    for (int64_t b = 0; b < B; b++) {
        for (int64_t h = 0; h < H; h++) {
            double *S = &r.final_state[(b * H + h) * K * V];  // S[i][j], i over K, j over V
            for (int64_t t = 0; t < T; t++) {
                const int64_t qk = ((b * T + t) * H + h) * K;
                const int64_t vo = ((b * T + t) * H + h) * V;
                const double a = decay(b, t, h);
                // S_t = a_t S_{t-1} + k_t v_t^T
                for (int64_t i = 0; i < K; i++) {
                    for (int64_t j = 0; j < V; j++) {
                        S[i * V + j] = a * S[i * V + j] + k[qk + i] * v[vo + j];
                    }
                }
                // o_t = scale * S_t^T q_t
                for (int64_t j = 0; j < V; j++) {
                    double acc = 0.0;
                    for (int64_t i = 0; i < K; i++) {
                        acc += S[i * V + j] * q[qk + i];
                    }
                    r.o[vo + j] = scale * acc;
                }
            }
        }
    }
    return r;
}

}  // namespace

double retention_gamma(int64_t h) {
    return 1.0 - std::pow(2.0, -5.0 - double(h));
}

RecurrenceResult linear_attn_ref(const std::vector<double> &q, const std::vector<double> &k,
                                 const std::vector<double> &v, const std::vector<double> &initial_state, int64_t B,
                                 int64_t T, int64_t H, int64_t K, int64_t V, double scale) {
    return recurrence(q, k, v, initial_state, B, T, H, K, V, scale, [](int64_t, int64_t, int64_t) { return 1.0; });
}

RecurrenceResult retention_ref(const std::vector<double> &q, const std::vector<double> &k,
                               const std::vector<double> &v, const std::vector<double> &initial_state, int64_t B,
                               int64_t T, int64_t H, int64_t K, int64_t V, double scale) {
    return recurrence(q, k, v, initial_state, B, T, H, K, V, scale,
                      [](int64_t, int64_t, int64_t h) { return retention_gamma(h); });
}

RecurrenceResult simple_gla_ref(const std::vector<double> &q, const std::vector<double> &k,
                                const std::vector<double> &v, const std::vector<double> &g,
                                const std::vector<double> &initial_state, int64_t B, int64_t T, int64_t H, int64_t K,
                                int64_t V, double scale) {
    assert(static_cast<int64_t>(g.size()) == B * T * H);
    return recurrence(q, k, v, initial_state, B, T, H, K, V, scale,
                      [&](int64_t b, int64_t t, int64_t h) { return std::exp(g[(b * T + t) * H + h]); });
}

// [B,H,X] is [B,1,H,X] with the same element order.
RecurrenceResult linear_attn_step_ref(const std::vector<double> &q, const std::vector<double> &k,
                                      const std::vector<double> &v, const std::vector<double> &state, int64_t B,
                                      int64_t H, int64_t K, int64_t V, double scale) {
    return linear_attn_ref(q, k, v, state, B, 1, H, K, V, scale);
}

RecurrenceResult retention_step_ref(const std::vector<double> &q, const std::vector<double> &k,
                                    const std::vector<double> &v, const std::vector<double> &state, int64_t B,
                                    int64_t H, int64_t K, int64_t V, double scale) {
    return retention_ref(q, k, v, state, B, 1, H, K, V, scale);
}

RecurrenceResult simple_gla_step_ref(const std::vector<double> &q, const std::vector<double> &k,
                                     const std::vector<double> &v, const std::vector<double> &g,
                                     const std::vector<double> &state, int64_t B, int64_t H, int64_t K, int64_t V,
                                     double scale) {
    return simple_gla_ref(q, k, v, g, state, B, 1, H, K, V, scale);
}

}  // namespace seqmix::ref
