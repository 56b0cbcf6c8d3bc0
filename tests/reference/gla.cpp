// float64 reference for GLA, MIXERS.md "Linear recurrences":
//   S_t = Diag(exp(g_t)) S_{t-1} + k_t v_t^T,   o_t = scale * S_t^T q_t.
#include "reference/gla.h"

#include <cassert>
#include <cmath>

namespace seqmix::ref {

GlaResult gla_ref(const std::vector<double> &q, const std::vector<double> &k, const std::vector<double> &v,
                  const std::vector<double> &g, const std::vector<double> &initial_state, int64_t B, int64_t T,
                  int64_t H, int64_t K, int64_t V, double scale) {
    assert(static_cast<int64_t>(q.size()) == B * T * H * K);
    assert(static_cast<int64_t>(k.size()) == B * T * H * K);
    assert(static_cast<int64_t>(g.size()) == B * T * H * K);
    assert(static_cast<int64_t>(v.size()) == B * T * H * V);
    assert(initial_state.empty() || static_cast<int64_t>(initial_state.size()) == B * H * K * V);
    GlaResult r;
    r.o.assign(B * T * H * V, 0.0);
    r.final_state = initial_state.empty() ? std::vector<double>(B * H * K * V, 0.0) : initial_state;

    for (int64_t b = 0; b < B; b++) {
        for (int64_t h = 0; h < H; h++) {
            double *S = &r.final_state[(b * H + h) * K * V];  // S[i][j], i over K, j over V
            for (int64_t t = 0; t < T; t++) {
                const int64_t qk = ((b * T + t) * H + h) * K;
                const int64_t vo = ((b * T + t) * H + h) * V;
                // S_t = Diag(exp(g_t)) S_{t-1} + k_t v_t^T
                for (int64_t i = 0; i < K; i++) {
                    const double decay = std::exp(g[qk + i]);
                    for (int64_t j = 0; j < V; j++) {
                        S[i * V + j] = decay * S[i * V + j] + k[qk + i] * v[vo + j];
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

GlaResult gla_step_ref(const std::vector<double> &q, const std::vector<double> &k, const std::vector<double> &v,
                       const std::vector<double> &g, const std::vector<double> &state, int64_t B, int64_t H,
                       int64_t K, int64_t V, double scale) {
    // One token is the recurrence with T = 1: [B,H,K] is [B,1,H,K] with the same element order.
    return gla_ref(q, k, v, g, state, B, 1, H, K, V, scale);
}

std::vector<double> gla_decay_ref(const std::vector<double> &g, int64_t B, int64_t T, int64_t H, int64_t K) {
    std::vector<double> decay(B * H * K, 0.0);
    for (int64_t b = 0; b < B; ++b) {
        for (int64_t t = 0; t < T; ++t) {
            for (int64_t h = 0; h < H; ++h) {
                for (int64_t x = 0; x < K; ++x) decay[(b * H + h) * K + x] += g[((b * T + t) * H + h) * K + x];
            }
        }
    }
    for (double &d : decay) d = std::exp(d);
    return decay;
}

}  // namespace seqmix::ref
