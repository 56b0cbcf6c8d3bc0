// seqmix-bench: the FFTW peer of long_conv (bench only; Debian's libfftw3-dev, single precision,
// its threads library over all cores): the same causal convolution as seqmix::long_conv, computed
// the usual way, rfft(u) * rfft(kf) -> irfft, zero-padded to the same length n.
#pragma once

#include <cstdint>
#include <memory>

namespace seqmix::bench {

class FftwLongConv {
public:
    // Plans (FFTW_MEASURE) for u [B,D,T], kf [D,L] at FFT length n >= T + L - 1.
    FftwLongConv(int64_t B, int64_t D, int64_t T, int64_t L, int64_t n, int threads);
    ~FftwLongConv();
    FftwLongConv(const FftwLongConv &) = delete;
    FftwLongConv &operator=(const FftwLongConv &) = delete;

    // y = (conv(u, kf) + Dskip u); then, when gate is given, y *= gate as a second pass over y
    // (what a framework does: the convolution and the gating are separate operators).
    void run(const float *u, const float *kf, const float *Dskip, const float *gate, float *y);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace seqmix::bench
