// LASP-2 for the linear recurrences, shared by every sequence-parallel mixer but attention
// (lasp2.cpp explains the math). A slice maps the state S entering it to M_r S + C_r, where C_r
// is its final state from zero and M_r its transition:
//   diagonal  M_r = Diag(d_r), d_r = exp(sum of the slice's log gates): GLA (a decay per key
//             channel) and linear attention, retention, simple GLA (one per head);
//   dense     M_r [K,K], the product of the slice's (diagonal + rank-one) factors: the delta-rule
//             family (DeltaNet, Gated DeltaNet, KDA, Gated DeltaNet-2) and RWKV-7.
#pragma once

#include "collective.h"

#include <functional>
#include <optional>

namespace seqmix::dist::detail {

enum class Transition { diagonal, dense };

struct Lasp2Call {
    const char *fn;  // "seqmix::dist::gla", for messages
    int64_t op;      // tells the mixers apart in the metadata exchange
    const Tensor &q, &k, &v, &o;
    const std::optional<Tensor> &initial_state, &final_state;
    Transition transition = Transition::diagonal;
    // The other per-token inputs, for the shape checks: [B,T,H] (last = 0) or [B,T,H,K|V].
    struct Input {
        const char *name;
        const Tensor *t;
        char last;  // 0, 'K' or 'V'
    };
    std::vector<Input> inputs;
    // diagonal: the log gates, [B,T,H,K] (GLA), [B,T,H] (simple GLA), or absent with
    // `head_log_decay` set (retention: log gamma_h; linear attention: zeros), made into [B,T,H,1].
    const Tensor *g = nullptr;
    int g_dims = 4;  // g's rank: 4 [B,T,H,K] or 3 [B,T,H]
    std::vector<float> head_log_decay;
    std::optional<float> scale;
    void *stream = nullptr;
    // The mixer on this rank's slice from a zero state, writing o and `final_state` [B,H,K,V].
    std::function<void(const Tensor &final_state)> from_zero;
    // dense: the mixer on the slice with zero values v0 [B,T,H,K] (and a zero write gate where the
    // mixer has one) from the initial state `identity` [B,H,K,K] (I per head), writing p
    // [B,T,H,K] (p_t = scale * M_{<=t}^T q_t: what query t reads of the entering state) and the
    // final state m = M_r [B,H,K,K].
    std::function<void(const Tensor &v0, const Tensor &identity, const Tensor &p, const Tensor &m)> identity_pass;
};

void lasp2(Communicator &comm, const Lasp2Call &call, const DistOptions &dist);

// The exchange and the chain (LASP-2's steps 3 and 4), for callers that run the slices themselves
// (dist::ssd): `send` holds this rank's C_r [B*H,K,V] then its transition (B*H*Kd decays or
// B*H*K*K), `recv` room for every rank's. Writes final_state (on every rank that passes it) and
// returns S_in(r), the state entering this rank's slice, on the host; empty when it is zero (rank
// 0 without an initial state). t_comm: clock's mark at the end of the all-gather.
struct ChainShape {
    int64_t BH, K, V;
    int64_t Kd;  // diagonal: decays per (b, h), K or 1
    Transition transition;
    int64_t per() const { return BH * K * V + (transition == Transition::dense ? BH * K * K : BH * Kd); }
};
std::vector<float> chain_prefix(Communicator &comm, const ChainShape &shape, float *send, float *recv, const Device &dev,
                                void *stream, const std::optional<Tensor> &initial_state,
                                const std::optional<Tensor> &final_state, const PhaseClock &clock, double &t_comm);

// Zero `bytes` at `ptr` on `dev` (asynchronously on `stream` for CUDA).
void fill_zero(void *ptr, size_t bytes, const Device &dev, void *stream);
// Host `data` to `dst` on `dev`; waits for a CUDA copy (`data` may be pageable and short-lived).
void upload(void *dst, const std::vector<float> &data, const Device &dev, void *stream);

}  // namespace seqmix::dist::detail
