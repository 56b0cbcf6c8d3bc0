// LASP-2 for the linear recurrences with a diagonal decay, S_t = Diag(a_t) S_{t-1} + k_t v_t^T
// (GLA: a_t = exp(g_t) per key channel; the scalar-decay family: one a_t per head), shared by
// dist::gla and dist::linear_attn / retention / simple_gla (lasp2.cpp explains the math).
#pragma once

#include "collective.h"

#include <functional>
#include <optional>

namespace seqmix::dist::detail {

struct Lasp2Call {
    const char *fn;  // "seqmix::dist::gla", for messages
    int64_t op;      // tells the mixers apart in the metadata exchange
    const Tensor &q, &k, &v, &o;
    const std::optional<Tensor> &initial_state, &final_state;
    // The log gates: [B,T,H,K] (GLA), [B,T,H] (simple GLA), or absent with `head_log_decay`
    // set (retention: log gamma_h; linear attention: zeros), made into [B,T,H,1] here.
    const Tensor *g = nullptr;
    int g_dims = 4;  // g's rank: 4 [B,T,H,K] or 3 [B,T,H]
    std::vector<float> head_log_decay;
    std::optional<float> scale;
    void *stream = nullptr;
    // The mixer on this rank's slice from a zero state, writing o and `final_state` [B,H,K,V].
    std::function<void(const Tensor &final_state)> from_zero;
};

void lasp2(Communicator &comm, const Lasp2Call &call, const DistOptions &dist);

}  // namespace seqmix::dist::detail
