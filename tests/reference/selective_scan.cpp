// float64 reference for the Mamba (S6) selective scan, MIXERS.md "State-space models".
#include "reference/selective_scan.h"

#include <cmath>

namespace seqmix::ref {

ScanResult selective_scan_ref(const ScanInputs &in) {
    const int64_t B = in.B, D = in.D, T = in.T, N = in.N;
    ScanResult r;
    r.y.assign(B * D * T, 0.0);
    r.final_state = in.initial_state.empty() ? std::vector<double>(B * D * N, 0.0) : in.initial_state;
    // Bm or Cm at (b, d, n, t): [D,N] when groups == 0, else [B,G,N,T] with channel d in group d / (D/G).
    auto bc = [&](const std::vector<double> &m, int64_t groups, int64_t b, int64_t d, int64_t n, int64_t t) {
        if (groups == 0) return m[d * N + n];
        const int64_t g = d / (D / groups);
        return m[((b * groups + g) * N + n) * T + t];
    };
    for (int64_t b = 0; b < B; b++) {
        for (int64_t d = 0; d < D; d++) {
            double *h = &r.final_state[(b * D + d) * N];
            for (int64_t t = 0; t < T; t++) {
                const int64_t i = (b * D + d) * T + t;
                double dt = in.delta[i] + (in.delta_bias.empty() ? 0.0 : in.delta_bias[d]);
                if (in.delta_softplus) dt = std::log1p(std::exp(dt));
                const double x = in.x[i];
                double y = 0.0;
                for (int64_t n = 0; n < N; n++) {
                    // h_t = exp(dt_t A) * h_{t-1} + dt_t Bm_t x_t
                    h[n] = std::exp(dt * in.A[d * N + n]) * h[n] + dt * bc(in.Bm, in.groups_B, b, d, n, t) * x;
                    // y_t = Cm_t . h_t
                    y += bc(in.Cm, in.groups_C, b, d, n, t) * h[n];
                }
                y += (in.Dskip.empty() ? 0.0 : in.Dskip[d]) * x;
                if (!in.z.empty()) y *= in.z[i] / (1.0 + std::exp(-in.z[i]));
                r.y[i] = y;
            }
        }
    }
    return r;
}

}  // namespace seqmix::ref
