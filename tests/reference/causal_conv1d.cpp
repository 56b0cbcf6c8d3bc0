// float64 reference for the causal depthwise conv1d, MIXERS.md "State-space models".
#include "reference/causal_conv1d.h"

#include <cassert>
#include <cmath>

namespace seqmix::ref {

ConvResult causal_conv1d_ref(const std::vector<double> &x, const std::vector<double> &weight,
                             const std::vector<double> &bias, const std::vector<double> &conv_state, int64_t B,
                             int64_t T, int64_t D, int64_t W, bool silu) {
    assert(static_cast<int64_t>(x.size()) == B * T * D && static_cast<int64_t>(weight.size()) == D * W);
    ConvResult r;
    r.y.assign(B * T * D, 0.0);
    r.final_state.assign(B * D * (W - 1), 0.0);
    for (int64_t b = 0; b < B; b++) {
        for (int64_t d = 0; d < D; d++) {
            // x at position s of sequence b, channel d, positions before 0 from conv_state.
            auto xs = [&](int64_t s) -> double {
                if (s >= 0) return x[(b * T + s) * D + d];
                if (conv_state.empty()) return 0.0;
                return conv_state[(b * D + d) * (W - 1) + (W - 1) + s];
            };
            for (int64_t t = 0; t < T; t++) {
                double acc = bias.empty() ? 0.0 : bias[d];
                for (int64_t j = 0; j < W; j++) acc += weight[d * W + j] * xs(t - (W - 1) + j);
                r.y[(b * T + t) * D + d] = silu ? acc / (1.0 + std::exp(-acc)) : acc;
            }
            for (int64_t j = 0; j < W - 1; j++) r.final_state[(b * D + d) * (W - 1) + j] = xs(T - (W - 1) + j);
        }
    }
    return r;
}

ConvResult causal_conv1d_step_ref(const std::vector<double> &x, const std::vector<double> &weight,
                                  const std::vector<double> &bias, const std::vector<double> &state, int64_t B,
                                  int64_t D, int64_t W, bool silu) {
    // One token is the sequence form with T = 1: [B,D] is [B,1,D] with the same element order.
    return causal_conv1d_ref(x, weight, bias, state, B, 1, D, W, silu);
}

}  // namespace seqmix::ref
