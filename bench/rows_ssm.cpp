// seqmix-bench: state-space mixers and decode attention (issue 8). Every row is memory-bound and
// reports GB/s of its fixed byte count (counts.h) against the in-run copy ceiling:
//   causal_conv1d / causal_conv1d_step, selective_scan / selective_scan_step, decode_attention.
// Step rows rotate over enough buffer sets to exceed twice the cache (cold state, as gla_step);
// the sequence rows and decode attention stream working sets far larger than any cache.
// Checks: against the float64 references of tests/reference/ on a subset named in each row.
#include <cmath>
#include <cstring>
#include <memory>

#include <fmt/format.h>

#include "reference/causal_conv1d.h"
#include "reference/decode_attention.h"
#include "reference/selective_scan.h"
#include "rows.h"

namespace seqmix::bench {

namespace {

// Every issue-8 row is memory-bound: its work is `bytes`.
RowResult new_row(const Context &ctx, const char *mixer, const char *form, const std::string &shape,
                  const std::string &variant, double bytes) {
    RowResult row = seqmix::bench::new_row(ctx, mixer, form, shape, variant);
    row.memory_bound = true;
    row.bytes = bytes;
    return row;
}

void emit(const Context &ctx, std::vector<RowResult> &out, RowResult &row) {
    if (ctx.on_row) ctx.on_row(row);
    out.push_back(std::move(row));
}

Protocol cold_protocol(const Context &ctx, double set_bytes) {
    Protocol p = ctx.protocol;
    p.cache = "rotate";
    p.cache_bytes = cache_bytes(ctx);
    p.sets = rotation_sets(set_bytes, p.cache_bytes);
    return p;
}

// Elements [b = 0, all t, channels [0, nd)] of a [B,D,T] tensor, or of a [B,T,D] one.
std::vector<double> first_channels_bdt(const std::vector<float> &x, int64_t D, int64_t T, int64_t nd) {
    (void)D;
    return std::vector<double>(x.begin(), x.begin() + nd * T);
}

}  // namespace

void causal_conv1d_rows(const Context &ctx, std::vector<RowResult> &out) {
    std::vector<ConvShape> shapes = {ctx.quick ? ConvShape{1, 256, 256, 4} : ConvShape{2, 4096, 2048, 4}};
    if (!ctx.quick && ctx.device.type == DeviceType::cuda) shapes.push_back({8, 4096, 5120, 4});
    for (const ConvShape &s : shapes) {
        const size_t n = size_t(s.B * s.T * s.D);
        const auto x = random_normal(n, 31), w = random_normal(size_t(s.D * s.W), 32, 0.5f);
        const auto bias = random_normal(size_t(s.D), 33);
        Buffer dx(ctx.device, x), dw(ctx.device, w), db(ctx.device, bias), dy(ctx.device, std::vector<float>(n, 0.0f));
        Runner runner(ctx.device);
        std::vector<double> want;
        auto check = [&] {
            // b = 0, every token and channel: 4-tap fp32 sums and one exp: ~1e-7; 1e-5 catches a
            // shifted tap (~1e-1).
            if (want.empty()) {
                want = ref::causal_conv1d_ref(std::vector<double>(x.begin(), x.begin() + s.T * s.D), to_double(w),
                                              to_double(bias), {}, 1, s.T, s.D, s.W, true)
                           .y;
            }
            const auto got = dy.to_host();
            return compare(std::vector<double>(got.begin(), got.begin() + s.T * s.D), want, 1e-5, "b=0 (all t, d)");
        };
        for (const std::string &variant : variants_to_run(ctx, "causal_conv1d")) {
            RowResult row = new_row(ctx, "causal_conv1d", "sequence", conv_shape_name(s), variant, causal_conv1d_bytes(s));
            CausalConv1dOptions opt;
            opt.stream = runner.stream();
            opt.variant = variant;
            opt.activation = Activation::silu;
            run_row(
                row, ctx, runner,
                [&](int) {
                    seqmix::causal_conv1d(dx.view({s.B, s.T, s.D}), dw.view({s.D, s.W}), dy.view({s.B, s.T, s.D}),
                                          db.view({s.D}), std::nullopt, std::nullopt, opt);
                },
                check);
            emit(ctx, out, row);
        }
    }
}

void causal_conv1d_step_rows(const Context &ctx, std::vector<RowResult> &out) {
    const ConvShape s = ctx.quick ? ConvShape{4, 1, 256, 4} : ConvShape{64, 1, ctx.device.type == DeviceType::cuda ? 5120 : 4096, 4};
    const size_t nx = size_t(s.B * s.D), ns = size_t(s.B * s.D * (s.W - 1));
    const auto x = random_normal(nx, 41), w = random_normal(size_t(s.D * s.W), 42, 0.5f);
    const auto bias = random_normal(size_t(s.D), 43), state = random_normal(ns, 44);
    const Protocol protocol = cold_protocol(ctx, causal_conv1d_step_bytes(s));
    struct Set {
        Buffer x, state, y, new_state;
    };
    std::vector<std::unique_ptr<Set>> sets;
    for (int i = 0; i < protocol.sets; i++) {
        sets.push_back(std::make_unique<Set>(Set{Buffer(ctx.device, x), Buffer(ctx.device, state),
                                                 Buffer(ctx.device, std::vector<float>(nx, 0.0f)),
                                                 Buffer(ctx.device, std::vector<float>(ns, 0.0f))}));
    }
    Buffer dw(ctx.device, w), db(ctx.device, bias);
    Runner runner(ctx.device);
    const ref::ConvResult want =
        ref::causal_conv1d_step_ref(to_double(x), to_double(w), to_double(bias), to_double(state), s.B, s.D, s.W, true);
    auto check = [&] {
        Check c = compare(to_double(sets[0]->y.to_host()), want.y, 1e-5, "all (y and new_state)");
        Check st = compare(to_double(sets[0]->new_state.to_host()), want.final_state, 1e-5, "all");
        c.ok = c.ok && st.ok;
        c.rel_rms = std::max(c.rel_rms, st.rel_rms);
        return c;
    };
    for (const std::string &variant : variants_to_run(ctx, "causal_conv1d_step")) {
        RowResult row = new_row(ctx, "causal_conv1d_step", "step", conv_shape_name(s, true), variant,
                                causal_conv1d_step_bytes(s));
        row.protocol = protocol;
        CausalConv1dOptions opt;
        opt.stream = runner.stream();
        opt.variant = variant;
        opt.activation = Activation::silu;
        run_row(
            row, ctx, runner,
            [&](int i) {
                Set &set = *sets[size_t(i % protocol.sets)];
                seqmix::causal_conv1d_step(set.x.view({s.B, s.D}), dw.view({s.D, s.W}), set.state.view({s.B, s.D, s.W - 1}),
                                           set.y.view({s.B, s.D}), set.new_state.view({s.B, s.D, s.W - 1}),
                                           db.view({s.D}), opt);
            },
            check);
        emit(ctx, out, row);
    }
}

namespace {

// Mamba-like inputs: A = -(n+1), dt = softplus(delta) with delta ~ N(-4, 1) (dt ~ 0.02).
struct ScanData {
    std::vector<float> x, delta, z, A, Bm, Cm, Dskip;
    ScanData(const ScanShape &s, int64_t T, unsigned seed) {
        const size_t n = size_t(s.B * s.D * T), nbc = size_t(s.B * s.G * s.N * T);
        x = random_normal(n, seed), z = random_normal(n, seed + 1), delta = random_normal(n, seed + 2);
        for (auto &e : delta) e -= 4.0f;
        A.resize(size_t(s.D * s.N));
        for (size_t i = 0; i < A.size(); i++) A[i] = -float(i % size_t(s.N) + 1);
        Bm = random_normal(nbc, seed + 3), Cm = random_normal(nbc, seed + 4), Dskip = random_normal(size_t(s.D), seed + 5);
    }
};

}  // namespace

void selective_scan_rows(const Context &ctx, std::vector<RowResult> &out) {
    std::vector<ScanShape> shapes = {ctx.quick ? ScanShape{1, 64, 256, 16, 1} : ScanShape{2, 1536, 2048, 16, 1}};
    if (!ctx.quick && ctx.device.type == DeviceType::cuda) {
        shapes.push_back({8, 2048, 2048, 16, 1});
        shapes.push_back({2, 1536, 8192, 16, 1});  // past the CUDA bucket staged's T <= 2048
    }
    for (const ScanShape &s : shapes) {
        const ScanData in(s, s.T, 51);
        const size_t n = size_t(s.B * s.D * s.T);
        Buffer dx(ctx.device, in.x), dd(ctx.device, in.delta), dz(ctx.device, in.z), dA(ctx.device, in.A);
        Buffer dB(ctx.device, in.Bm), dC(ctx.device, in.Cm), dD(ctx.device, in.Dskip), dy(ctx.device, std::vector<float>(n, 0.0f));
        Runner runner(ctx.device);
        // b = 0, channels 0..7, every token (the scan is independent per channel).
        const int64_t nd = std::min<int64_t>(s.D, 8);
        std::vector<double> want;
        auto check = [&] {
            if (want.empty()) {
                ref::ScanInputs r;
                r.B = 1, r.D = nd, r.T = s.T, r.N = s.N, r.groups_B = 1, r.groups_C = 1, r.delta_softplus = true;
                r.x = first_channels_bdt(in.x, s.D, s.T, nd), r.delta = first_channels_bdt(in.delta, s.D, s.T, nd);
                r.z = first_channels_bdt(in.z, s.D, s.T, nd);
                r.A = std::vector<double>(in.A.begin(), in.A.begin() + nd * s.N);
                r.Bm = std::vector<double>(in.Bm.begin(), in.Bm.begin() + s.N * s.T);  // G = 1: group 0 of b = 0
                r.Cm = std::vector<double>(in.Cm.begin(), in.Cm.begin() + s.N * s.T);
                r.Dskip = std::vector<double>(in.Dskip.begin(), in.Dskip.begin() + nd);
                want = ref::selective_scan_ref(r).y;
            }
            const auto got = dy.to_host();
            // fp32 scan over T tokens with chunked rescaling: ~1e-6..1e-5; 1e-3 catches a wrong
            // chunk boundary (~1e-1).
            return compare(std::vector<double>(got.begin(), got.begin() + nd * s.T), want, 1e-3,
                           fmt::format("b=0, channels 0..{}, all {} tokens", nd - 1, s.T));
        };
        for (const std::string &variant : variants_to_run(ctx, "selective_scan")) {
            RowResult row = new_row(ctx, "selective_scan", "chunked", scan_shape_name(s), variant, selective_scan_bytes(s));
            row.flops = selective_scan_flops(s);
            SelectiveScanOptions opt;
            opt.stream = runner.stream();
            opt.variant = variant;
            opt.delta_softplus = true;
            run_row(
                row, ctx, runner,
                [&](int) {
                    seqmix::selective_scan(dx.view({s.B, s.D, s.T}), dd.view({s.B, s.D, s.T}), dA.view({s.D, s.N}),
                                           dB.view({s.B, s.G, s.N, s.T}), dC.view({s.B, s.G, s.N, s.T}),
                                           dy.view({s.B, s.D, s.T}), dD.view({s.D}), dz.view({s.B, s.D, s.T}),
                                           std::nullopt, std::nullopt, std::nullopt, opt);
                },
                check);
            emit(ctx, out, row);
        }
    }
}

void selective_scan_step_rows(const Context &ctx, std::vector<RowResult> &out) {
    const ScanShape s = ctx.quick ? ScanShape{4, 256, 1, 16, 1}
                                  : ScanShape{64, ctx.device.type == DeviceType::cuda ? 5120 : 2048, 1, 16, 1};
    const ScanData in(s, 1, 61);
    const auto state = random_normal(size_t(s.B * s.D * s.N), 67, 0.5f);
    const size_t nx = size_t(s.B * s.D), ns = state.size();
    const Protocol protocol = cold_protocol(ctx, selective_scan_step_bytes(s));
    struct Set {
        Buffer x, delta, z, Bm, Cm, state, y, new_state;
    };
    std::vector<std::unique_ptr<Set>> sets;
    for (int i = 0; i < protocol.sets; i++) {
        sets.push_back(std::make_unique<Set>(Set{
            Buffer(ctx.device, in.x), Buffer(ctx.device, in.delta), Buffer(ctx.device, in.z), Buffer(ctx.device, in.Bm),
            Buffer(ctx.device, in.Cm), Buffer(ctx.device, state), Buffer(ctx.device, std::vector<float>(nx, 0.0f)),
            Buffer(ctx.device, std::vector<float>(ns, 0.0f))}));
    }
    Buffer dA(ctx.device, in.A), dD(ctx.device, in.Dskip);
    Runner runner(ctx.device);
    ref::ScanInputs r;
    r.B = s.B, r.D = s.D, r.T = 1, r.N = s.N, r.groups_B = s.G, r.groups_C = s.G, r.delta_softplus = true;
    r.x = to_double(in.x), r.delta = to_double(in.delta), r.z = to_double(in.z), r.A = to_double(in.A);
    r.Bm = to_double(in.Bm), r.Cm = to_double(in.Cm), r.Dskip = to_double(in.Dskip), r.initial_state = to_double(state);
    const ref::ScanResult want = ref::selective_scan_ref(r);
    auto check = [&] {
        // One step: an N-term dot per output, ~1e-7; 1e-5 is ~100 ulp of headroom.
        Check c = compare(to_double(sets[0]->y.to_host()), want.y, 1e-5, "all (y and new_state)");
        Check st = compare(to_double(sets[0]->new_state.to_host()), want.final_state, 1e-5, "all");
        c.ok = c.ok && st.ok;
        c.rel_rms = std::max(c.rel_rms, st.rel_rms);
        return c;
    };
    for (const std::string &variant : variants_to_run(ctx, "selective_scan_step")) {
        RowResult row = new_row(ctx, "selective_scan_step", "step", scan_shape_name(s, true), variant,
                                selective_scan_step_bytes(s));
        row.protocol = protocol;
        SelectiveScanOptions opt;
        opt.stream = runner.stream();
        opt.variant = variant;
        opt.delta_softplus = true;
        run_row(
            row, ctx, runner,
            [&](int i) {
                Set &set = *sets[size_t(i % protocol.sets)];
                seqmix::selective_scan_step(set.x.view({s.B, s.D}), set.delta.view({s.B, s.D}), dA.view({s.D, s.N}),
                                            set.Bm.view({s.B, s.G, s.N}), set.Cm.view({s.B, s.G, s.N}),
                                            set.state.view({s.B, s.D, s.N}), set.y.view({s.B, s.D}),
                                            set.new_state.view({s.B, s.D, s.N}), dD.view({s.D}), set.z.view({s.B, s.D}),
                                            std::nullopt, opt);
            },
            check);
        emit(ctx, out, row);
    }
}

void decode_attention_rows(const Context &ctx, std::vector<RowResult> &out) {
    // Shape{B, Tq, L, H, Hkv, K, V}: issue 8's CUDA shapes, one query token (B=64 at 4K and 16K,
    // B=8 at 64K and 128K, B=1 at 1M), and 4 query tokens at B=64, 4K (speculative decoding);
    // smaller CPU ones. Each shape twice: equal lengths (the peers' case) and ragged (sequence b
    // holds L * (B - b) / B entries; B=1 has no ragged row).
    std::vector<Shape> shapes;
    if (ctx.quick) {
        shapes = {{2, 1, 1024, 8, 2, 64, 64}};
    } else if (ctx.device.type == DeviceType::cuda) {
        shapes = {{64, 1, 4096, 32, 8, 128, 128},  {64, 1, 16384, 32, 8, 128, 128}, {8, 1, 65536, 32, 8, 128, 128},
                  {8, 1, 131072, 32, 8, 128, 128}, {1, 1, 1048576, 32, 8, 128, 128}, {64, 4, 4096, 32, 8, 128, 128}};
    } else {
        shapes = {{4, 1, 4096, 32, 8, 128, 128}, {1, 1, 65536, 32, 8, 128, 128}};
    }
    for (const Shape &s : shapes) {
        const int64_t Tq = s.T, L = s.S;
        const size_t nq = size_t(s.B * Tq * s.H * s.K), nk = size_t(s.B * L * s.Hkv * s.K), nv = size_t(s.B * L * s.Hkv * s.V);
        const auto q = random_normal(nq, 71), k = random_normal(nk, 72), v = random_normal(nv, 73);
        Buffer dq(ctx.device, q), dk(ctx.device, k), dv(ctx.device, v);
        Buffer dout(ctx.device, std::vector<float>(size_t(s.B * Tq * s.H * s.V), 0.0f));
        Runner runner(ctx.device);
        for (bool ragged : {false, true}) {
            if (ragged && s.B == 1) continue;
            std::vector<int32_t> lens(size_t(s.B));
            int64_t total = 0;
            for (int64_t b = 0; b < s.B; b++) total += lens[size_t(b)] = int32_t(ragged ? std::max<int64_t>(1, L * (s.B - b) / s.B) : L);
            std::vector<float> bits(lens.size());
            std::memcpy(bits.data(), lens.data(), lens.size() * sizeof(int32_t));
            Buffer dlens(ctx.device, bits);
            Tensor tlens = dlens.view({s.B});
            tlens.dtype = DType::i32;
            // The last sequence (the shortest when ragged), every head: exact softmax in float64.
            const int64_t bl = s.B - 1;
            std::vector<double> want;
            auto check = [&] {
                if (want.empty()) {
                    auto part = [&](const std::vector<float> &t, size_t per_b) {
                        return std::vector<double>(t.begin() + bl * per_b, t.begin() + (bl + 1) * per_b);
                    };
                    want = ref::decode_attention_ref(part(q, nq / s.B), part(k, nk / s.B), part(v, nv / s.B),
                                                     {lens[size_t(bl)]}, 1, Tq, L, s.H, s.Hkv, s.K, s.V,
                                                     1.0 / std::sqrt(double(s.K)))
                               .o;
                }
                const auto got = dout.to_host();
                const size_t per_b = size_t(Tq * s.H * s.V);
                // Softmax over up to L keys in fp32, exact combine: ~1e-6; 1e-4 catches a wrong
                // partition or mask (~1e-1).
                return compare(std::vector<double>(got.begin() + bl * per_b, got.begin() + (bl + 1) * per_b), want, 1e-4,
                               fmt::format("b={} (len {}), every head", bl, lens[size_t(bl)]));
            };
            for (const std::string &variant : variants_to_run(ctx, "decode_attention")) {
                RowResult row = new_row(ctx, "decode_attention", ragged ? "ragged" : "equal",
                                        fmt::format("B{}_Tq{}_L{}_H{}_Hkv{}_K{}_V{}", s.B, Tq, L, s.H, s.Hkv, s.K, s.V),
                                        variant, decode_attention_bytes(s, total, Tq));
                row.flops = 4.0 * double(total) * double(s.H) * double(Tq) * double(s.K);
                row.reads_only = true;
                DecodeAttentionOptions opt;
                opt.stream = runner.stream();
                opt.variant = variant;
                run_row(
                    row, ctx, runner,
                    [&](int) {
                        seqmix::decode_attention(dq.view({s.B, Tq, s.H, s.K}), dk.view({s.B, L, s.Hkv, s.K}),
                                                 dv.view({s.B, L, s.Hkv, s.V}), tlens, dout.view({s.B, Tq, s.H, s.V}),
                                                 std::nullopt, opt);
                    },
                    check);
                emit(ctx, out, row);
            }
        }
    }
}

}  // namespace seqmix::bench
