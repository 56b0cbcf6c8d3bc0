// Sequence-parallel GLA (LASP-2). Rank r holds tokens [t0_r, t0_r + T_r). With the recurrence
// S_t = Diag(exp(g_t)) S_{t-1} + k_t v_t^T, a slice maps the state S entering it to
// Diag(d_r) S + C_r, where C_r is the slice's final state from zero and d_r = exp(sum of its g)
// (gla_state computes both). So the state entering slice r is the chain
//   S_in(0) = initial_state,  S_in(j+1) = Diag(d_j) S_in(j) + C_j,
// which needs only the (C_j, d_j) of the earlier ranks: one all-gather of B*H*K*(V+1) floats,
// whatever T. Each rank then runs gla on its slice from S_in(r).
#include "collective.h"

#include <cstring>

#include <fmt/format.h>

namespace seqmix::dist {
namespace {

constexpr const char *kFn = "seqmix::dist::gla";

void expect_shape(const char *name, const Tensor &t, const std::vector<int64_t> &shape, const Device &dev) {
    if (t.shape != shape) {
        throw Error(fmt::format("{}: {} has shape {}, expected {}", kFn, name, detail::shape_string(t.shape),
                                detail::shape_string(shape)));
    }
    if (t.dtype != DType::f32) throw Error(fmt::format("{}: {} must be float32", kFn, name));
    if (t.device.type != dev.type || t.device.index != dev.index) {
        throw Error(fmt::format("{}: {} is on another device than q", kFn, name));
    }
    if (t.strides.size() != shape.size()) throw Error(fmt::format("{}: {} has {} strides for {} dims", kFn, name, t.strides.size(), shape.size()));
}

// state = Diag(decay) state + contribution over [B,H,K,V], decay [B,H,K].
void chain_step(std::vector<float> &state, const float *contribution, const float *decay, int64_t rows, int64_t V) {
    for (int64_t row = 0; row < rows; ++row) {
        const float d = decay[row];
        float *s = state.data() + row * V;
        const float *c = contribution + row * V;
        for (int64_t x = 0; x < V; ++x) s[x] = d * s[x] + c[x];
    }
}

}  // namespace

void gla(Communicator &comm, const Tensor &q, const Tensor &k, const Tensor &v, const Tensor &g, const Tensor &o,
         const std::optional<Tensor> &initial_state, const std::optional<Tensor> &final_state, const GlaOptions &options,
         const DistOptions &dist) {
    const double t_start = detail::now();
    const Device dev = q.device;
    void *stream = options.stream;
    const bool cuda = dev.type == DeviceType::cuda;
    auto fence = [&] {
        if (dist.timings && cuda) detail::cuda::sync(stream);
        return detail::now();
    };

    // 1. Every rank's shapes: the same B, H, K, V everywhere (only T may differ), or every rank stops.
    int64_t B = 0, T = 0, H = 0, K = 0, V = 0;
    const auto meta = detail::exchange_meta(
        comm, kFn,
        [&] {
            if (q.rank() != 4) throw Error(fmt::format("{}: q has shape {}, expected [B,T,H,K]", kFn, detail::shape_string(q.shape)));
            if (v.rank() != 4) throw Error(fmt::format("{}: v has shape {}, expected [B,T,H,V]", kFn, detail::shape_string(v.shape)));
            B = q.shape[0], T = q.shape[1], H = q.shape[2], K = q.shape[3], V = v.shape[3];
            if (T < 1) throw Error(fmt::format("{}: q has T = {}: every rank needs a slice of at least one token", kFn, T));
            expect_shape("q", q, {B, T, H, K}, dev);
            expect_shape("k", k, {B, T, H, K}, dev);
            expect_shape("g", g, {B, T, H, K}, dev);
            expect_shape("v", v, {B, T, H, V}, dev);
            expect_shape("o", o, {B, T, H, V}, dev);
            if (initial_state) expect_shape("initial_state", *initial_state, {B, H, K, V}, dev);
            if (final_state) expect_shape("final_state", *final_state, {B, H, K, V}, dev);
            detail::Meta m;
            m.f = {1, B, T, H, K, V, static_cast<int64_t>(q.dtype), static_cast<int64_t>(dev.type), initial_state ? 1 : 0};
            return m;
        },
        {"the operation", "B", "", "H", "K", "V", "dtype", "device type", "whether initial_state is given"});
    (void)meta;

    const int N = comm.size(), r = comm.rank();
    const int64_t SN = B * H * K * V, DN = B * H * K, per = SN + DN;
    static thread_local detail::Scratch scratch;
    auto *send = static_cast<float *>(scratch.get(dev, sizeof(float) * per * (N + 1)));
    float *recv = send + per;
    const double t_meta = fence();

    // 2. This slice's state from zero and its decay.
    seqmix::gla_state(k, v, g, Tensor::contiguous(send, DType::f32, {B, H, K, V}, dev),
                      Tensor::contiguous(send + SN, DType::f32, {B, H, K}, dev), options);
    const double t_state = fence();

    // 3. The one all-gather.
    comm.all_gather(send, recv, sizeof(float) * per, dev, stream);
    const double t_comm = fence();

    // 4. The prefix chain, on the host (B*H*K*V floats per rank: a few hundred KB).
    std::vector<float> host_all;
    const float *all = recv;
    std::vector<float> state(SN, 0.0f);
    if (cuda) {
        host_all.resize(per * N);
        detail::cuda::copy(host_all.data(), recv, sizeof(float) * per * N, stream);
        all = host_all.data();
    }
    if (initial_state) detail::read_4d(*initial_state, state.data(), stream);
    if (cuda) detail::cuda::sync(stream);
    for (int j = 0; j < r; ++j) chain_step(state, all + j * per, all + j * per + SN, DN, V);
    // S_in(r) goes where this rank's contribution was (the gather has read it: same stream).
    float *s_in = send;
    if (cuda) {
        detail::cuda::copy(s_in, state.data(), sizeof(float) * SN, stream);
    } else {
        std::memcpy(s_in, state.data(), sizeof(float) * SN);
    }
    const bool last = r == N - 1;
    if (final_state && !last) {
        std::vector<float> fin = state;
        for (int j = r; j < N; ++j) chain_step(fin, all + j * per, all + j * per + SN, DN, V);
        detail::write_4d(fin.data(), *final_state, stream);
        if (cuda) detail::cuda::sync(stream);  // fin and state are pageable host memory
    } else if (cuda) {
        detail::cuda::sync(stream);
    }
    const double t_combine = fence();

    // 5. This slice's outputs from its true initial state.
    seqmix::gla(q, k, v, g, o, Tensor::contiguous(s_in, DType::f32, {B, H, K, V}, dev),
                last ? final_state : std::nullopt, options);
    const double t_out = fence();
    if (dist.timings) {
        *dist.timings = {t_state - t_meta, (t_meta - t_start) + (t_comm - t_state), t_combine - t_comm, t_out - t_combine,
                         t_out - t_start};
    }
}

}  // namespace seqmix::dist
