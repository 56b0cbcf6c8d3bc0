// seqmix-bench: rows of the scalar-decay family (linear_attn, retention, simple_gla and their step
// forms), as gla's rows: the chunked form is compute-bound (work = scalar_decay_flops at the fixed
// reference chunk 64), the step memory-bound (work = scalar_decay_step_bytes) with cold caches.
// No CPU peer yet (gla's recurrent loop has a per-channel gate).
#include <cmath>
#include <memory>

#include <fmt/format.h>

#include "reference/scalar_decay.h"
#include "rows.h"

namespace seqmix::bench {

namespace {

bool has_gate(const std::string &mixer) {
    return mixer == "simple_gla" || mixer == "simple_gla_step";
}

// The float64 recurrence of `mixer` (g [B,T,H] read by simple_gla only).
ref::RecurrenceResult reference_of(const std::string &mixer, const std::vector<double> &q, const std::vector<double> &k,
                                   const std::vector<double> &v, const std::vector<double> &g,
                                   const std::vector<double> &s0, int64_t B, int64_t T, int64_t H, int64_t K,
                                   int64_t V, double scale) {
    if (mixer == "linear_attn") return ref::linear_attn_ref(q, k, v, s0, B, T, H, K, V, scale);
    if (mixer == "retention") return ref::retention_ref(q, k, v, s0, B, T, H, K, V, scale);
    return ref::simple_gla_ref(q, k, v, g, s0, B, T, H, K, V, scale);
}

// [B,T,H] -> elements b < nb, h < nh, all t.
std::vector<double> slice_bth(const std::vector<float> &x, int64_t B, int64_t T, int64_t H, int64_t nb, int64_t nh) {
    std::vector<double> out;
    for (int64_t b = 0; b < nb && b < B; b++)
        for (int64_t t = 0; t < T; t++)
            for (int64_t h = 0; h < nh; h++) out.push_back(x[size_t((b * T + t) * H + h)]);
    return out;
}

}  // namespace

void scalar_decay_rows(const Context &ctx, const std::string &mixer, std::vector<RowResult> &out) {
    std::vector<Shape> shapes;
    if (ctx.quick) {
        shapes = {{1, 256, 256, 2, 2, 64, 64}};
    } else if (ctx.device.type == DeviceType::cuda) {
        shapes = {{4, 4096, 4096, 16, 16, 64, 64}};
    } else {
        shapes = {{1, 4096, 4096, 8, 8, 64, 64}};
    }
    for (const Shape &s : shapes) {
        const size_t nk = size_t(s.B * s.T * s.H * s.K), nv = size_t(s.B * s.T * s.H * s.V);
        const size_t ng = size_t(s.B * s.T * s.H);
        const auto q = random_normal(nk, 11), k = random_normal(nk, 12, 1.0f / std::sqrt(float(s.K)));
        const auto v = random_normal(nv, 13);
        const auto g = random_log_gates(ng, 14);
        const float scale = 1.0f / std::sqrt(float(s.K));
        Buffer dq(ctx.device, q), dk(ctx.device, k), dv(ctx.device, v), dg(ctx.device, g),
            dout(ctx.device, std::vector<float>(nv, 0.0f));
        Runner runner(ctx.device);

        // Heads are independent: check the first batch and up to 4 heads, the whole sequence.
        const int64_t nb = 1, nh = std::min<int64_t>(s.H, 4);
        const bool full = nb == s.B && nh == s.H;
        const std::string subset = full ? "all" : fmt::format("b=0, heads 0..{}, all {} tokens", nh - 1, s.T);
        std::vector<double> want;
        auto reference = [&]() -> const std::vector<double> & {
            if (want.empty()) {
                want = reference_of(mixer, slice_bthd(q, s.B, s.T, s.H, s.K, nb, 0, s.T, nh),
                                    slice_bthd(k, s.B, s.T, s.H, s.K, nb, 0, s.T, nh),
                                    slice_bthd(v, s.B, s.T, s.H, s.V, nb, 0, s.T, nh),
                                    slice_bth(g, s.B, s.T, s.H, nb, nh), {}, nb, s.T, nh, s.K, s.V, scale)
                           .o;
            }
            return want;
        };
        // As gla's rows: ~1e-5 typical in fp32 (linear attention's undecayed sums included);
        // 1e-3 still catches a wrong mask or gate.
        const double tol = 1e-3;
        auto check_out = [&](const Buffer &o) {
            return compare(slice_bthd(o.to_host(), s.B, s.T, s.H, s.V, nb, 0, s.T, nh), reference(), tol, subset);
        };

        for (const std::string &variant : variants_to_run(ctx, mixer)) {
            RowResult row = new_row(ctx, mixer, "chunked", shape_name(s), variant);
            row.flops = scalar_decay_flops(s);
            RecurrenceOptions opt;
            opt.stream = runner.stream();
            opt.variant = variant;
            auto tq = dq.view({s.B, s.T, s.H, s.K}), tk = dk.view({s.B, s.T, s.H, s.K}),
                 tv = dv.view({s.B, s.T, s.H, s.V}), tg = dg.view({s.B, s.T, s.H}),
                 to = dout.view({s.B, s.T, s.H, s.V});
            run_row(
                row, ctx, runner,
                [&](int) {
                    if (mixer == "linear_attn") {
                        seqmix::linear_attn(tq, tk, tv, to, std::nullopt, std::nullopt, opt);
                    } else if (mixer == "retention") {
                        seqmix::retention(tq, tk, tv, to, std::nullopt, std::nullopt, opt);
                    } else {
                        seqmix::simple_gla(tq, tk, tv, tg, to, std::nullopt, std::nullopt, opt);
                    }
                },
                [&] { return check_out(dout); });
            if (ctx.on_row) ctx.on_row(row);
            out.push_back(std::move(row));
        }
    }
}

void scalar_decay_step_rows(const Context &ctx, const std::string &mixer, std::vector<RowResult> &out) {
    const Shape s = ctx.quick                               ? Shape{4, 1, 1, 2, 2, 64, 64}
                    : ctx.device.type == DeviceType::cuda ? Shape{64, 1, 1, 16, 16, 64, 64}
                                                          : Shape{64, 1, 1, 8, 8, 64, 64};
    const bool gated = has_gate(mixer);
    const size_t nk = size_t(s.B * s.H * s.K), nv = size_t(s.B * s.H * s.V), ns = size_t(s.B * s.H * s.K * s.V);
    const size_t ng = size_t(s.B * s.H);
    const auto q = random_normal(nk, 21), k = random_normal(nk, 22, 1.0f / std::sqrt(float(s.K)));
    const auto v = random_normal(nv, 23);
    const auto g = random_log_gates(ng, 24);
    const auto state = random_normal(ns, 25, 0.5f);
    const float scale = 1.0f / std::sqrt(float(s.K));

    // Cold caches: `sets` copies of every buffer at distinct addresses, together > 2x the cache.
    Protocol protocol = ctx.protocol;
    protocol.cache = "rotate";
    protocol.cache_bytes = cache_bytes(ctx);
    protocol.sets = rotation_sets(scalar_decay_step_bytes(s, gated), protocol.cache_bytes);
    struct Set {
        Buffer q, k, v, g, state, o, new_state;
    };
    std::vector<std::unique_ptr<Set>> sets;
    for (int i = 0; i < protocol.sets; i++) {
        sets.push_back(std::make_unique<Set>(Set{Buffer(ctx.device, q), Buffer(ctx.device, k), Buffer(ctx.device, v),
                                                 Buffer(ctx.device, g), Buffer(ctx.device, state),
                                                 Buffer(ctx.device, std::vector<float>(nv, 0.0f)),
                                                 Buffer(ctx.device, std::vector<float>(ns, 0.0f))}));
    }
    Runner runner(ctx.device);

    const std::string base = mixer.substr(0, mixer.size() - 5);  // without "_step"
    ref::RecurrenceResult want;
    auto reference = [&]() -> const ref::RecurrenceResult & {
        if (want.o.empty())
            want = reference_of(base, to_double(q), to_double(k), to_double(v), to_double(g), to_double(state), s.B, 1,
                                s.H, s.K, s.V, scale);
        return want;
    };
    // One step in fp32: a K-term dot product per output; 1e-5 is ~100 ulp of headroom.
    const double tol = 1e-5;
    auto check_set = [&](const Set &set) {
        Check c = compare(to_double(set.o.to_host()), reference().o, tol, "all (o)");
        Check st = compare(to_double(set.new_state.to_host()), reference().final_state, tol, "all (new_state)");
        c.subset = "all (o and new_state)";
        c.rel_rms = std::max(c.rel_rms, st.rel_rms);
        c.max_abs = std::max(c.max_abs, st.max_abs);
        c.ok = c.ok && st.ok;
        return c;
    };

    for (const std::string &variant : variants_to_run(ctx, mixer)) {
        RowResult row = new_row(ctx, mixer, "step", shape_name(s, true), variant);
        row.protocol = protocol;
        row.memory_bound = true;
        row.bytes = scalar_decay_step_bytes(s, gated);
        row.flops = scalar_decay_step_flops(s);
        RecurrenceOptions opt;
        opt.stream = runner.stream();
        opt.variant = variant;
        run_row(
            row, ctx, runner,
            [&](int i) {
                Set &set = *sets[size_t(i % protocol.sets)];
                auto tq = set.q.view({s.B, s.H, s.K}), tk = set.k.view({s.B, s.H, s.K}),
                     tv = set.v.view({s.B, s.H, s.V}), tg = set.g.view({s.B, s.H});
                auto ts = set.state.view({s.B, s.H, s.K, s.V}), to = set.o.view({s.B, s.H, s.V}),
                     tn = set.new_state.view({s.B, s.H, s.K, s.V});
                if (base == "linear_attn") {
                    seqmix::linear_attn_step(tq, tk, tv, ts, to, tn, opt);
                } else if (base == "retention") {
                    seqmix::retention_step(tq, tk, tv, ts, to, tn, opt);
                } else {
                    seqmix::simple_gla_step(tq, tk, tv, tg, ts, to, tn, opt);
                }
            },
            [&] { return check_set(*sets[0]); });
        if (ctx.on_row) ctx.on_row(row);
        out.push_back(std::move(row));
    }
}

}  // namespace seqmix::bench
