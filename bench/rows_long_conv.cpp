// seqmix-bench: long convolutions (issue 9): long_conv (with and without output gating) beside
// an FFTW convolution of the same shape and FFT length in the same run (peers_fftw.h), lmu and
// lmu_step. Work counts are nominal FFT flops (counts.h, long_conv_flops), identical for every
// variant, so the direct form's rows compare by time.
// Checks: against the float64 direct sum / recurrence of tests/reference/long_conv.h on the first
// channels of batch 0.
#include <memory>

#include <fmt/format.h>

#include "peers_fftw.h"
#include "reference/long_conv.h"
#include "rows.h"

namespace seqmix::bench {

namespace {

struct LongConvShape {
    int64_t B, D, T, L;
};

std::string shape_name(const LongConvShape &s) {
    return fmt::format("B{}_D{}_T{}_L{}", s.B, s.D, s.T, s.L);
}

void emit(const Context &ctx, std::vector<RowResult> &out, RowResult &row) {
    if (ctx.on_row) ctx.on_row(row);
    out.push_back(std::move(row));
}

// The first `nd` channels of batch 0 of y [B,D,T] against the float64 direct sum.
Check check_first_channels(const LongConvShape &s, const std::vector<float> &u, const std::vector<float> &kf,
                           const std::vector<float> &Dskip, const std::vector<float> *gate, const std::vector<float> &y) {
    const int64_t nd = std::min<int64_t>(s.D, 4);
    auto first = [&](const std::vector<float> &x, int64_t len) { return to_double(std::vector<float>(x.begin(), x.begin() + len)); };
    const std::vector<double> want = ref::long_conv_ref(first(u, nd * s.T), first(kf, nd * s.L), first(Dskip, nd),
                                                        gate ? first(*gate, nd * s.T) : std::vector<double>{}, 1, nd,
                                                        s.T, s.L);
    // fp32 FFTs of length ~2T: ~1e-6 relative; 1e-4 catches any indexing or twiddle error (~1).
    return compare(first(y, nd * s.T), want, 1e-4, fmt::format("b=0, d<{} (all t)", nd));
}

}  // namespace

void long_conv_rows(const Context &ctx, std::vector<RowResult> &out) {
    std::vector<LongConvShape> shapes;
    if (ctx.quick) {
        shapes = {{1, 16, 1024, 1024}};
    } else {
        shapes = {{2, 256, 4096, 4096}, {2, 128, 2048, 1025}};
        if (ctx.device.type == DeviceType::cuda) shapes.push_back({8, 768, 8192, 8192});
    }
    for (const LongConvShape &s : shapes) {
        const size_t nu = size_t(s.B * s.D * s.T);
        const auto u = random_normal(nu, 91), kf = random_normal(size_t(s.D * s.L), 92, 0.02f);
        const auto Dskip = random_normal(size_t(s.D), 93), gate = random_normal(nu, 94);
        Buffer du(ctx.device, u), dk(ctx.device, kf), dD(ctx.device, Dskip), dg(ctx.device, gate),
            dy(ctx.device, std::vector<float>(nu, 0.0f));
        Runner runner(ctx.device);
        const int64_t n = seqmix::long_conv_fft_length(s.B, s.D, s.T, s.L, ctx.device);
        std::unique_ptr<FftwLongConv> fftw;
        if (ctx.peers && ctx.device.type == DeviceType::cpu && n > 0) {
            fftw = std::make_unique<FftwLongConv>(s.B, s.D, s.T, s.L, n, ctx.machine->cores);
        }
        for (bool gated : {false, true}) {
            const std::vector<float> *g = gated ? &gate : nullptr;
            std::optional<PeerResult> peer;
            if (fftw) {
                std::vector<float> py(nu, 0.0f);
                PeerResult p;
                p.name = "fftw";
                p.note = fmt::format("FFTW 3 (float, {} threads, FFTW_MEASURE): r2c of u and kf, product, c2r, n = {}{}",
                                     ctx.machine->cores, n, gated ? "; then y *= gate as its own pass" : "");
                Runner pr(Device::cpu());
                auto call = [&] { fftw->run(u.data(), kf.data(), Dskip.data(), g ? g->data() : nullptr, py.data()); };
                call();
                if (ctx.check) p.check = check_first_channels(s, u, kf, Dskip, g, py);
                p.stats = measure(ctx.protocol, [&](int) { return pr.time(call); });
                peer = p;
            }
            for (const std::string &variant : variants_to_run(ctx, "long_conv")) {
                RowResult row = new_row(ctx, "long_conv", "fft", shape_name(s) + (gated ? "_gate" : ""), variant);
                row.flops = long_conv_flops(s.B, s.D, n > 0 ? n : 2 * s.T);
                LongConvOptions opt;
                opt.stream = runner.stream();
                opt.variant = variant;
                const std::optional<Tensor> tg = gated ? std::optional<Tensor>(dg.view({s.B, s.D, s.T})) : std::nullopt;
                run_row(
                    row, ctx, runner,
                    [&](int) {
                        seqmix::long_conv(du.view({s.B, s.D, s.T}), dk.view({s.D, s.L}), dy.view({s.B, s.D, s.T}),
                                          dD.view({s.D}), tg, opt);
                    },
                    [&] { return check_first_channels(s, u, kf, Dskip, g, dy.to_host()); });
                if (peer && row.status == "ok") {
                    PeerResult p = *peer;
                    if (row.stats.median_ms > 0) p.speedup = p.stats.median_ms / row.stats.median_ms;
                    row.peers.push_back(p);
                }
                emit(ctx, out, row);
            }
        }
    }
}

void lmu_rows(const Context &ctx, std::vector<RowResult> &out) {
    struct S {
        int64_t B, T, C, d;
        double theta;
    };
    const S s = ctx.quick ? S{1, 512, 16, 8, 256} : S{2, 4096, 256, 16, 1024};
    const size_t nu = size_t(s.B * s.T * s.C), nm = nu * size_t(s.d);
    const auto u = random_normal(nu, 95);
    Buffer du(ctx.device, u), dm(ctx.device, std::vector<float>(nm, 0.0f));
    Runner runner(ctx.device);
    const int64_t n = 2 * s.T;
    for (const std::string &variant : variants_to_run(ctx, "lmu")) {
        RowResult row = new_row(ctx, "lmu", "parallel", fmt::format("B{}_T{}_C{}_d{}", s.B, s.T, s.C, s.d), variant);
        // Transforms: B C / 2 forward and B C d / 2 inverse complex ones of length n, ~ B C (d + 1)
        // real ones.
        row.flops = long_conv_flops(s.B, s.C * (s.d + 1), n) / 3.0;
        LmuOptions opt;
        opt.stream = runner.stream();
        opt.variant = variant;
        opt.theta = s.theta;
        run_row(
            row, ctx, runner,
            [&](int) { seqmix::lmu(du.view({s.B, s.T, s.C}), dm.view({s.B, s.T, s.C, s.d}), std::nullopt, std::nullopt, opt); },
            [&] {
                // Channel 0 of batch 0 against the recurrence (every t and memory dimension).
                std::vector<double> u0(size_t(s.T));
                for (int64_t t = 0; t < s.T; t++) u0[size_t(t)] = u[size_t(t * s.C)];
                const ref::LmuResult want = ref::lmu_ref(u0, {}, 1, s.T, 1, static_cast<int>(s.d), s.theta);
                const std::vector<float> got = dm.to_host();
                std::vector<double> g0;
                for (int64_t t = 0; t < s.T; t++) {
                    for (int64_t i = 0; i < s.d; i++) g0.push_back(got[size_t((t * s.C) * s.d + i)]);
                }
                return compare(g0, want.m, 1e-4, "b=0, c=0 (all t, i)");
            });
        emit(ctx, out, row);
    }
}

void lmu_step_rows(const Context &ctx, std::vector<RowResult> &out) {
    const int64_t B = ctx.quick ? 4 : 64, C = ctx.quick ? 64 : 1024, d = 16;
    const auto u = random_normal(size_t(B * C), 96), st = random_normal(size_t(B * C * d), 97);
    Buffer du(ctx.device, u), ds(ctx.device, st), dn(ctx.device, std::vector<float>(size_t(B * C * d), 0.0f));
    Runner runner(ctx.device);
    for (const std::string &variant : variants_to_run(ctx, "lmu_step")) {
        RowResult row = new_row(ctx, "lmu_step", "step", fmt::format("B{}_C{}_d{}", B, C, d), variant);
        row.memory_bound = true;
        row.bytes = 4.0 * double(B * C * (2 * d + 1));
        LmuOptions opt;
        opt.stream = runner.stream();
        opt.variant = variant;
        opt.theta = 256;
        run_row(
            row, ctx, runner,
            [&](int) { seqmix::lmu_step(du.view({B, C}), ds.view({B, C, d}), dn.view({B, C, d}), opt); },
            [&] {
                // Batch 0, channel 0: one step of the recurrence from its state.
                const std::vector<double> h0(st.begin(), st.begin() + d);
                const ref::LmuResult want = ref::lmu_ref({double(u[0])}, h0, 1, 1, 1, static_cast<int>(d), 256);
                const std::vector<float> got = dn.to_host();
                return compare(to_double(std::vector<float>(got.begin(), got.begin() + d)), want.m, 1e-5, "b=0, c=0");
            });
        emit(ctx, out, row);
    }
}

}  // namespace seqmix::bench
