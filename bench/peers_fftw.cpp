#include "peers_fftw.h"

#include <fftw3.h>

#include <algorithm>
#include <complex>
#include <cstring>
#include <vector>

namespace seqmix::bench {

struct FftwLongConv::Impl {
    int64_t B, D, T, L, n, bins;
    float *x = nullptr;          // [B*D, n] real, zero-padded u, then the result
    fftwf_complex *X = nullptr;  // [B*D, bins]
    float *k = nullptr;          // [D, n]
    fftwf_complex *K = nullptr;  // [D, bins]
    fftwf_plan fwd{}, inv{}, kfwd{};
};

FftwLongConv::FftwLongConv(int64_t B, int64_t D, int64_t T, int64_t L, int64_t n, int threads)
    : impl_(std::make_unique<Impl>()) {
    Impl &p = *impl_;
    p.B = B, p.D = D, p.T = T, p.L = L, p.n = n, p.bins = n / 2 + 1;
    fftwf_init_threads();
    fftwf_plan_with_nthreads(threads);
    const int nn = static_cast<int>(n), rows = static_cast<int>(B * D), bins = static_cast<int>(p.bins);
    p.x = fftwf_alloc_real(size_t(B * D * n));
    p.X = fftwf_alloc_complex(size_t(B * D * p.bins));
    p.k = fftwf_alloc_real(size_t(D * n));
    p.K = fftwf_alloc_complex(size_t(D * p.bins));
    p.fwd = fftwf_plan_many_dft_r2c(1, &nn, rows, p.x, nullptr, 1, nn, p.X, nullptr, 1, bins, FFTW_MEASURE);
    p.inv = fftwf_plan_many_dft_c2r(1, &nn, rows, p.X, nullptr, 1, bins, p.x, nullptr, 1, nn, FFTW_MEASURE);
    p.kfwd = fftwf_plan_many_dft_r2c(1, &nn, static_cast<int>(D), p.k, nullptr, 1, nn, p.K, nullptr, 1, bins,
                                     FFTW_MEASURE);
}

FftwLongConv::~FftwLongConv() {
    Impl &p = *impl_;
    fftwf_destroy_plan(p.fwd);
    fftwf_destroy_plan(p.inv);
    fftwf_destroy_plan(p.kfwd);
    fftwf_free(p.x);
    fftwf_free(p.X);
    fftwf_free(p.k);
    fftwf_free(p.K);
}

void FftwLongConv::run(const float *u, const float *kf, const float *Dskip, const float *gate, float *y) {
    Impl &p = *impl_;
    const int64_t rows = p.B * p.D;
    for (int64_t r = 0; r < rows; r++) {
        std::memcpy(p.x + r * p.n, u + r * p.T, size_t(p.T) * sizeof(float));
        std::fill(p.x + r * p.n + p.T, p.x + (r + 1) * p.n, 0.0f);
    }
    for (int64_t d = 0; d < p.D; d++) {
        std::memcpy(p.k + d * p.n, kf + d * p.L, size_t(p.L) * sizeof(float));
        std::fill(p.k + d * p.n + p.L, p.k + (d + 1) * p.n, 0.0f);
    }
    fftwf_execute(p.fwd);
    fftwf_execute(p.kfwd);
    const float scale = 1.0f / static_cast<float>(p.n);
    for (int64_t r = 0; r < rows; r++) {
        auto *X = reinterpret_cast<std::complex<float> *>(p.X + r * p.bins);
        const auto *K = reinterpret_cast<const std::complex<float> *>(p.K + (r % p.D) * p.bins);
        for (int64_t f = 0; f < p.bins; f++) X[f] *= K[f] * scale;
    }
    fftwf_execute(p.inv);
    for (int64_t r = 0; r < rows; r++) {
        const float dk = Dskip[r % p.D];
        const float *xr = p.x + r * p.n, *ur = u + r * p.T;
        float *yr = y + r * p.T;
        for (int64_t t = 0; t < p.T; t++) yr[t] = xr[t] + dk * ur[t];
    }
    if (gate) {
        for (int64_t i = 0; i < rows * p.T; i++) y[i] *= gate[i];
    }
}

}  // namespace seqmix::bench
