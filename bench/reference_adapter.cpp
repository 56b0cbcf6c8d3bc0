// seqmix-bench: the float64 references (reference_adapter.h), from the tests' reference library
// (tests/reference/, target seqmix_reference).
#include "reference_adapter.h"

#include "reference/attention.h"
#include "reference/gla.h"

namespace seqmix::bench::reference {

std::vector<double> attention(const std::vector<double> &q, const std::vector<double> &k,
                              const std::vector<double> &v, const Shape &s, double scale, bool causal) {
    return seqmix::ref::attention_ref(q, k, v, s.B, s.T, s.S, s.H, s.Hkv, s.K, s.V, scale, causal, 0).o;
}

std::vector<double> gla(const std::vector<double> &q, const std::vector<double> &k, const std::vector<double> &v,
                        const std::vector<double> &g, const std::vector<double> &initial_state, const Shape &s,
                        double scale) {
    return seqmix::ref::gla_ref(q, k, v, g, initial_state, s.B, s.T, s.H, s.K, s.V, scale).o;
}

StepResult gla_step(const std::vector<double> &q, const std::vector<double> &k, const std::vector<double> &v,
                    const std::vector<double> &g, const std::vector<double> &state, const Shape &s, double scale) {
    auto r = seqmix::ref::gla_step_ref(q, k, v, g, state, s.B, s.H, s.K, s.V, scale);
    return {std::move(r.o), std::move(r.final_state)};
}

}  // namespace seqmix::bench::reference
