// float64 references for Mamba-2 SSD (MIXERS.md, "State-space models"), the recurrence token by
// token exactly as written there:
//   dt'  = dt + dt_bias, or softplus(dt + dt_bias) (dt_softplus)
//   h_t  = exp(dt'_t A_h) h_{t-1} + dt'_t x_t Bm_t^T      (h [P,N] per head)
//   y_t  = h_t Cm_t + Dskip_h x_t
// with head h reading group h / (H / G) of Bm, Cm; and the bidirectional (Hydra) form
//   y = shift(SS_f(x)) + flip(shift(SS_b(flip(x)))) + Dskip x.
#pragma once

#include <cstdint>
#include <vector>

namespace seqmix::ref {

struct SsdResult {
    std::vector<double> y;            // [B,T,H,P] (step: [B,H,P])
    std::vector<double> final_state;  // [B,H,P,N]
};

struct SsdShape {
    int64_t B = 1, T = 1, H = 1, P = 1, N = 1, G = 1;
};

// x [B,T,H,P], dt [B,T,H], A [H], Bm, Cm [B,T,G,N], Dskip, dt_bias [H] or empty (zeros),
// initial_state [B,H,P,N] or empty (zeros); all row-major.
SsdResult ssd_ref(const std::vector<double> &x, const std::vector<double> &dt, const std::vector<double> &A,
                  const std::vector<double> &Bm, const std::vector<double> &Cm, const std::vector<double> &Dskip,
                  const std::vector<double> &dt_bias, const std::vector<double> &initial_state, const SsdShape &s,
                  bool dt_softplus);

// Hydra: SS_f over x with (dt_f, Bm_f, Cm_f), SS_b over flip(x) with (dt_b, Bm_b, Cm_b) as given
// (indexed in the flipped order: dt_b[:, s] goes with x[:, T-1-s]), both without D and from zero
// states. Returns y [B,T,H,P].
std::vector<double> ssd_bidirectional_ref(const std::vector<double> &x, const std::vector<double> &dt_f,
                                          const std::vector<double> &Bm_f, const std::vector<double> &Cm_f,
                                          const std::vector<double> &dt_b, const std::vector<double> &Bm_b,
                                          const std::vector<double> &Cm_b, const std::vector<double> &A,
                                          const std::vector<double> &Dskip, const std::vector<double> &dt_bias,
                                          const SsdShape &s, bool dt_softplus);

}  // namespace seqmix::ref
