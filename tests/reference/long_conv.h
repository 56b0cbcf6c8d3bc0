// float64 references for MIXERS.md, "Convolutions and structured matrices": the long causal
// convolution as its direct O(T L) sum, and the LMU memory as its recurrence with (Abar, Bbar)
// from the Legendre system discretised by zero-order hold.
#pragma once

#include <cstdint>
#include <vector>

namespace seqmix::ref {

// u [B,D,T], kf [D,L], Dskip [D] or empty, gate [B,D,T] or empty -> y [B,D,T]:
//   y[b,d,t] = (sum_{s<=min(t,L-1)} kf[d,s] u[b,d,t-s] + Dskip[d] u[b,d,t]) * gate[b,d,t]
std::vector<double> long_conv_ref(const std::vector<double> &u, const std::vector<double> &kf,
                                  const std::vector<double> &Dskip, const std::vector<double> &gate, int64_t B,
                                  int64_t D, int64_t T, int64_t L);

struct LmuSystem {
    std::vector<double> Abar, Bbar;  // [d,d] row-major, [d]
};
// expm of the augmented matrix [[A, B], [0, 0]] (its top rows are [Abar, Bbar] under zero-order
// hold), integrated with classical Runge-Kutta over [0, 1]: a different route from the
// runtime's (Taylor series, then A^-1 (Abar - I) B).
LmuSystem lmu_system_ref(int d, double theta);

struct LmuResult {
    std::vector<double> m;            // [B,T,C,d]
    std::vector<double> final_state;  // [B,C,d]
};
// u [B,T,C], initial_state [B,C,d] or empty: m_t = Abar m_{t-1} + Bbar u_t, literally.
LmuResult lmu_ref(const std::vector<double> &u, const std::vector<double> &initial_state, int64_t B, int64_t T,
                  int64_t C, int d, double theta);

}  // namespace seqmix::ref
