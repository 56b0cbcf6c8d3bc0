// seqmix-bench: rows of Mamba-2 SSD (ssd, ssd_bidirectional, ssd_step), as the scalar-decay rows
// (rows_scalar_decay.cpp): the chunked forms compute-bound (work = ssd_flops at the reference
// chunk 64), the step memory-bound (work = ssd_step_bytes) with cold caches. Shapes are issue 8's
// peer shapes for mamba_chunk_scan_combined / selective_state_update on CUDA
// (B4_T4096_H32_P64_N128_G1, step B64_H32_P64_N128_G1), smaller heads-count on the CPU.
#include <cmath>
#include <memory>

#include <fmt/format.h>

#include "reference/ssd.h"
#include "rows.h"

namespace seqmix::bench {

namespace {

// Mamba-2's ranges: dt in [1e-3, 0.1], A = -[1, 16].
std::vector<float> ssd_dt(size_t n, unsigned seed) {
    std::vector<float> x = random_normal(n, seed);
    for (float &v : x) v = 1e-3f + 0.099f * (0.5f + 0.5f * std::tanh(v));
    return x;
}
std::vector<float> ssd_A(int64_t H) {
    std::vector<float> a(static_cast<size_t>(H));
    for (int64_t h = 0; h < H; h++) a[size_t(h)] = -1.0f - float(h % 16);
    return a;
}

}  // namespace

void ssd_rows(const Context &ctx, const std::string &mixer, std::vector<RowResult> &out) {
    const bool bidir = mixer == "ssd_bidirectional";
    SsdShape s = ctx.quick                               ? SsdShape{1, 256, 2, 64, 128, 1}
                 : ctx.device.type == DeviceType::cuda ? SsdShape{4, 4096, 32, 64, 128, 1}
                                                       : SsdShape{1, 4096, 8, 64, 128, 1};
    const size_t nx = size_t(s.B * s.T * s.H * s.P), nbc = size_t(s.B * s.T * s.G * s.N);
    const size_t ndt = size_t(s.B * s.T * s.H);
    const auto x = random_normal(nx, 31), dt = ssd_dt(ndt, 32), A = ssd_A(s.H), D = random_normal(size_t(s.H), 33);
    const auto Bm = random_normal(nbc, 34, 1.0f / std::sqrt(float(s.N))), Cm = random_normal(nbc, 35);
    const auto dtb = ssd_dt(ndt, 36), Bb = random_normal(nbc, 37, 1.0f / std::sqrt(float(s.N)));
    const auto Cb = random_normal(nbc, 38);
    Buffer dx(ctx.device, x), ddt(ctx.device, dt), dA(ctx.device, A), dD(ctx.device, D), dB(ctx.device, Bm),
        dC(ctx.device, Cm), ddtb(ctx.device, dtb), dBb(ctx.device, Bb), dCb(ctx.device, Cb),
        dy(ctx.device, std::vector<float>(nx, 0.0f));
    Runner runner(ctx.device);

    // Check batch 0 and up to 4 heads of group 0, the whole sequence (heads are independent).
    const int64_t nh = std::min<int64_t>({s.H / s.G, s.H, 4});
    const ref::SsdShape rs{1, s.T, nh, s.P, s.N, 1};
    const std::string subset = fmt::format("b=0, heads 0..{}, all {} tokens", nh - 1, s.T);
    std::vector<double> want;
    auto reference = [&]() -> const std::vector<double> & {
        if (want.empty()) {
            const auto xs = slice_bthd(x, s.B, s.T, s.H, s.P, 1, 0, s.T, nh);
            const auto dts = slice_bthd(dt, s.B, s.T, s.H, 1, 1, 0, s.T, nh);
            const auto Bs = slice_bthd(Bm, s.B, s.T, s.G, s.N, 1, 0, s.T, 1);
            const auto Cs = slice_bthd(Cm, s.B, s.T, s.G, s.N, 1, 0, s.T, 1);
            const std::vector<double> As(A.begin(), A.begin() + nh), Ds(D.begin(), D.begin() + nh);
            if (bidir) {
                want = ref::ssd_bidirectional_ref(xs, dts, Bs, Cs, slice_bthd(dtb, s.B, s.T, s.H, 1, 1, 0, s.T, nh),
                                                  slice_bthd(Bb, s.B, s.T, s.G, s.N, 1, 0, s.T, 1),
                                                  slice_bthd(Cb, s.B, s.T, s.G, s.N, 1, 0, s.T, 1), As, Ds, {}, rs,
                                                  false);
            } else {
                want = ref::ssd_ref(xs, dts, As, Bs, Cs, Ds, {}, {}, rs, false).y;
            }
        }
        return want;
    };
    // As the scalar-decay rows: ~1e-5 typical in fp32; 1e-3 still catches a wrong mask or group.
    const double tol = 1e-3;
    auto check_out = [&] {
        return compare(slice_bthd(dy.to_host(), s.B, s.T, s.H, s.P, 1, 0, s.T, nh), reference(), tol, subset);
    };

    for (const std::string &variant : variants_to_run(ctx, mixer)) {
        RowResult row = new_row(ctx, mixer, "chunked", ssd_shape_name(s), variant);
        row.flops = ssd_flops(s) * (bidir ? 2.0 : 1.0);
        SsdOptions opt;
        opt.stream = runner.stream();
        opt.variant = variant;
        auto tx = dx.view({s.B, s.T, s.H, s.P}), tdt = ddt.view({s.B, s.T, s.H}), tA = dA.view({s.H}),
             tD = dD.view({s.H}), tB = dB.view({s.B, s.T, s.G, s.N}), tC = dC.view({s.B, s.T, s.G, s.N}),
             ty = dy.view({s.B, s.T, s.H, s.P});
        auto tdtb = ddtb.view({s.B, s.T, s.H}), tBb = dBb.view({s.B, s.T, s.G, s.N}),
             tCb = dCb.view({s.B, s.T, s.G, s.N});
        run_row(
            row, ctx, runner,
            [&](int) {
                if (bidir) {
                    seqmix::ssd_bidirectional(tx, tdt, tB, tC, tdtb, tBb, tCb, tA, ty, tD, std::nullopt, opt);
                } else {
                    seqmix::ssd(tx, tdt, tA, tB, tC, ty, tD, std::nullopt, std::nullopt, std::nullopt, opt);
                }
            },
            check_out);
        if (ctx.on_row) ctx.on_row(row);
        out.push_back(std::move(row));
    }
}

void ssd_step_rows(const Context &ctx, std::vector<RowResult> &out) {
    const SsdShape s = ctx.quick                               ? SsdShape{4, 1, 2, 64, 128, 1}
                       : ctx.device.type == DeviceType::cuda ? SsdShape{64, 1, 32, 64, 128, 1}
                                                             : SsdShape{64, 1, 8, 64, 128, 1};
    const size_t nx = size_t(s.B * s.H * s.P), nbc = size_t(s.B * s.G * s.N), ns = size_t(s.B * s.H * s.P * s.N);
    const auto x = random_normal(nx, 41), dt = ssd_dt(size_t(s.B * s.H), 42), A = ssd_A(s.H);
    const auto D = random_normal(size_t(s.H), 43);
    const auto Bm = random_normal(nbc, 44, 1.0f / std::sqrt(float(s.N))), Cm = random_normal(nbc, 45);
    const auto state = random_normal(ns, 46, 0.5f);

    Protocol protocol = ctx.protocol;
    protocol.cache = "rotate";
    protocol.cache_bytes = cache_bytes(ctx);
    protocol.sets = rotation_sets(ssd_step_bytes(s), protocol.cache_bytes);
    struct Set {
        Buffer x, dt, Bm, Cm, state, y, new_state;
    };
    std::vector<std::unique_ptr<Set>> sets;
    for (int i = 0; i < protocol.sets; i++) {
        sets.push_back(std::make_unique<Set>(Set{Buffer(ctx.device, x), Buffer(ctx.device, dt), Buffer(ctx.device, Bm),
                                                 Buffer(ctx.device, Cm), Buffer(ctx.device, state),
                                                 Buffer(ctx.device, std::vector<float>(nx, 0.0f)),
                                                 Buffer(ctx.device, std::vector<float>(ns, 0.0f))}));
    }
    Buffer dA(ctx.device, A), dD(ctx.device, D);
    Runner runner(ctx.device);

    ref::SsdResult want;
    auto reference = [&]() -> const ref::SsdResult & {
        if (want.y.empty()) {
            want = ref::ssd_ref(to_double(x), to_double(dt), to_double(A), to_double(Bm), to_double(Cm), to_double(D),
                                {}, to_double(state), {s.B, 1, s.H, s.P, s.N, s.G}, false);
        }
        return want;
    };
    // One step in fp32: an N-term dot product per output; 1e-5 is ~100 ulp of headroom.
    const double tol = 1e-5;
    auto check_set = [&](const Set &set) {
        Check c = compare(to_double(set.y.to_host()), reference().y, tol, "all (y)");
        Check st = compare(to_double(set.new_state.to_host()), reference().final_state, tol, "all (new_state)");
        c.subset = "all (y and new_state)";
        c.rel_rms = std::max(c.rel_rms, st.rel_rms);
        c.max_abs = std::max(c.max_abs, st.max_abs);
        c.ok = c.ok && st.ok;
        return c;
    };

    for (const std::string &variant : variants_to_run(ctx, "ssd_step")) {
        RowResult row = new_row(ctx, "ssd_step", "step", ssd_shape_name(s, true), variant);
        row.protocol = protocol;
        row.memory_bound = true;
        row.bytes = ssd_step_bytes(s);
        row.flops = ssd_step_flops(s);
        SsdOptions opt;
        opt.stream = runner.stream();
        opt.variant = variant;
        run_row(
            row, ctx, runner,
            [&](int i) {
                Set &set = *sets[size_t(i % protocol.sets)];
                seqmix::ssd_step(set.x.view({s.B, s.H, s.P}), set.dt.view({s.B, s.H}), dA.view({s.H}),
                                 set.Bm.view({s.B, s.G, s.N}), set.Cm.view({s.B, s.G, s.N}),
                                 set.state.view({s.B, s.H, s.P, s.N}), set.y.view({s.B, s.H, s.P}),
                                 set.new_state.view({s.B, s.H, s.P, s.N}), dD.view({s.H}), std::nullopt, opt);
            },
            [&] { return check_set(*sets[0]); });
        if (ctx.on_row) ctx.on_row(row);
        out.push_back(std::move(row));
    }
}

}  // namespace seqmix::bench
