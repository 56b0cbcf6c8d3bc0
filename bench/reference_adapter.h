// seqmix-bench: the float64 references the rows are checked against, as the bench calls them.
// They come from the tests' reference library (target seqmix_reference, tests/reference/): this
// header only fixes the shape of the call sites, so that a change there is one edit in
// reference_adapter.cpp. Inputs are float64 copies of exactly the float32 data the kernels saw.
#pragma once

#include <vector>

#include "counts.h"

namespace seqmix::bench::reference {

// q [B,T,H,K], k [B,S,Hkv,K], v [B,S,Hkv,V] -> o [B,T,H,V]; causal is bottom-right aligned.
std::vector<double> attention(const std::vector<double> &q, const std::vector<double> &k,
                              const std::vector<double> &v, const Shape &s, double scale, bool causal);

// q, k, g [B,T,H,K], v [B,T,H,V], initial_state [B,H,K,V] or empty (zeros) -> o [B,T,H,V].
std::vector<double> gla(const std::vector<double> &q, const std::vector<double> &k, const std::vector<double> &v,
                        const std::vector<double> &g, const std::vector<double> &initial_state, const Shape &s,
                        double scale);

// One step: q, k, g [B,H,K], v [B,H,V], state [B,H,K,V] -> o [B,H,V] and new_state [B,H,K,V].
struct StepResult {
    std::vector<double> o, new_state;
};
StepResult gla_step(const std::vector<double> &q, const std::vector<double> &k, const std::vector<double> &v,
                    const std::vector<double> &g, const std::vector<double> &state, const Shape &s, double scale);

}  // namespace seqmix::bench::reference
