// Sequence-parallel linear attention, retention and simple GLA: LASP-2 (lasp2.cpp) with one
// decay per (token, head): simple GLA's g [B,T,H], retention's log gamma_h, linear attention's 0.
#include "lasp2.h"

#include <cmath>

namespace seqmix::dist {
namespace {


void run(Communicator &comm, const char *fn, int64_t op, const Tensor &q, const Tensor &k, const Tensor &v,
         const Tensor *g, std::vector<float> head_log_decay, const Tensor &o, const std::optional<Tensor> &initial_state,
         const std::optional<Tensor> &final_state, const RecurrenceOptions &options, const DistOptions &dist,
         const std::function<void(const Tensor &)> &from_zero) {
    detail::Lasp2Call call{fn, op, q, k, v, o, initial_state, final_state};
    call.g = g;
    call.g_dims = 3;
    call.head_log_decay = std::move(head_log_decay);
    call.scale = options.scale;
    call.stream = options.stream;
    call.from_zero = from_zero;
    detail::lasp2(comm, call, dist);
}

}  // namespace

void linear_attn(Communicator &comm, const Tensor &q, const Tensor &k, const Tensor &v, const Tensor &o,
                 const std::optional<Tensor> &initial_state, const std::optional<Tensor> &final_state,
                 const RecurrenceOptions &options, const DistOptions &dist) {
    const int64_t H = q.rank() == 4 ? q.shape[2] : 0;
    run(comm, "seqmix::dist::linear_attn", 2, q, k, v, nullptr, std::vector<float>(H, 0.0f), o, initial_state,
        final_state, options, dist,
        [&](const Tensor &zero_final) { seqmix::linear_attn(q, k, v, o, std::nullopt, zero_final, options); });
}

void retention(Communicator &comm, const Tensor &q, const Tensor &k, const Tensor &v, const Tensor &o,
               const std::optional<Tensor> &initial_state, const std::optional<Tensor> &final_state,
               const RecurrenceOptions &options, const DistOptions &dist) {
    const int64_t H = q.rank() == 4 ? q.shape[2] : 0;
    std::vector<float> log_gamma(H);
    // gamma_h = 1 - 2^(-5-h), as the retention kernel (MIXERS.md).
    for (int64_t h = 0; h < H; ++h) log_gamma[h] = static_cast<float>(std::log1p(-std::exp2(-5.0 - double(h))));
    run(comm, "seqmix::dist::retention", 3, q, k, v, nullptr, std::move(log_gamma), o, initial_state, final_state,
        options, dist, [&](const Tensor &zero_final) { seqmix::retention(q, k, v, o, std::nullopt, zero_final, options); });
}

void simple_gla(Communicator &comm, const Tensor &q, const Tensor &k, const Tensor &v, const Tensor &g, const Tensor &o,
                const std::optional<Tensor> &initial_state, const std::optional<Tensor> &final_state,
                const RecurrenceOptions &options, const DistOptions &dist) {
    run(comm, "seqmix::dist::simple_gla", 4, q, k, v, &g, {}, o, initial_state, final_state, options, dist,
        [&](const Tensor &zero_final) { seqmix::simple_gla(q, k, v, g, o, std::nullopt, zero_final, options); });
}

}  // namespace seqmix::dist
