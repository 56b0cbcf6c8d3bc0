// float64 reference for dense token mixing, MIXERS.md "Convolutions and structured matrices":
// the naive sum, W's upper triangle ignored when causal.
#include "reference/token_mix.h"

#include <cassert>
#include <cstddef>

namespace seqmix::ref {

std::vector<double> token_mix_ref(const std::vector<double> &x, const std::vector<double> &W,
                                  const std::vector<double> &bias, int64_t B, int64_t T, int64_t C, bool causal) {
    assert(int64_t(x.size()) == B * T * C && int64_t(W.size()) == T * T);
    std::vector<double> y(x.size(), 0.0);
    for (int64_t b = 0; b < B; b++)
        for (int64_t t = 0; t < T; t++)
            for (int64_t c = 0; c < C; c++) {
                double acc = bias.empty() ? 0.0 : bias[size_t(t)];
                const int64_t last = causal ? t : T - 1;
                for (int64_t s = 0; s <= last; s++) acc += W[size_t(t * T + s)] * x[size_t((b * T + s) * C + c)];
                y[size_t((b * T + t) * C + c)] = acc;
            }
    return y;
}

}  // namespace seqmix::ref
