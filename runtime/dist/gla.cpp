// Sequence-parallel GLA (LASP-2). Rank r holds tokens [t0_r, t0_r + T_r). With the recurrence
// S_t = Diag(exp(g_t)) S_{t-1} + k_t v_t^T, a slice maps the state S entering it to
// Diag(d_r) S + C_r, where C_r is the slice's final state from zero and d_r = exp(sum of its g).
// So the state entering slice r is the chain
//   S_in(0) = initial_state,  S_in(j+1) = Diag(d_j) S_in(j) + C_j,
// which needs only the (C_j, d_j) of the earlier ranks: one all-gather of B*H*K*(V+1) floats,
// whatever T. The state is linear in S, and so are the outputs: gla from S_in(r) is gla from zero
// plus gla_inter(S_in(r)). So each rank runs gla on its slice once, from zero (which also gives
// C_r), and gla_decay (d_r) before the all-gather, and only the cheap gla_inter after it.
#include "lasp2.h"

namespace seqmix::dist {

void gla(Communicator &comm, const Tensor &q, const Tensor &k, const Tensor &v, const Tensor &g, const Tensor &o,
         const std::optional<Tensor> &initial_state, const std::optional<Tensor> &final_state, const GlaOptions &options,
         const DistOptions &dist) {
    detail::Lasp2Call call{"seqmix::dist::gla", 1, q, k, v, o, initial_state, final_state};
    call.g = &g;
    call.scale = options.scale;
    call.stream = options.stream;
    call.from_zero = [&](const Tensor &zero_final) { seqmix::gla(q, k, v, g, o, std::nullopt, zero_final, options); };
    detail::lasp2(comm, call, dist);
}

}  // namespace seqmix::dist
