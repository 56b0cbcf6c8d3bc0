// float64 reference for the causal depthwise conv1d (MIXERS.md, "State-space models"):
//   y[b,t,d] = act(bias[d] + sum_{j<W} weight[d,j] * x[b, t-(W-1)+j, d]),
// x before position 0 taken from conv_state [B,D,W-1] (zeros if empty); final_state = the last
// W-1 inputs of the sequence the state and x form together.
#pragma once

#include <cstdint>
#include <vector>

namespace seqmix::ref {

struct ConvResult {
    std::vector<double> y;            // [B,T,D]  (step: [B,D])
    std::vector<double> final_state;  // [B,D,W-1]
};

// x [B,T,D], weight [D,W], bias [D] or empty, conv_state [B,D,W-1] or empty (zeros).
ConvResult causal_conv1d_ref(const std::vector<double> &x, const std::vector<double> &weight,
                             const std::vector<double> &bias, const std::vector<double> &conv_state, int64_t B,
                             int64_t T, int64_t D, int64_t W, bool silu);

// One token: x [B,D], state [B,D,W-1] -> y [B,D], final_state = the shifted state.
ConvResult causal_conv1d_step_ref(const std::vector<double> &x, const std::vector<double> &weight,
                                  const std::vector<double> &bias, const std::vector<double> &state, int64_t B,
                                  int64_t D, int64_t W, bool silu);

}  // namespace seqmix::ref
