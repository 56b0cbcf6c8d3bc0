// float64 reference for dense token mixing (MIXERS.md, "Convolutions and structured matrices";
// MLP-Mixer, TSMixer): y[b,t,c] = bias[t] + sum_s W[t,s] x[b,s,c], causal: s <= t only.
#pragma once

#include <cstdint>
#include <vector>

namespace seqmix::ref {

// x [B,T,C], W [T,T] (row t, column s), bias [T] or empty (zeros) -> y [B,T,C]. The naive sum.
std::vector<double> token_mix_ref(const std::vector<double> &x, const std::vector<double> &W,
                                  const std::vector<double> &bias, int64_t B, int64_t T, int64_t C, bool causal);

}  // namespace seqmix::ref
