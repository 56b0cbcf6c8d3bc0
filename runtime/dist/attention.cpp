// Sequence-parallel softmax attention (LASP-2H style): one all-gather of every rank's K/V slice,
// then each rank runs the attention kernel on its own queries against the keys it may see. With
// slices in rank order, rank r's queries sit at global positions [t0, t0 + T_r); under a causal
// mask they see keys [0, t0 + T_r), and the kernel's bottom-right alignment (key s allowed for
// query t when s <= t + (S - T)) over that prefix, S = t0 + T_r, is exactly s <= t0 + t: the global
// causal mask (a window W, s > t0 + t - W, is global too). Non-causal: every gathered key.
// Memory: each rank holds the whole K/V sequence (plus the padded gather buffer).
#include "collective.h"

#include <algorithm>
#include <cstring>

#include <fmt/format.h>

namespace seqmix::dist {
namespace {

constexpr const char *kFn = "seqmix::dist::attention";

void copy_rows(const Device &dev, void *dst, size_t dpitch, const void *src, size_t spitch, size_t width, size_t height,
               void *stream) {
    if (dev.type == DeviceType::cuda) {
        detail::cuda::copy_2d(dst, dpitch, src, spitch, width, height, stream);
        return;
    }
    for (size_t row = 0; row < height; ++row) {
        std::memcpy(static_cast<char *>(dst) + row * dpitch, static_cast<const char *>(src) + row * spitch, width);
    }
}

}  // namespace

void attention(Communicator &comm, const Tensor &q, const Tensor &k, const Tensor &v, const Tensor &o,
               const std::optional<Tensor> &lse, const AttentionOptions &options, const DistOptions &dist) {
    const Device dev = q.device;
    void *stream = options.stream;
    const detail::PhaseClock clock(dist, dev, stream);

    int64_t B = 0, T = 0, H = 0, Hkv = 0, K = 0, V = 0;
    const auto meta = detail::exchange_meta(
        comm, kFn,
        [&] {
            if (q.rank() != 4 || k.rank() != 4 || v.rank() != 4) {
                throw Error(fmt::format("{}: q {}, k {}, v {}: expected [B,T,H,K], [B,T,Hkv,K], [B,T,Hkv,V]", kFn,
                                        detail::shape_string(q.shape), detail::shape_string(k.shape), detail::shape_string(v.shape)));
            }
            B = q.shape[0], T = q.shape[1], H = q.shape[2], K = q.shape[3], Hkv = k.shape[2], V = v.shape[3];
            if (T < 1) throw Error(fmt::format("{}: q has T = {}: every rank needs a slice of at least one token", kFn, T));
            const std::vector<int64_t> ks{B, T, Hkv, K}, vs{B, T, Hkv, V};
            if (k.shape != ks || v.shape != vs) {
                throw Error(fmt::format("{}: k {} and v {} must be {} and {} (this rank's slice of the keys and values)", kFn,
                                        detail::shape_string(k.shape), detail::shape_string(v.shape),
                                        detail::shape_string(ks), detail::shape_string(vs)));
            }
            if (!detail::is_contiguous(k) || !detail::is_contiguous(v)) {
                throw Error(fmt::format("{}: k and v must be row-major contiguous (they are gathered as they are)", kFn));
            }
            if (k.dtype != q.dtype || v.dtype != q.dtype) throw Error(fmt::format("{}: q, k, v must share one dtype", kFn));
            for (const Tensor *t : {&k, &v, &o}) {
                if (t->device.type != dev.type || t->device.index != dev.index) {
                    throw Error(fmt::format("{}: q, k, v, o must be on one device", kFn));
                }
            }
            detail::Meta m;
            m.f = {2, B, T, H, Hkv, K, V, static_cast<int64_t>(q.dtype), static_cast<int64_t>(dev.type),
                   options.causal ? 1 : 0, options.window};
            return m;
        },
        {"the operation", "B", "", "H", "Hkv", "K", "V", "dtype", "device type", "causal", "window"});

    const int N = comm.size(), r = comm.rank();
    std::vector<int64_t> t0(N + 1, 0);
    int64_t Tmax = 0;
    for (int j = 0; j < N; ++j) {
        t0[j + 1] = t0[j] + meta[j].f[2];
        Tmax = std::max(Tmax, meta[j].f[2]);
    }
    const int64_t S = options.causal ? t0[r + 1] : t0[N];
    const size_t es = detail::dtype_size(q.dtype);
    const size_t krow = Hkv * K * es, vrow = Hkv * V * es;  // bytes per token
    const size_t kslab = B * Tmax * krow, vslab = B * Tmax * vrow, per = kslab + vslab;
    const size_t kfull = B * S * krow, vfull = B * S * vrow;
    static thread_local detail::Scratch scratch;
    auto *base = static_cast<unsigned char *>(scratch.get(dev, per * (N + 1) + kfull + vfull));
    unsigned char *send = base, *recv = base + per, *kf = recv + per * N, *vf = kf + kfull;
    const double t_meta = clock.mark();

    // Pack this slice as [B, Tmax, Hkv, *] (rows past T are never read).
    copy_rows(dev, send, Tmax * krow, k.data, T * krow, T * krow, B, stream);
    copy_rows(dev, send + kslab, Tmax * vrow, v.data, T * vrow, T * vrow, B, stream);
    const double t_pack = clock.mark();

    comm.all_gather(send, recv, per, dev, stream);
    const double t_comm = clock.mark();

    // The keys this rank sees, as one [B, S, Hkv, *] sequence.
    for (int j = 0; j < N && t0[j] < S; ++j) {
        const int64_t len = meta[j].f[2];
        const unsigned char *rk = recv + j * per, *rv = rk + kslab;
        copy_rows(dev, kf + t0[j] * krow, S * krow, rk, Tmax * krow, len * krow, B, stream);
        copy_rows(dev, vf + t0[j] * vrow, S * vrow, rv, Tmax * vrow, len * vrow, B, stream);
    }
    const double t_unpack = clock.mark();

    seqmix::attention(q, Tensor::contiguous(kf, q.dtype, {B, S, Hkv, K}, dev), Tensor::contiguous(vf, q.dtype, {B, S, Hkv, V}, dev),
                      o, lse, options);
    const double t_out = clock.mark();
    clock.report(t_meta, t_pack, t_comm, t_unpack, t_out);
}

}  // namespace seqmix::dist
