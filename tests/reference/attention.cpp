// float64 reference for softmax attention, MIXERS.md "Softmax attention family":
//   o[t] = sum_s softmax_s(scale * q[t].k[s]) v[s] over the allowed s,  lse[t] = log sum_s exp(...).
#include "reference/attention.h"

#include <cassert>
#include <cmath>
#include <limits>

namespace seqmix::ref {

bool attention_allowed(int64_t t, int64_t s, int64_t T, int64_t S, bool causal, int64_t window) {
    if (!causal) {
        return true;
    }
    const int64_t last = t + (S - T);  // bottom-right alignment: the last query sees the last key
    if (s > last) {
        return false;
    }
    if (window > 0 && s <= last - window) {
        return false;
    }
    return true;
}

AttentionResult attention_ref(const std::vector<double> &q, const std::vector<double> &k,
                              const std::vector<double> &v, int64_t B, int64_t T, int64_t S, int64_t H,
                              int64_t Hkv, int64_t K, int64_t V, double scale, bool causal, int64_t window) {
    assert(H % Hkv == 0);
    assert(static_cast<int64_t>(q.size()) == B * T * H * K);
    assert(static_cast<int64_t>(k.size()) == B * S * Hkv * K);
    assert(static_cast<int64_t>(v.size()) == B * S * Hkv * V);
    const int64_t group = H / Hkv;
    AttentionResult r;
    r.o.assign(B * T * H * V, 0.0);
    r.lse.assign(B * H * T, -std::numeric_limits<double>::infinity());

    std::vector<double> score(S);
    for (int64_t b = 0; b < B; b++) {
        for (int64_t h = 0; h < H; h++) {
            const int64_t hk = h / group;
            for (int64_t t = 0; t < T; t++) {
                const double *qt = &q[((b * T + t) * H + h) * K];
                // scores of the allowed keys, and their maximum (subtracted before exp)
                double m = -std::numeric_limits<double>::infinity();
                bool any = false;
                for (int64_t s = 0; s < S; s++) {
                    if (!attention_allowed(t, s, T, S, causal, window)) {
                        continue;
                    }
                    const double *ks = &k[((b * S + s) * Hkv + hk) * K];
                    double dot = 0.0;
                    for (int64_t i = 0; i < K; i++) {
                        dot += qt[i] * ks[i];
                    }
                    score[s] = scale * dot;
                    m = any ? std::max(m, score[s]) : score[s];
                    any = true;
                }
                if (!any) {
                    continue;  // no allowed key: o = 0, lse = -inf (already set)
                }
                double denom = 0.0;
                for (int64_t s = 0; s < S; s++) {
                    if (attention_allowed(t, s, T, S, causal, window)) {
                        denom += std::exp(score[s] - m);
                    }
                }
                double *ot = &r.o[((b * T + t) * H + h) * V];
                for (int64_t s = 0; s < S; s++) {
                    if (!attention_allowed(t, s, T, S, causal, window)) {
                        continue;
                    }
                    const double p = std::exp(score[s] - m) / denom;
                    const double *vs = &v[((b * S + s) * Hkv + hk) * V];
                    for (int64_t j = 0; j < V; j++) {
                        ot[j] += p * vs[j];
                    }
                }
                r.lse[(b * H + h) * T + t] = m + std::log(denom);
            }
        }
    }
    return r;
}

}  // namespace seqmix::ref
