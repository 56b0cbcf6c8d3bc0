// float64 reference for the Mamba (S6) selective scan (MIXERS.md, "State-space models"), the
// recurrence token by token, channel-major as mamba_ssm:
//   dt_t = softplus(delta_t + delta_bias) (or delta_t + delta_bias),
//   h_t = exp(dt_t A) * h_{t-1} + dt_t Bm_t x_t,   y_t = Cm_t . h_t + Dskip x_t,   y *= silu(z).
#pragma once

#include <cstdint>
#include <vector>

namespace seqmix::ref {

struct ScanResult {
    std::vector<double> y;            // [B,D,T]  (step: [B,D])
    std::vector<double> final_state;  // [B,D,N]
};

// x, delta [B,D,T]; A [D,N]; Bm, Cm [D,N] when *_groups == 0 (time-invariant), else [B,G,N,T]
// with G = *_groups; Dskip, delta_bias [D] or empty (zeros); z [B,D,T] or empty (no gating);
// initial_state [B,D,N] or empty (zeros).
struct ScanInputs {
    std::vector<double> x, delta, A, Bm, Cm, Dskip, z, delta_bias, initial_state;
    int64_t B = 1, D = 1, T = 1, N = 1, groups_B = 0, groups_C = 0;
    bool delta_softplus = false;
};
ScanResult selective_scan_ref(const ScanInputs &in);

}  // namespace seqmix::ref
