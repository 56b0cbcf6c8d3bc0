// LASP-2 (runtime/dist/lasp2.h). Rank r holds tokens [t0_r, t0_r + T_r). With the recurrence
// S_t = Diag(exp(g_t)) S_{t-1} + k_t v_t^T (for the scalar-decay family one g_t per head,
// broadcast over K, and d_r per head), a slice maps the state S entering it to
// Diag(d_r) S + C_r, where C_r is the slice's final state from zero and d_r = exp(sum of its g).
// So the state entering slice r is the chain
//   S_in(0) = initial_state,  S_in(j+1) = Diag(d_j) S_in(j) + C_j,
// which needs only the (C_j, d_j) of the earlier ranks: one all-gather of B*H*K*(V+1) floats,
// whatever T. The state is linear in S, and so are the outputs: gla from S_in(r) is gla from zero
// plus gla_inter(S_in(r)). So each rank runs gla on its slice once, from zero (which also gives
// C_r), and gla_decay (d_r) before the all-gather, and only the cheap gla_inter after it.
#include "lasp2.h"

#include <cstring>

#include <fmt/format.h>

namespace seqmix::dist::detail {
namespace {

void expect_shape(const char *fn, const char *name, const Tensor &t, const std::vector<int64_t> &shape, const Device &dev) {
    if (t.shape != shape) {
        throw Error(fmt::format("{}: {} has shape {}, expected {}", fn, name, shape_string(t.shape), shape_string(shape)));
    }
    if (t.dtype != DType::f32) throw Error(fmt::format("{}: {} must be float32", fn, name));
    if (t.device.type != dev.type || t.device.index != dev.index) {
        throw Error(fmt::format("{}: {} is on another device than q", fn, name));
    }
    if (t.strides.size() != shape.size()) {
        throw Error(fmt::format("{}: {} has {} strides for {} dims", fn, name, t.strides.size(), shape.size()));
    }
}

// state = Diag(decay) state + contribution over [B*H, K, V]; decay [B*H, Kg], Kg = K or 1 (one
// decay per head, broadcast over K).
void chain_step(std::vector<float> &state, const float *contribution, const float *decay, int64_t BH, int64_t K,
                int64_t Kg, int64_t V) {
    for (int64_t bh = 0; bh < BH; ++bh) {
        for (int64_t x = 0; x < K; ++x) {
            const float d = decay[bh * Kg + (Kg == 1 ? 0 : x)];
            const int64_t row = (bh * K + x) * V;
            for (int64_t y = 0; y < V; ++y) state[row + y] = d * state[row + y] + contribution[row + y];
        }
    }
}

}  // namespace

void lasp2(Communicator &comm, const Lasp2Call &call, const DistOptions &dist) {
    const char *fn = call.fn;
    const Tensor &q = call.q, &k = call.k, &v = call.v, &o = call.o;
    const std::optional<Tensor> &initial_state = call.initial_state, &final_state = call.final_state;
    const double t_start = now();
    const Device dev = q.device;
    void *stream = call.stream;
    const bool cuda = dev.type == DeviceType::cuda;
    auto fence = [&] {
        if (dist.timings && cuda) cuda::sync(stream);
        return now();
    };

    // 1. Every rank's shapes: the same B, H, K, V everywhere (only T may differ), or every rank stops.
    int64_t B = 0, T = 0, H = 0, K = 0, V = 0;
    const auto meta = exchange_meta(
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
            expect_shape(fn, "v", v, {B, T, H, V}, dev);
            expect_shape(fn, "o", o, {B, T, H, V}, dev);
            if (initial_state) expect_shape(fn, "initial_state", *initial_state, {B, H, K, V}, dev);
            if (final_state) expect_shape(fn, "final_state", *final_state, {B, H, K, V}, dev);
            Meta m;
            m.f = {call.op, B, T, H, K, V, static_cast<int64_t>(q.dtype), static_cast<int64_t>(dev.type), initial_state ? 1 : 0};
            return m;
        },
        {"the operation", "B", "", "H", "K", "V", "dtype", "device type", "whether initial_state is given"});
    (void)meta;

