// seqmix-bench: the CPU LSTM peer (peers_cpu.h), what oneDNN's (and so PyTorch CPU's) LSTM does
// for the recurrent half: per token one OpenBLAS sgemm h_{t-1} [B,Hd] x R [Hd,4*Hd] (all cores),
// then the cell elementwise in plain C++ -O3 (x86-64-v4/v3 clones). The input projections G are
// given to both sides.
#include <cblas.h>

#include <cmath>
#include <vector>

#include "peers_cpu.h"

namespace seqmix::bench {

namespace {

__attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default"))) void lstm_cell(
    const float *__restrict__ pre, const float *__restrict__ g, const float *__restrict__ bias,
    float *__restrict__ c, float *__restrict__ h, int64_t Hd) {
    for (int64_t j = 0; j < Hd; j++) {
        auto sig = [](float x) { return 1.0f / (1.0f + std::exp(-x)); };
        const float i = sig(pre[j] + g[j] + bias[j]), f = sig(pre[Hd + j] + g[Hd + j] + bias[Hd + j]);
        const float z = std::tanh(pre[2 * Hd + j] + g[2 * Hd + j] + bias[2 * Hd + j]);
        const float o = sig(pre[3 * Hd + j] + g[3 * Hd + j] + bias[3 * Hd + j]);
        c[j] = f * c[j] + i * z;
        h[j] = o * std::tanh(c[j]);
    }
}

}  // namespace

void lstm_gemm(const float *G, const float *R, const float *bias, float *y, int64_t B, int64_t T, int64_t Hd) {
    const int64_t N = 4 * Hd;
    std::vector<float> h(B * Hd, 0.0f), c(B * Hd, 0.0f), pre(B * N);
    for (int64_t t = 0; t < T; t++) {
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, int(B), int(N), int(Hd), 1.0f, h.data(), int(Hd), R,
                    int(N), 0.0f, pre.data(), int(N));
        for (int64_t b = 0; b < B; b++) {
            lstm_cell(&pre[b * N], G + (b * T + t) * N, bias, &c[b * Hd], &h[b * Hd], Hd);
            for (int64_t j = 0; j < Hd; j++) y[(b * T + t) * Hd + j] = h[b * Hd + j];
        }
    }
}

}  // namespace seqmix::bench
