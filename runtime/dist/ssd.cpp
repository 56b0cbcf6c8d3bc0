// Sequence-parallel Mamba-2 SSD (LASP-2, lasp2.h). The state h [P,N] per head decays by one scalar
// per token, so a slice maps h to d_r h + C_r with d_r = exp(A sum_t dt'_t): the chain of
// dist::gla with one decay per head. Each rank runs ssd on its slice from zero (C_r) and, for
// d_r, ssd with P = N = 1, zero inputs and the state 1 (its final state is d_r: a cheap pass over
// the slice's dt); after the one all-gather, the ranks whose entering state S_in is not zero run
// ssd again from S_in. That second pass costs a whole slice: SSD's C is shared by the heads of a
// group and its gates are dt' A, which gla_inter's per-head queries and log gates cannot take
// without copies, so the one-pass form of dist::gla is not used here.
#include "lasp2.h"

#include <fmt/format.h>

namespace seqmix::dist {

void ssd(Communicator &comm, const Tensor &x, const Tensor &dt, const Tensor &A, const Tensor &Bm, const Tensor &Cm,
         const Tensor &y, const std::optional<Tensor> &Dskip, const std::optional<Tensor> &dt_bias,
         const std::optional<Tensor> &initial_state, const std::optional<Tensor> &final_state, const SsdOptions &options,
         const DistOptions &dist) {
    using namespace detail;
    const char *fn = "seqmix::dist::ssd";
    const Device dev = x.device;
    void *stream = options.stream;
    const PhaseClock clock(dist, dev, stream);
    int64_t B = 0, T = 0, H = 0, P = 0, G = 0, N = 0;
    exchange_meta(
        comm, fn,
        [&] {
            if (x.rank() != 4) throw Error(fmt::format("{}: x has shape {}, expected [B,T,H,P]", fn, shape_string(x.shape)));
            if (Bm.rank() != 4) throw Error(fmt::format("{}: Bm has shape {}, expected [B,T,G,N]", fn, shape_string(Bm.shape)));
            B = x.shape[0], T = x.shape[1], H = x.shape[2], P = x.shape[3], G = Bm.shape[2], N = Bm.shape[3];
            if (T < 1) throw Error(fmt::format("{}: x has T = {}: every rank needs a slice of at least one token", fn, T));
            auto expect = [&](const char *name, const Tensor &t, const std::vector<int64_t> &shape) {
                expect_shape(fn, name, t, shape, dev, "x");
            };
            expect("x", x, {B, T, H, P});
            expect("dt", dt, {B, T, H});
            expect("A", A, {H});
            expect("Bm", Bm, {B, T, G, N});
            expect("Cm", Cm, {B, T, G, N});
            expect("y", y, {B, T, H, P});
            if (Dskip) expect("Dskip", *Dskip, {H});
            if (dt_bias) expect("dt_bias", *dt_bias, {H});
            if (initial_state) expect("initial_state", *initial_state, {B, H, P, N});
            if (final_state) expect("final_state", *final_state, {B, H, P, N});
            Meta m;
            m.f = {10, B, T, H, P, N, G, static_cast<int64_t>(x.dtype), static_cast<int64_t>(dev.type), initial_state ? 1 : 0};
            return m;
        },
        {"the operation", "B", "", "H", "P", "N", "G", "dtype", "device type", "whether initial_state is given"});

    const int ranks = comm.size(), r = comm.rank();
    const bool has_prefix = r > 0 || initial_state.has_value();
    const ChainShape shape{B * H, P, N, 1, Transition::diagonal};
    const int64_t SN = B * H * P * N;
    static thread_local Scratch scratch, pass_scratch;
    auto *send = static_cast<float *>(scratch.get(dev, sizeof(float) * shape.per() * (ranks + 1)));
    float *recv = send + shape.per();
    const double t_meta = clock.mark();
    // The slice from zero (outputs so far, C_r), and its decay d_r where a later rank needs it.
    seqmix::ssd(x, dt, A, Bm, Cm, y, Dskip, dt_bias, std::nullopt, Tensor::contiguous(send, DType::f32, {B, H, P, N}, dev),
                options);
    if (has_prefix) {
        // x0, y0 [B,T,H,1] (zeros, scratch) and the state 1 [B,H,1,1]; Bm, Cm viewed with N = 1.
        auto *x0 = static_cast<float *>(pass_scratch.get(dev, sizeof(float) * (2 * B * T * H + B * H)));
        float *y0 = x0 + B * T * H, *one = y0 + B * T * H;
        fill_zero(x0, sizeof(float) * B * T * H, dev, stream);
        upload(one, std::vector<float>(B * H, 1.0f), dev, stream);
        const Tensor Bm1(Bm.data, DType::f32, {B, T, G, 1}, Bm.strides, dev), Cm1(Cm.data, DType::f32, {B, T, G, 1}, Cm.strides, dev);
        seqmix::ssd(Tensor::contiguous(x0, DType::f32, {B, T, H, 1}, dev), dt, A, Bm1, Cm1,
                    Tensor::contiguous(y0, DType::f32, {B, T, H, 1}, dev), std::nullopt, dt_bias,
                    Tensor::contiguous(one, DType::f32, {B, H, 1, 1}, dev),
                    Tensor::contiguous(send + SN, DType::f32, {B, H, 1, 1}, dev), options);
    }
    const double t_state = clock.mark();
    double t_comm = 0;
    const std::vector<float> s_in = chain_prefix(comm, shape, send, recv, dev, stream, initial_state, final_state, clock, t_comm);
    if (!s_in.empty()) upload(send, s_in, dev, stream);
    const double t_combine = clock.mark();
    if (!s_in.empty()) {
        seqmix::ssd(x, dt, A, Bm, Cm, y, Dskip, dt_bias, Tensor::contiguous(send, DType::f32, {B, H, P, N}, dev),
                    std::nullopt, options);
    }
    const double t_out = clock.mark();
    clock.report(t_meta, t_state, t_comm, t_combine, t_out);
}

}  // namespace seqmix::dist
