#include "reference/long_conv.h"

#include <cstddef>

namespace seqmix::ref {

std::vector<double> long_conv_ref(const std::vector<double> &u, const std::vector<double> &kf,
                                  const std::vector<double> &Dskip, const std::vector<double> &gate, int64_t B,
                                  int64_t D, int64_t T, int64_t L) {
    std::vector<double> y(u.size());
    for (int64_t b = 0; b < B; b++) {
        for (int64_t d = 0; d < D; d++) {
            const double *ud = &u[(b * D + d) * T];
            for (int64_t t = 0; t < T; t++) {
                double acc = Dskip.empty() ? 0.0 : Dskip[d] * ud[t];
                for (int64_t s = 0; s <= t && s < L; s++) acc += kf[d * L + s] * ud[t - s];
                const int64_t i = (b * D + d) * T + t;
                y[i] = gate.empty() ? acc : acc * gate[i];
            }
        }
    }
    return y;
}

LmuSystem lmu_system_ref(int d, double theta) {
    const int n = d + 1;
    std::vector<double> M(n * n, 0.0);
    for (int i = 0; i < d; i++) {
        const double r = (2 * i + 1) / theta;
        for (int j = 0; j < d; j++) M[i * n + j] = r * (i < j ? -1.0 : ((i - j + 1) % 2 == 0 ? 1.0 : -1.0));
        M[i * n + d] = r * (i % 2 == 0 ? 1.0 : -1.0);
    }
    // Z' = M Z, Z(0) = I, to t = 1 in `steps` RK4 steps (error ~ (|M| h)^4, far below 1e-12 here).
    const int steps = 2000;
    const double h = 1.0 / steps;
    std::vector<double> Z(n * n, 0.0);
    for (int i = 0; i < n; i++) Z[i * n + i] = 1.0;
    auto deriv = [&](const std::vector<double> &X) {
        std::vector<double> out(n * n, 0.0);
        for (int i = 0; i < n; i++)
            for (int k = 0; k < n; k++)
                for (int j = 0; j < n; j++) out[i * n + j] += M[i * n + k] * X[k * n + j];
        return out;
    };
    auto axpy = [&](const std::vector<double> &X, const std::vector<double> &K, double a) {
        std::vector<double> out(X);
        for (std::size_t i = 0; i < out.size(); i++) out[i] += a * K[i];
        return out;
    };
    for (int s = 0; s < steps; s++) {
        auto k1 = deriv(Z), k2 = deriv(axpy(Z, k1, h / 2)), k3 = deriv(axpy(Z, k2, h / 2)), k4 = deriv(axpy(Z, k3, h));
        for (std::size_t i = 0; i < Z.size(); i++) Z[i] += h / 6 * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]);
    }
    LmuSystem sys;
    sys.Abar.resize(d * d);
    sys.Bbar.resize(d);
    for (int i = 0; i < d; i++) {
        for (int j = 0; j < d; j++) sys.Abar[i * d + j] = Z[i * n + j];
        sys.Bbar[i] = Z[i * n + d];
    }
    return sys;
}

LmuResult lmu_ref(const std::vector<double> &u, const std::vector<double> &initial_state, int64_t B, int64_t T,
                  int64_t C, int d, double theta) {
    const LmuSystem sys = lmu_system_ref(d, theta);
    LmuResult r;
    r.m.assign(B * T * C * d, 0.0);
    r.final_state.assign(B * C * d, 0.0);
    for (int64_t b = 0; b < B; b++) {
        for (int64_t c = 0; c < C; c++) {
            std::vector<double> m(d, 0.0), next(d);
            if (!initial_state.empty()) {
                for (int i = 0; i < d; i++) m[i] = initial_state[(b * C + c) * d + i];
            }
            for (int64_t t = 0; t < T; t++) {
                const double x = u[(b * T + t) * C + c];
                for (int i = 0; i < d; i++) {
                    double acc = sys.Bbar[i] * x;
                    for (int j = 0; j < d; j++) acc += sys.Abar[i * d + j] * m[j];
                    next[i] = acc;
                }
                m = next;
                for (int i = 0; i < d; i++) r.m[((b * T + t) * C + c) * d + i] = m[i];
            }
            for (int i = 0; i < d; i++) r.final_state[(b * C + c) * d + i] = m[i];
        }
    }
    return r;
}

}  // namespace seqmix::ref
