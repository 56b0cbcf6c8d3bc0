// float64 references for Mamba-2 SSD and its bidirectional form (MIXERS.md, "State-space
// models"): the naive recurrence, line by line.
#include "reference/ssd.h"

#include <cassert>
#include <cmath>

namespace seqmix::ref {

namespace {

double softplus(double z) {
    return z > 30.0 ? z : std::log1p(std::exp(z));
}

double at_or_zero(const std::vector<double> &v, int64_t i) {
    return v.empty() ? 0.0 : v[i];
}

// [B,T,...] reversed along T; `inner` elements per token.
std::vector<double> flip_t(const std::vector<double> &v, int64_t B, int64_t T, int64_t inner) {
    std::vector<double> out(v.size());
    for (int64_t b = 0; b < B; b++) {
        for (int64_t t = 0; t < T; t++) {
            for (int64_t e = 0; e < inner; e++) {
                out[(b * T + t) * inner + e] = v[(b * T + (T - 1 - t)) * inner + e];
            }
        }
    }
    return out;
}

// shift(y)_t = y_{t-1}, shift(y)_0 = 0.
std::vector<double> shift_t(const std::vector<double> &v, int64_t B, int64_t T, int64_t inner) {
    std::vector<double> out(v.size(), 0.0);
    for (int64_t b = 0; b < B; b++) {
        for (int64_t t = 1; t < T; t++) {
            for (int64_t e = 0; e < inner; e++) {
                out[(b * T + t) * inner + e] = v[(b * T + t - 1) * inner + e];
            }
        }
    }
    return out;
}

}  // namespace

SsdResult ssd_ref(const std::vector<double> &x, const std::vector<double> &dt, const std::vector<double> &A,
                  const std::vector<double> &Bm, const std::vector<double> &Cm, const std::vector<double> &Dskip,
                  const std::vector<double> &dt_bias, const std::vector<double> &initial_state, const SsdShape &s,
                  bool dt_softplus) {
    const int64_t B = s.B, T = s.T, H = s.H, P = s.P, N = s.N, G = s.G;
    assert(H % G == 0);
    assert(static_cast<int64_t>(x.size()) == B * T * H * P);
    assert(static_cast<int64_t>(dt.size()) == B * T * H);
    assert(static_cast<int64_t>(Bm.size()) == B * T * G * N);
    assert(static_cast<int64_t>(Cm.size()) == B * T * G * N);
    assert(initial_state.empty() || static_cast<int64_t>(initial_state.size()) == B * H * P * N);
    SsdResult r;
    r.y.assign(B * T * H * P, 0.0);
    r.final_state = initial_state.empty() ? std::vector<double>(B * H * P * N, 0.0) : initial_state;
    for (int64_t b = 0; b < B; b++) {
        for (int64_t h = 0; h < H; h++) {
            const int64_t g = h / (H / G);
            double *S = &r.final_state[(b * H + h) * P * N];  // h[p][n]
            for (int64_t t = 0; t < T; t++) {
                const double z = dt[(b * T + t) * H + h] + at_or_zero(dt_bias, h);
                const double d = dt_softplus ? softplus(z) : z;
                const double decay = std::exp(d * A[h]);
                const double *xt = &x[((b * T + t) * H + h) * P];
                const double *bt = &Bm[((b * T + t) * G + g) * N];
                const double *ct = &Cm[((b * T + t) * G + g) * N];
                double *yt = &r.y[((b * T + t) * H + h) * P];
                // h_t = exp(dt A) h_{t-1} + dt x_t Bm_t^T
                for (int64_t p = 0; p < P; p++) {
                    for (int64_t n = 0; n < N; n++) {
                        S[p * N + n] = decay * S[p * N + n] + d * xt[p] * bt[n];
                    }
                }
                // y_t = h_t Cm_t + Dskip x_t
                for (int64_t p = 0; p < P; p++) {
                    double acc = 0.0;
                    for (int64_t n = 0; n < N; n++) acc += S[p * N + n] * ct[n];
                    yt[p] = acc + at_or_zero(Dskip, h) * xt[p];
                }
            }
        }
    }
    return r;
}

std::vector<double> ssd_bidirectional_ref(const std::vector<double> &x, const std::vector<double> &dt_f,
                                          const std::vector<double> &Bm_f, const std::vector<double> &Cm_f,
                                          const std::vector<double> &dt_b, const std::vector<double> &Bm_b,
                                          const std::vector<double> &Cm_b, const std::vector<double> &A,
                                          const std::vector<double> &Dskip, const std::vector<double> &dt_bias,
                                          const SsdShape &s, bool dt_softplus) {
    const int64_t B = s.B, T = s.T, H = s.H, P = s.P;
    const std::vector<double> fwd = ssd_ref(x, dt_f, A, Bm_f, Cm_f, {}, dt_bias, {}, s, dt_softplus).y;
    const std::vector<double> bwd =
        ssd_ref(flip_t(x, B, T, H * P), dt_b, A, Bm_b, Cm_b, {}, dt_bias, {}, s, dt_softplus).y;
    const std::vector<double> a = shift_t(fwd, B, T, H * P);
    const std::vector<double> c = flip_t(shift_t(bwd, B, T, H * P), B, T, H * P);
    std::vector<double> y(x.size());
    for (int64_t b = 0; b < B; b++) {
        for (int64_t t = 0; t < T; t++) {
            for (int64_t h = 0; h < H; h++) {
                for (int64_t p = 0; p < P; p++) {
                    const int64_t i = ((b * T + t) * H + h) * P + p;
                    y[i] = a[i] + c[i] + at_or_zero(Dskip, h) * x[i];
                }
            }
        }
    }
    return y;
}

}  // namespace seqmix::ref
