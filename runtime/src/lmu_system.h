// The Legendre Memory Unit's linear system (MIXERS.md, "Convolutions and structured matrices"),
// discretised by zero-order hold with dt = 1, in float64 on the host: what the lmu kernels take.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

namespace seqmix::detail {

struct LegendreSystem {
    int d = 0;
    double theta = 0;
    std::vector<double> Abar, Bbar;  // [d,d] row-major, [d]
};

// A[i][j] = (2i+1)/theta * (i < j ? -1 : (-1)^(i-j+1)), B[i] = (2i+1)/theta * (-1)^i;
// Abar = expm(A) (scaling and squaring of a Taylor series), Bbar = A^-1 (Abar - I) B.
LegendreSystem legendre_system(int d, double theta);

// The float arrays of a system for sequences of length T, computed once per (d, theta, T) and
// kept (a small process-wide cache): h [d,T] with h[i][s] = (Abar^s Bbar)[i], and, only when
// asked for (an initial state), E [T,d,d] with E[t] = Abar^(t+1).
struct LmuArrays {
    std::vector<float> h, E, Abar, Bbar;
};
std::shared_ptr<const LmuArrays> lmu_arrays(int d, double theta, int64_t T, bool with_E);

}  // namespace seqmix::detail
