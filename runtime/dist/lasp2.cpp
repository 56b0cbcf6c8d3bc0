// LASP-2 (runtime/dist/lasp2.h). Rank r holds tokens [t0_r, t0_r + T_r). The recurrences here
// are linear in the state with a transition that does not depend on the values, so a slice maps
// the state S entering it to M_r S + C_r (C_r: its final state from zero). The state entering
// slice r is the chain
//   S_in(0) = initial_state,  S_in(j+1) = M_j S_in(j) + C_j,
// which needs only the (C_j, M_j) of the earlier ranks: one all-gather, whatever T. The outputs are
// linear in S_in too: o(S_in) = o(0) + what S_in adds. So each rank runs its mixer on the slice
// once, from zero (which also gives C_r), and its transition before the all-gather, and after it
// only a [T_r,K] x [K,V] product per head:
//   diagonal  M_r = Diag(d_r): gla_decay gives d_r; S_in adds (q_t * exp(sum_{s<=t} g_s))^T S_in
//             (gla_inter with the slice's gates).
//   dense     M_r = product of the slice's factors. Each column of the state evolves on its own,
//             so the mixer run with zero values from the state I gives M_r as its final state, and
//             as its outputs p_t = scale * M_{<=t}^T q_t: S_in adds p_t^T S_in (gla_inter with zero
//             gates and scale 1). This pass costs a second run of the slice (V = K), only on the
//             ranks whose entering state is not zero.
#include "lasp2.h"

#include <cstring>

#include <fmt/format.h>