    const int N = comm.size(), r = comm.rank();
    const int64_t Kd = call.g && call.g_dims == 4 ? K : 1;  // decays per (b, h): K for GLA, 1 per head
    const int64_t SN = B * H * K * V, DN = B * H * Kd, per = SN + DN;
    static thread_local Scratch scratch, gate_scratch;
    auto *send = static_cast<float *>(scratch.get(dev, sizeof(float) * per * (N + 1)));
    float *recv = send + per;
    // The log gates as gla_decay and gla_inter take them: [B,T,H,K] or [B,T,H,1].
    Tensor gate;
    if (call.g && call.g_dims == 4) {
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
        if (cuda) {
            cuda::copy(dst, host.data(), sizeof(float) * host.size(), stream);
            cuda::sync(stream);  // host is pageable and about to go
        } else {
            std::memcpy(dst, host.data(), sizeof(float) * host.size());
        }
        gate = Tensor::contiguous(dst, DType::f32, {B, T, H, 1}, dev);
    }
    GlaOptions gopt;
    gopt.scale = call.scale;
    gopt.stream = stream;
    const double t_meta = fence();
    // 2. The slice once, from a zero state: its outputs so far, its state contribution C_r (into
    //    the send buffer) and its decay d_r.
    call.from_zero(Tensor::contiguous(send, DType::f32, {B, H, K, V}, dev));
    seqmix::gla_decay(gate, Tensor::contiguous(send + SN, DType::f32, {B, H, Kd}, dev), gopt);
    const double t_state = fence();
    // 3. The one all-gather.
    comm.all_gather(send, recv, sizeof(float) * per, dev, stream);
    const double t_comm = fence();
    // 4. The prefix chain, on the host (B*H*K*V floats per rank: a few hundred KB): S_in(r), and
    //    the state after the whole sequence.
    std::vector<float> host_all;
    const float *all = recv;
    std::vector<float> state(SN, 0.0f);
    if (cuda) {
        host_all.resize(per * N);
        cuda::copy(host_all.data(), recv, sizeof(float) * per * N, stream);
        all = host_all.data();
    }
    if (initial_state) read_4d(*initial_state, state.data(), stream);
    if (cuda) cuda::sync(stream);
    for (int j = 0; j < r; ++j) chain_step(state, all + j * per, all + j * per + SN, B * H, K, Kd, V);
    // S_in(r) goes where this rank's contribution was (the gather has read it: same stream).
    const bool has_prefix = r > 0 || initial_state.has_value();
    float *s_in = send;
    if (has_prefix) {
        if (cuda) {
            cuda::copy(s_in, state.data(), sizeof(float) * SN, stream);
        } else {
            std::memcpy(s_in, state.data(), sizeof(float) * SN);
        }
    }
    if (final_state) {
        std::vector<float> fin = state;
        for (int j = r; j < N; ++j) chain_step(fin, all + j * per, all + j * per + SN, B * H, K, Kd, V);
        write_4d(fin.data(), *final_state, stream);
        if (cuda) cuda::sync(stream);  // fin and state are pageable host memory
    } else if (cuda) {
        cuda::sync(stream);
    }
    const double t_combine = fence();
    // 5. What S_in(r) adds to the slice's outputs (nothing on rank 0 without an initial state).
    if (has_prefix) seqmix::gla_inter(q, gate, Tensor::contiguous(s_in, DType::f32, {B, H, K, V}, dev), o, gopt);
    const double t_out = fence();
    if (dist.timings) {
        *dist.timings = {t_state - t_meta, (t_meta - t_start) + (t_comm - t_state), t_combine - t_comm, t_out - t_combine,
                         t_out - t_start};
    }
}

}  // namespace seqmix::dist::detail
