// float64 reference for the Monarch mixer (MIXERS.md, "Convolutions and structured matrices"):
// M = P L P R for n = m*m, R and L block-diagonal with blocks given as [m,m,m] (block, row,
// column), P the [m,m] transpose permutation; n not a square is padded to m*m with m =
// ceil(sqrt(n)). The reference builds M as a dense n x n matrix (the product of the four m*m x m*m
// factors, restricted to the first n rows and columns) and multiplies by it: an independent path
// from the kernels' two block-diagonal passes.
#pragma once

#include <cstdint>
#include <vector>

namespace seqmix::ref {

// The smallest m with m*m >= n.
int64_t monarch_m(int64_t n);

// Dense [n,n] row-major M for blocks L, R [m,m,m] (m = monarch_m(n)).
std::vector<double> monarch_dense(const std::vector<double> &L, const std::vector<double> &R, int64_t n);

// x [B,T,C] -> y [B,T,C]: y = M x along the channel axis (sequence_axis false, n = C) or along the
// sequence axis (true, n = T), every other index fixed.
std::vector<double> monarch_ref(const std::vector<double> &x, const std::vector<double> &L, const std::vector<double> &R,
                                int64_t B, int64_t T, int64_t C, bool sequence_axis);

}  // namespace seqmix::ref
