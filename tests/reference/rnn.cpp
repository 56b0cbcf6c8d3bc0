#include "reference/rnn.h"

#include <cmath>

namespace seqmix::ref {
namespace {

double sig(double x) {
    return 1.0 / (1.0 + std::exp(-x));
}

double at(const std::vector<double> &v, int64_t i) {
    return v.empty() ? 0.0 : v[i];
}

// pre[u] = sum_k h[k] R[h][k][u] + bias[h][u], u < ng*Hd, for one (b, head).
std::vector<double> recurrent(const std::vector<double> &R, const std::vector<double> &bias,
                              const std::vector<double> &h, int64_t head, int64_t Hd, int64_t ng) {
    const int64_t N = ng * Hd;
    std::vector<double> pre(N);
    for (int64_t u = 0; u < N; u++) {
        double s = at(bias, head * N + u);
        for (int64_t k = 0; k < Hd; k++) s += h[k] * R[(head * Hd + k) * N + u];
        pre[u] = s;
    }
    return pre;
}

}  // namespace

RnnResult lstm_ref(const std::vector<double> &G, const std::vector<double> &R, const std::vector<double> &bias,
                   const std::vector<double> &h0, const std::vector<double> &c0, int64_t B, int64_t T, int64_t H,
                   int64_t Hd) {
    RnnResult r;
    r.y.assign(B * T * H * Hd, 0.0);
    r.final_h.assign(B * H * Hd, 0.0);
    r.final_c.assign(B * H * Hd, 0.0);
    const int64_t N = 4 * Hd;
    for (int64_t b = 0; b < B; b++) {
        for (int64_t hd = 0; hd < H; hd++) {
            std::vector<double> h(Hd), c(Hd);
            for (int64_t j = 0; j < Hd; j++) h[j] = at(h0, (b * H + hd) * Hd + j), c[j] = at(c0, (b * H + hd) * Hd + j);
            for (int64_t t = 0; t < T; t++) {
                std::vector<double> pre = recurrent(R, bias, h, hd, Hd, 4);
                const double *g = &G[((b * T + t) * H + hd) * N];
                for (int64_t j = 0; j < Hd; j++) {
                    double i = sig(g[j] + pre[j]), f = sig(g[Hd + j] + pre[Hd + j]);
                    double z = std::tanh(g[2 * Hd + j] + pre[2 * Hd + j]), o = sig(g[3 * Hd + j] + pre[3 * Hd + j]);
                    c[j] = f * c[j] + i * z;
                    h[j] = o * std::tanh(c[j]);
                    r.y[((b * T + t) * H + hd) * Hd + j] = h[j];
                }
            }
            for (int64_t j = 0; j < Hd; j++) r.final_h[(b * H + hd) * Hd + j] = h[j], r.final_c[(b * H + hd) * Hd + j] = c[j];
        }
    }
    return r;
}

RnnResult gru_ref(const std::vector<double> &G, const std::vector<double> &R, const std::vector<double> &bh,
                  const std::vector<double> &h0, int64_t B, int64_t T, int64_t H, int64_t Hd) {
    RnnResult r;
    r.y.assign(B * T * H * Hd, 0.0);
    r.final_h.assign(B * H * Hd, 0.0);
    const int64_t N = 3 * Hd;
    for (int64_t b = 0; b < B; b++) {
        for (int64_t hd = 0; hd < H; hd++) {
            std::vector<double> h(Hd);
            for (int64_t j = 0; j < Hd; j++) h[j] = at(h0, (b * H + hd) * Hd + j);
            for (int64_t t = 0; t < T; t++) {
                std::vector<double> rec = recurrent(R, bh, h, hd, Hd, 3);  // h R + bh
                const double *g = &G[((b * T + t) * H + hd) * N];
                for (int64_t j = 0; j < Hd; j++) {
                    double rg = sig(g[j] + rec[j]), u = sig(g[Hd + j] + rec[Hd + j]);
                    double n = std::tanh(g[2 * Hd + j] + rg * rec[2 * Hd + j]);
                    h[j] = (1.0 - u) * n + u * h[j];
                    r.y[((b * T + t) * H + hd) * Hd + j] = h[j];
                }
            }
            for (int64_t j = 0; j < Hd; j++) r.final_h[(b * H + hd) * Hd + j] = h[j];
        }
    }
    return r;
}

std::vector<double> diagonal_to_dense(const std::vector<double> &Rd, int64_t H, int64_t Hd, int64_t ng) {
    std::vector<double> R(H * Hd * ng * Hd, 0.0);
    for (int64_t h = 0; h < H; h++) {
        for (int64_t j = 0; j < Hd; j++) {
            for (int64_t g = 0; g < ng; g++) R[(h * Hd + j) * ng * Hd + g * Hd + j] = Rd[(h * Hd + j) * ng + g];
        }
    }
    return R;
}

}  // namespace seqmix::ref