namespace seqmix::dist::detail {
namespace {

// state = M state + contribution over [B*H, K, V], M = Diag(decay) (decay [B*H, Kd], Kd = K or 1:
// one decay per head) or dense [B*H, K, K].
void chain_step(std::vector<float> &state, const float *contribution, const float *transition, const ChainShape &s) {
    const int64_t K = s.K, V = s.V;
    if (s.transition == Transition::diagonal) {
        for (int64_t bh = 0; bh < s.BH; ++bh) {
            for (int64_t x = 0; x < K; ++x) {
                const float d = transition[bh * s.Kd + (s.Kd == 1 ? 0 : x)];
                const int64_t row = (bh * K + x) * V;
                for (int64_t y = 0; y < V; ++y) state[row + y] = d * state[row + y] + contribution[row + y];
            }
        }
        return;
    }
    std::vector<float> next(K * V);
    for (int64_t bh = 0; bh < s.BH; ++bh) {
        const float *M = transition + bh * K * K, *C = contribution + bh * K * V;
        float *S = state.data() + bh * K * V;
        for (int64_t x = 0; x < K; ++x) {
            float *row = next.data() + x * V;
            std::memcpy(row, C + x * V, sizeof(float) * V);
            for (int64_t z = 0; z < K; ++z) {
                const float m = M[x * K + z];
                for (int64_t y = 0; y < V; ++y) row[y] += m * S[z * V + y];
            }
        }
        std::memcpy(S, next.data(), sizeof(float) * K * V);
    }
}

// The chain over ranks [from, to) starting at `state`; `zero` = the state is all zeros (then a
// rank's transition is not read: rank 0 without an initial state does not compute its M).
void chain(std::vector<float> &state, bool &zero, const float *all, int from, int to, const ChainShape &s) {
    const int64_t SN = s.BH * s.K * s.V;
    for (int j = from; j < to; ++j) {
        const float *C = all + j * s.per();
        if (zero) {
            std::memcpy(state.data(), C, sizeof(float) * SN);
        } else {
            chain_step(state, C, C + SN, s);
        }
        zero = false;
    }
}

}  // namespace

void expect_shape(const char *fn, const char *name, const Tensor &t, const std::vector<int64_t> &shape, const Device &dev,
                  const char *ref) {
    if (t.shape != shape) {
        throw Error(fmt::format("{}: {} has shape {}, expected {}", fn, name, shape_string(t.shape), shape_string(shape)));
    }
    if (t.dtype != DType::f32) throw Error(fmt::format("{}: {} must be float32", fn, name));
    if (t.device.type != dev.type || t.device.index != dev.index) {
        throw Error(fmt::format("{}: {} is on another device than {}", fn, name, ref));
    }
    if (t.strides.size() != shape.size()) {
        throw Error(fmt::format("{}: {} has {} strides for {} dims", fn, name, t.strides.size(), shape.size()));
    }
}

void fill_zero(void *ptr, size_t bytes, const Device &dev, void *stream) {
    if (dev.type == DeviceType::cuda) {
        cuda::memset_zero(ptr, bytes, stream);
    } else {
        std::memset(ptr, 0, bytes);
    }
}

void upload(void *dst, const std::vector<float> &data, const Device &dev, void *stream) {
    if (dev.type == DeviceType::cuda) {
        cuda::copy(dst, data.data(), sizeof(float) * data.size(), stream);
        cuda::sync(stream);
    } else {
        std::memcpy(dst, data.data(), sizeof(float) * data.size());
    }
}

std::vector<float> chain_prefix(Communicator &comm, const ChainShape &s, float *send, float *recv, const Device &dev,
                                void *stream, const std::optional<Tensor> &initial_state,
                                const std::optional<Tensor> &final_state, const PhaseClock &clock, double &t_comm) {
    const bool cuda = dev.type == DeviceType::cuda;
    const int N = comm.size(), r = comm.rank();
    const int64_t per = s.per();
    comm.all_gather(send, recv, sizeof(float) * per, dev, stream);
    t_comm = clock.mark();
    // On the host: B*H*K*V floats per rank, a few hundred KB.
    std::vector<float> host_all;
    const float *all = recv;
    if (cuda) {
        host_all.resize(per * N);
        cuda::copy(host_all.data(), recv, sizeof(float) * per * N, stream);
        all = host_all.data();
    }
    std::vector<float> state(s.BH * s.K * s.V, 0.0f);
    bool zero = !initial_state;
    if (initial_state) read_4d(*initial_state, state.data(), stream);
    if (cuda) cuda::sync(stream);
    chain(state, zero, all, 0, r, s);
    if (final_state) {
        std::vector<float> fin = state;
        bool fin_zero = zero;
        chain(fin, fin_zero, all, r, N, s);
        write_4d(fin.data(), *final_state, stream);
        if (cuda) cuda::sync(stream);  // fin is pageable host memory
    }
    if (zero) state.clear();
    return state;
}

void lasp2(Communicator &comm, const Lasp2Call &call, const DistOptions &dist) {
    const char *fn = call.fn;
    const Tensor &q = call.q, &k = call.k, &v = call.v, &o = call.o;
    const std::optional<Tensor> &initial_state = call.initial_state, &final_state = call.final_state;
    const bool dense = call.transition == Transition::dense;
    const Device dev = q.device;
    void *stream = call.stream;
    const PhaseClock clock(dist, dev, stream);

    // 1. Every rank's shapes: the same B, H, K, V everywhere (only T may differ), or every rank stops.
    int64_t B = 0, T = 0, H = 0, K = 0, V = 0;
    exchange_meta(
        comm, fn,
        [&] {
            if (q.rank() != 4) throw Error(fmt::format("{}: q has shape {}, expected [B,T,H,K]", fn, shape_string(q.shape)));
            if (v.rank() != 4) throw Error(fmt::format("{}: v has shape {}, expected [B,T,H,V]", fn, shape_string(v.shape)));
            B = q.shape[0], T = q.shape[1], H = q.shape[2], K = q.shape[3], V = v.shape[3];
            if (T < 1) throw Error(fmt::format("{}: q has T = {}: every rank needs a slice of at least one token", fn, T));
            expect_shape(fn, "q", q, {B, T, H, K}, dev);
            expect_shape(fn, "k", k, {B, T, H, K}, dev);
            if (call.g) {
                expect_shape(fn, "g", *call.g, call.g_dims == 3 ? std::vector<int64_t>{B, T, H} : std::vector<int64_t>{B, T, H, K},
                             dev);
            }
            for (const auto &in : call.inputs) {
                std::vector<int64_t> shape{B, T, H};
                if (in.last) shape.push_back(in.last == 'K' ? K : V);
                expect_shape(fn, in.name, *in.t, shape, dev);
            }
            expect_shape(fn, "v", v, {B, T, H, V}, dev);
            expect_shape(fn, "o", o, {B, T, H, V}, dev);
            if (initial_state) expect_shape(fn, "initial_state", *initial_state, {B, H, K, V}, dev);
            if (final_state) expect_shape(fn, "final_state", *final_state, {B, H, K, V}, dev);
            Meta m;
            m.f = {call.op, B, T, H, K, V, static_cast<int64_t>(q.dtype), static_cast<int64_t>(dev.type), initial_state ? 1 : 0};
            return m;
        },
        {"the operation", "B", "", "H", "K", "V", "dtype", "device type", "whether initial_state is given"});

    const int N = comm.size(), r = comm.rank();
    const bool has_prefix = r > 0 || initial_state.has_value();
    const ChainShape shape{B * H, K, V, call.g && call.g_dims == 4 ? K : 1, call.transition};
    const int64_t SN = B * H * K * V;
    static thread_local Scratch scratch, gate_scratch, pass_scratch;
    auto *send = static_cast<float *>(scratch.get(dev, sizeof(float) * shape.per() * (N + 1)));
    float *recv = send + shape.per();
    GlaOptions gopt;
    gopt.scale = call.scale;
    gopt.stream = stream;
    // The log gates gla_inter applies to the queries: [B,T,H,K] or [B,T,H,1]; for the dense
    // transition, zeros and the queries are p.
    Tensor gate, inter_q = q;
    float *v0 = nullptr, *identity = nullptr;
    if (dense) {
        // Only the ranks with an entering state run the identity pass and gla_inter: v0 (zeros;
        // its first B*T*H floats are also the zero gate), identity, p.
        if (has_prefix) {
            const int64_t TN = B * T * H * K, IN = B * H * K * K;
            v0 = static_cast<float *>(pass_scratch.get(dev, sizeof(float) * (2 * TN + IN)));
            identity = v0 + TN;
            gate = Tensor::contiguous(v0, DType::f32, {B, T, H, 1}, dev);
            inter_q = Tensor::contiguous(identity + IN, DType::f32, {B, T, H, K}, dev);
            gopt.scale = 1.0f;
            fill_zero(v0, sizeof(float) * TN, dev, stream);
            std::vector<float> eye(IN, 0.0f);
            for (int64_t bh = 0; bh < B * H; ++bh) {
                for (int64_t x = 0; x < K; ++x) eye[(bh * K + x) * K + x] = 1.0f;
            }
            upload(identity, eye, dev, stream);
        }
    } else if (call.g && call.g_dims == 4) {
        gate = *call.g;
    } else if (call.g) {
        std::vector<int64_t> st = call.g->strides;
        st.push_back(1);
        gate = Tensor(call.g->data, DType::f32, {B, T, H, 1}, st, dev);
    } else {
        std::vector<float> host(B * T * H);
        for (int64_t bt = 0; bt < B * T; ++bt) {
            for (int64_t h = 0; h < H; ++h) host[bt * H + h] = call.head_log_decay.at(h);
        }
        void *dst = gate_scratch.get(dev, sizeof(float) * host.size());
        upload(dst, host, dev, stream);
        gate = Tensor::contiguous(dst, DType::f32, {B, T, H, 1}, dev);
    }
    const double t_meta = clock.mark();
    // 2. The slice once, from a zero state: its outputs so far, its state contribution C_r (into
    //    the send buffer) and its transition M_r.
    call.from_zero(Tensor::contiguous(send, DType::f32, {B, H, K, V}, dev));
    if (!dense) {
        seqmix::gla_decay(gate, Tensor::contiguous(send + SN, DType::f32, {B, H, shape.Kd}, dev), gopt);
    } else if (has_prefix) {
        call.identity_pass(Tensor::contiguous(v0, DType::f32, {B, T, H, K}, dev),
                           Tensor::contiguous(identity, DType::f32, {B, H, K, K}, dev), inter_q,
                           Tensor::contiguous(send + SN, DType::f32, {B, H, K, K}, dev));
    }
    const double t_state = clock.mark();
    // 3-4. The one all-gather and the prefix chain: S_in(r), and the state after the sequence.
    double t_comm = 0;
    const std::vector<float> s_in = chain_prefix(comm, shape, send, recv, dev, stream, initial_state, final_state, clock, t_comm);
    // S_in(r) goes where this rank's contribution was (the gather has read it: same stream).
    if (!s_in.empty()) upload(send, s_in, dev, stream);
    const double t_combine = clock.mark();
    // 5. What S_in(r) adds to the slice's outputs (nothing on rank 0 without an initial state).
    if (!s_in.empty()) seqmix::gla_inter(inter_q, gate, Tensor::contiguous(send, DType::f32, {B, H, K, V}, dev), o, gopt);
    const double t_out = clock.mark();
    clock.report(t_meta, t_state, t_comm, t_combine, t_out);
}

}  // namespace seqmix::dist::detail
