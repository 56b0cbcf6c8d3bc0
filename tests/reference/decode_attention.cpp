// float64 reference for decode attention, MIXERS.md "decode attention".
#include "reference/decode_attention.h"

#include <cmath>
#include <limits>

namespace seqmix::ref {

DecodeResult decode_attention_ref(const std::vector<double> &q, const std::vector<double> &k,
                                  const std::vector<double> &v, const std::vector<int32_t> &lens, int64_t B,
                                  int64_t Tq, int64_t L, int64_t H, int64_t Hkv, int64_t K, int64_t V, double scale) {
    DecodeResult r;
    r.o.assign(B * Tq * H * V, 0.0);
    r.lse.assign(B * H * Tq, -std::numeric_limits<double>::infinity());
    const int64_t group = H / Hkv;
    for (int64_t b = 0; b < B; b++) {
        for (int64_t tq = 0; tq < Tq; tq++) {
            const int64_t pos = int64_t(lens[b]) - Tq + tq;  // keys l <= pos are visible
            for (int64_t h = 0; h < H; h++) {
                const int64_t hk = h / group;
                const double *qr = &q[((b * Tq + tq) * H + h) * K];
                std::vector<double> s;
                double m = -std::numeric_limits<double>::infinity();
                for (int64_t l = 0; l <= pos && l < L; l++) {
                    const double *kr = &k[((b * L + l) * Hkv + hk) * K];
                    double dot = 0.0;
                    for (int64_t i = 0; i < K; i++) dot += qr[i] * kr[i];
                    s.push_back(scale * dot);
                    m = std::max(m, s.back());
                }
                if (s.empty()) continue;
                double sum = 0.0;
                for (double e : s) sum += std::exp(e - m);
                double *orow = &r.o[((b * Tq + tq) * H + h) * V];
                for (int64_t l = 0; l < int64_t(s.size()); l++) {
                    const double p = std::exp(s[l] - m) / sum;
                    const double *vr = &v[((b * L + l) * Hkv + hk) * V];
                    for (int64_t j = 0; j < V; j++) orow[j] += p * vr[j];
                }
                r.lse[(b * H + h) * Tq + tq] = m + std::log(sum);
            }
        }
    }
    return r;
}

}  // namespace seqmix::ref
