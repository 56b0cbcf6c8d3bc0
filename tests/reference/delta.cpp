// float64 references for the delta-rule mixers and RWKV-7; see delta.h. Each mixer's update is
// written as MIXERS.md writes it; the loop over (b, h, t) and the output o_t = scale S_t^T q_t are
// shared.
#include "reference/delta.h"

#include <cassert>
#include <cmath>
#include <functional>

namespace seqmix::ref {
namespace {

// S is the [K,V] state of one head (S[i*V + j]); `update(S, b, t, h)` advances it by one token.
DeltaResult run(const Vec &q, const Vec &initial_state, DeltaShape s, double scale,
                const std::function<void(double *S, int64_t b, int64_t t, int64_t h)> &update) {
    const int64_t B = s.B, T = s.T, H = s.H, K = s.K, V = s.V;
    assert(static_cast<int64_t>(q.size()) == B * T * H * K);
    assert(initial_state.empty() || static_cast<int64_t>(initial_state.size()) == B * H * K * V);
    DeltaResult r;
    r.o.assign(B * T * H * V, 0.0);
    r.final_state = initial_state.empty() ? Vec(B * H * K * V, 0.0) : initial_state;
    for (int64_t b = 0; b < B; b++) {
        for (int64_t h = 0; h < H; h++) {
            double *S = &r.final_state[(b * H + h) * K * V];
            for (int64_t t = 0; t < T; t++) {
                update(S, b, t, h);
                const double *qt = &q[((b * T + t) * H + h) * K];
                double *ot = &r.o[((b * T + t) * H + h) * V];
                for (int64_t j = 0; j < V; j++) {
                    double acc = 0.0;
                    for (int64_t i = 0; i < K; i++) acc += S[i * V + j] * qt[i];
                    ot[j] = scale * acc;
                }
            }
        }
    }
    return r;
}

// S <- (I - k e^T) S + k x^T with e = erase weights (K), x = written values (V): the common
// shape of the delta-rule updates as MIXERS.md writes them, S already decayed.
void erase_write(double *S, const double *k, const Vec &e, const Vec &x, int64_t K, int64_t V) {
    Vec eS(V, 0.0);  // e^T S
    for (int64_t i = 0; i < K; i++) {
        for (int64_t j = 0; j < V; j++) eS[j] += e[i] * S[i * V + j];
    }
    for (int64_t i = 0; i < K; i++) {
        for (int64_t j = 0; j < V; j++) S[i * V + j] += -k[i] * eS[j] + k[i] * x[j];
    }
}

}  // namespace

Vec l2_normalise(const Vec &x, int64_t n) {
    Vec y(x.size());
    for (size_t r = 0; r < x.size() / n; r++) {
        double ss = 0.0;
        for (int64_t i = 0; i < n; i++) ss += x[r * n + i] * x[r * n + i];
        const double inv = 1.0 / std::sqrt(ss + 1e-6);
        for (int64_t i = 0; i < n; i++) y[r * n + i] = x[r * n + i] * inv;
    }
    return y;
}

// S_t = exp(g_t) (I - beta_t k_t k_t^T) S_{t-1} + beta_t k_t v_t^T; delta_rule is g = 0, and
// exp(g) (I - beta k k^T) S = (I - beta k k^T) (exp(g) S).
DeltaResult gated_delta_rule_ref(const Vec &q0, const Vec &k0, const Vec &v, const Vec &g, const Vec &beta,
                                 const Vec &initial_state, DeltaShape s, double scale, bool qk_l2norm) {
    const int64_t T = s.T, H = s.H, K = s.K, V = s.V;
    const Vec q = qk_l2norm ? l2_normalise(q0, K) : q0, k = qk_l2norm ? l2_normalise(k0, K) : k0;
    return run(q, initial_state, s, scale, [&](double *S, int64_t b, int64_t t, int64_t h) {
        const int64_t tok = (b * T + t) * H + h;
        const double *kt = &k[tok * K];
        const double decay = g.empty() ? 1.0 : std::exp(g[tok]);
        for (int64_t i = 0; i < K * V; i++) S[i] *= decay;
        Vec e(K), x(V);
        for (int64_t i = 0; i < K; i++) e[i] = beta[tok] * kt[i];
        for (int64_t j = 0; j < V; j++) x[j] = beta[tok] * v[tok * V + j];
        erase_write(S, kt, e, x, K, V);
    });
}

DeltaResult delta_rule_ref(const Vec &q, const Vec &k, const Vec &v, const Vec &beta, const Vec &initial_state,
                           DeltaShape s, double scale, bool qk_l2norm) {
    return gated_delta_rule_ref(q, k, v, {}, beta, initial_state, s, scale, qk_l2norm);
}

// S_t = (I - beta_t k_t k_t^T) Diag(exp(g_t)) S_{t-1} + beta_t k_t v_t^T.
DeltaResult kda_ref(const Vec &q0, const Vec &k0, const Vec &v, const Vec &g, const Vec &beta, const Vec &initial_state,
                    DeltaShape s, double scale, bool qk_l2norm) {
    const int64_t T = s.T, H = s.H, K = s.K, V = s.V;
    const Vec q = qk_l2norm ? l2_normalise(q0, K) : q0, k = qk_l2norm ? l2_normalise(k0, K) : k0;
    return run(q, initial_state, s, scale, [&](double *S, int64_t b, int64_t t, int64_t h) {
        const int64_t tok = (b * T + t) * H + h;
        const double *kt = &k[tok * K];
        for (int64_t i = 0; i < K; i++) {
            const double d = std::exp(g[tok * K + i]);
            for (int64_t j = 0; j < V; j++) S[i * V + j] *= d;
        }
        Vec e(K), x(V);
        for (int64_t i = 0; i < K; i++) e[i] = beta[tok] * kt[i];
        for (int64_t j = 0; j < V; j++) x[j] = beta[tok] * v[tok * V + j];
        erase_write(S, kt, e, x, K, V);
    });
}

// S_t = (I - k_t (b_t * k_t)^T) Diag(exp(g_t)) S_{t-1} + k_t (w_t * v_t)^T.
DeltaResult gated_delta_rule2_ref(const Vec &q0, const Vec &k0, const Vec &v, const Vec &g, const Vec &bg, const Vec &w,
                                  const Vec &initial_state, DeltaShape s, double scale, bool qk_l2norm) {
    const int64_t T = s.T, H = s.H, K = s.K, V = s.V;
    const Vec q = qk_l2norm ? l2_normalise(q0, K) : q0, k = qk_l2norm ? l2_normalise(k0, K) : k0;
    return run(q, initial_state, s, scale, [&](double *S, int64_t b, int64_t t, int64_t h) {
        const int64_t tok = (b * T + t) * H + h;
        const double *kt = &k[tok * K];
        for (int64_t i = 0; i < K; i++) {
            const double d = std::exp(g[tok * K + i]);
            for (int64_t j = 0; j < V; j++) S[i * V + j] *= d;
        }
        Vec e(K), x(V);
        for (int64_t i = 0; i < K; i++) e[i] = bg[tok * K + i] * kt[i];
        for (int64_t j = 0; j < V; j++) x[j] = w[tok * V + j] * v[tok * V + j];
        erase_write(S, kt, e, x, K, V);
    });
}

// S_t = Diag(exp(w_t)) S_{t-1} + b_t (a_t^T S_{t-1}) + k_t v_t^T, o_t = scale S_t^T r_t.
DeltaResult rwkv7_ref(const Vec &r, const Vec &w, const Vec &k, const Vec &v, const Vec &a, const Vec &bg,
                      const Vec &initial_state, DeltaShape s, double scale) {
    const int64_t T = s.T, H = s.H, K = s.K, V = s.V;
    return run(r, initial_state, s, scale, [&](double *S, int64_t b, int64_t t, int64_t h) {
        const int64_t tok = (b * T + t) * H + h;
        Vec aS(V, 0.0);  // a_t^T S_{t-1}
        for (int64_t i = 0; i < K; i++) {
            for (int64_t j = 0; j < V; j++) aS[j] += a[tok * K + i] * S[i * V + j];
        }
        for (int64_t i = 0; i < K; i++) {
            const double d = std::exp(w[tok * K + i]);
            for (int64_t j = 0; j < V; j++) {
                S[i * V + j] = d * S[i * V + j] + bg[tok * K + i] * aS[j] + k[tok * K + i] * v[tok * V + j];
            }
        }
    });
}

}  // namespace seqmix::ref
