// Sequence-parallel DeltaNet, Gated DeltaNet, KDA, Gated DeltaNet-2 and RWKV-7: LASP-2 with a dense
// transition (lasp2.cpp). Their transitions (diagonal + rank-one factors) do not depend on the
// values, so each mixer's own chunked kernel, run with zero values from the state I, gives the
// slice's M_r and what its queries read of the entering state.
#include "lasp2.h"

namespace seqmix::dist {
namespace {

using detail::Lasp2Call;

void run(Communicator &comm, Lasp2Call call, void *stream, const DistOptions &dist) {
    call.transition = detail::Transition::dense;
    call.stream = stream;
    detail::lasp2(comm, call, dist);
}

}  // namespace

void delta_rule(Communicator &comm, const Tensor &q, const Tensor &k, const Tensor &v, const Tensor &beta,
                const Tensor &o, const std::optional<Tensor> &initial_state, const std::optional<Tensor> &final_state,
                const DeltaRuleOptions &options, const DistOptions &dist) {
    Lasp2Call call{"seqmix::dist::delta_rule", 5, q, k, v, o, initial_state, final_state};
    call.inputs = {{"beta", &beta, 0}};
    call.from_zero = [&](const Tensor &c) { seqmix::delta_rule(q, k, v, beta, o, std::nullopt, c, options); };
    call.identity_pass = [&](const Tensor &v0, const Tensor &eye, const Tensor &p, const Tensor &m) {
        seqmix::delta_rule(q, k, v0, beta, p, eye, m, options);
    };
    run(comm, std::move(call), options.stream, dist);
}

void gated_delta_rule(Communicator &comm, const Tensor &q, const Tensor &k, const Tensor &v, const Tensor &g,
                      const Tensor &beta, const Tensor &o, const std::optional<Tensor> &initial_state,
                      const std::optional<Tensor> &final_state, const DeltaRuleOptions &options, const DistOptions &dist) {
    Lasp2Call call{"seqmix::dist::gated_delta_rule", 6, q, k, v, o, initial_state, final_state};
    call.inputs = {{"g", &g, 0}, {"beta", &beta, 0}};
    call.from_zero = [&](const Tensor &c) { seqmix::gated_delta_rule(q, k, v, g, beta, o, std::nullopt, c, options); };
    call.identity_pass = [&](const Tensor &v0, const Tensor &eye, const Tensor &p, const Tensor &m) {
        seqmix::gated_delta_rule(q, k, v0, g, beta, p, eye, m, options);
    };
    run(comm, std::move(call), options.stream, dist);
}

void kda(Communicator &comm, const Tensor &q, const Tensor &k, const Tensor &v, const Tensor &g, const Tensor &beta,
         const Tensor &o, const std::optional<Tensor> &initial_state, const std::optional<Tensor> &final_state,
         const DeltaRuleOptions &options, const DistOptions &dist) {
    Lasp2Call call{"seqmix::dist::kda", 7, q, k, v, o, initial_state, final_state};
    call.inputs = {{"g", &g, 'K'}, {"beta", &beta, 0}};
    call.from_zero = [&](const Tensor &c) { seqmix::kda(q, k, v, g, beta, o, std::nullopt, c, options); };
    call.identity_pass = [&](const Tensor &v0, const Tensor &eye, const Tensor &p, const Tensor &m) {
        seqmix::kda(q, k, v0, g, beta, p, eye, m, options);
    };
    run(comm, std::move(call), options.stream, dist);
}

void gated_delta_rule2(Communicator &comm, const Tensor &q, const Tensor &k, const Tensor &v, const Tensor &g,
                       const Tensor &b, const Tensor &w, const Tensor &o, const std::optional<Tensor> &initial_state,
                       const std::optional<Tensor> &final_state, const DeltaRuleOptions &options, const DistOptions &dist) {
    Lasp2Call call{"seqmix::dist::gated_delta_rule2", 8, q, k, v, o, initial_state, final_state};
    call.inputs = {{"g", &g, 'K'}, {"b", &b, 'K'}, {"w", &w, 'V'}};
    call.from_zero = [&](const Tensor &c) { seqmix::gated_delta_rule2(q, k, v, g, b, w, o, std::nullopt, c, options); };
    // The write gate multiplies the (zero) values: zeros of the identity pass's width serve.
    call.identity_pass = [&](const Tensor &v0, const Tensor &eye, const Tensor &p, const Tensor &m) {
        seqmix::gated_delta_rule2(q, k, v0, g, b, v0, p, eye, m, options);
    };
    run(comm, std::move(call), options.stream, dist);
}

void rwkv7(Communicator &comm, const Tensor &r, const Tensor &w, const Tensor &k, const Tensor &v, const Tensor &a,
           const Tensor &b, const Tensor &o, const std::optional<Tensor> &initial_state,
           const std::optional<Tensor> &final_state, const Rwkv7Options &options, const DistOptions &dist) {
    Lasp2Call call{"seqmix::dist::rwkv7", 9, r, k, v, o, initial_state, final_state};
    call.inputs = {{"w", &w, 'K'}, {"a", &a, 'K'}, {"b", &b, 'K'}};
    call.from_zero = [&](const Tensor &c) { seqmix::rwkv7(r, w, k, v, a, b, o, std::nullopt, c, options); };
    call.identity_pass = [&](const Tensor &v0, const Tensor &eye, const Tensor &p, const Tensor &m) {
        seqmix::rwkv7(r, w, k, v0, a, b, p, eye, m, options);
    };
    run(comm, std::move(call), options.stream, dist);
}

}  // namespace seqmix::dist
