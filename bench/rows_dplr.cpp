// seqmix-bench: rows of the delta-rule mixers and RWKV-7 (delta_rule, gated_delta_rule, kda,
// gated_delta_rule2, rwkv7 and each _step). Chunked form: compute-bound, work = dplr_flops (the
// WY/UT chunked algorithm's MACs at the fixed reference chunk 64, counts.h); checked against the
// float64 recurrence (tests/reference/delta.cpp) on batch 0 and up to 4 heads. Step form:
// memory-bound, work = dplr_step_bytes, cold caches as gla_step's rows (calls rotate over buffer
// sets > 2x the LLC / L2). No CPU peer yet.
// Inputs: q ~ N(0,1), k unit rows (qk_l2norm off), v ~ N(0,1), beta / b / w = sigmoid(N(0,1)),
// log gates as fla's tests; RWKV-7 a = -kappa, b = kappa * lr (kappa a unit vector), k ~ N(0,1/K).
#include <cmath>
#include <memory>

#include <fmt/format.h>

#include "reference/delta.h"
#include "rows.h"

namespace seqmix::bench {

namespace {

std::vector<float> unit_rows(std::vector<float> x, int64_t n) {
    for (size_t r = 0; r < x.size() / size_t(n); r++) {
        double ss = 0;
        for (int64_t i = 0; i < n; i++) ss += double(x[r * n + i]) * x[r * n + i];
        for (int64_t i = 0; i < n; i++) x[r * n + i] = float(x[r * n + i] / std::sqrt(ss));
    }
    return x;
}

std::vector<float> sigmoid_of_normal(size_t n, unsigned seed) {
    auto x = random_normal(n, seed);
    for (auto &v : x) v = 1.0f / (1.0f + std::exp(-v));
    return x;
}

// One mixer's inputs in the API's order, with the per-token element count of each (K, V or 1).
struct Input {
    std::string name;
    int64_t width;  // elements per (b, t, h)
    std::vector<float> values;
};

std::vector<Input> make_inputs(const std::string &m, const Shape &s, int64_t tokens) {
    const size_t n = size_t(tokens * s.H), nk = n * s.K, nv = n * s.V;
    std::vector<Input> in;
    if (m == "rwkv7") {
        const auto kappa = unit_rows(random_normal(nk, 31), s.K);
        const auto lr = sigmoid_of_normal(nk, 32);
        std::vector<float> a(nk), b(nk);
        for (size_t i = 0; i < nk; i++) a[i] = -kappa[i], b[i] = kappa[i] * lr[i];
        in = {{"r", s.K, random_normal(nk, 33)},
              {"w", s.K, random_log_gates(nk, 34)},
              {"k", s.K, random_normal(nk, 35, 1.0f / std::sqrt(float(s.K)))},
              {"v", s.V, random_normal(nv, 36)},
              {"a", s.K, a},
              {"b", s.K, b}};
        return in;
    }
    in = {{"q", s.K, random_normal(nk, 41)}, {"k", s.K, unit_rows(random_normal(nk, 42), s.K)},
          {"v", s.V, random_normal(nv, 43)}};
    if (m == "gated_delta_rule") in.push_back({"g", 1, random_log_gates(n, 44)});
    if (m == "kda" || m == "gated_delta_rule2") in.push_back({"g", s.K, random_log_gates(nk, 44)});
    if (m == "gated_delta_rule2") {
        in.push_back({"b", s.K, sigmoid_of_normal(nk, 45)});
        in.push_back({"w", s.V, sigmoid_of_normal(nv, 46)});
    } else {
        in.push_back({"beta", 1, sigmoid_of_normal(n, 47)});
    }
    return in;
}

double scale_of(const std::string &m, const Shape &s) {
    return m == "rwkv7" ? 1.0 : 1.0 / std::sqrt(double(s.K));
}

ref::DeltaResult reference(const std::string &m, const std::vector<std::vector<double>> &x,
                           const std::vector<double> &s0, ref::DeltaShape s, double scale) {
    if (m == "delta_rule") return ref::delta_rule_ref(x[0], x[1], x[2], x[3], s0, s, scale, false);
    if (m == "gated_delta_rule") return ref::gated_delta_rule_ref(x[0], x[1], x[2], x[3], x[4], s0, s, scale, false);
    if (m == "kda") return ref::kda_ref(x[0], x[1], x[2], x[3], x[4], s0, s, scale, false);
    if (m == "gated_delta_rule2")
        return ref::gated_delta_rule2_ref(x[0], x[1], x[2], x[3], x[4], x[5], s0, s, scale, false);
    return ref::rwkv7_ref(x[0], x[1], x[2], x[3], x[4], x[5], s0, s, scale);
}

// The tensor shape of an input: [B,T,H,width] or [B,T,H] (step: without T).
std::vector<int64_t> shape_of(const Shape &s, int64_t width, bool step) {
    std::vector<int64_t> sh{s.B};
    if (!step) sh.push_back(s.T);
    sh.push_back(s.H);
    if (width != 1) sh.push_back(width);
    return sh;
}

void call_mixer(const std::string &m, bool step, const std::vector<Tensor> &t, const std::optional<Tensor> &state,
                const Tensor &o, const std::optional<Tensor> &out_state, void *stream, const std::string &variant) {
    if (m == "rwkv7") {
        Rwkv7Options opt;
        opt.stream = stream;
        opt.variant = variant;
        if (step) {
            seqmix::rwkv7_step(t[0], t[1], t[2], t[3], t[4], t[5], *state, o, *out_state, opt);
        } else {
            seqmix::rwkv7(t[0], t[1], t[2], t[3], t[4], t[5], o, state, out_state, opt);
        }
        return;
    }
    DeltaRuleOptions opt;
    opt.stream = stream;
    opt.variant = variant;
    if (m == "delta_rule") {
        if (step) {
            seqmix::delta_rule_step(t[0], t[1], t[2], t[3], *state, o, *out_state, opt);
        } else {
            seqmix::delta_rule(t[0], t[1], t[2], t[3], o, state, out_state, opt);
        }
    } else if (m == "gated_delta_rule") {
        if (step) {
            seqmix::gated_delta_rule_step(t[0], t[1], t[2], t[3], t[4], *state, o, *out_state, opt);
        } else {
            seqmix::gated_delta_rule(t[0], t[1], t[2], t[3], t[4], o, state, out_state, opt);
        }
    } else if (m == "kda") {
        if (step) {
            seqmix::kda_step(t[0], t[1], t[2], t[3], t[4], *state, o, *out_state, opt);
        } else {
            seqmix::kda(t[0], t[1], t[2], t[3], t[4], o, state, out_state, opt);
        }
    } else {
        if (step) {
            seqmix::gated_delta_rule2_step(t[0], t[1], t[2], t[3], t[4], t[5], *state, o, *out_state, opt);
        } else {
            seqmix::gated_delta_rule2(t[0], t[1], t[2], t[3], t[4], t[5], o, state, out_state, opt);
        }
    }
}

}  // namespace

void dplr_rows(const Context &ctx, std::vector<RowResult> &out, const std::string &mixer) {
    std::vector<Shape> shapes;
    if (ctx.quick) {
        shapes = {{1, 256, 256, 2, 2, 64, 64}};
    } else {
        shapes = {{1, 4096, 4096, 8, 8, 64, 64}};
        if (ctx.device.type == DeviceType::cuda) shapes.push_back({4, 4096, 4096, 16, 16, 64, 64});
    }
    for (const Shape &s : shapes) {
        const std::vector<Input> in = make_inputs(mixer, s, s.B * s.T);
        std::vector<std::unique_ptr<Buffer>> dev;
        for (const Input &x : in) dev.push_back(std::make_unique<Buffer>(ctx.device, x.values));
        Buffer dout(ctx.device, std::vector<float>(size_t(s.B * s.T * s.H * s.V), 0.0f));
        Runner runner(ctx.device);

        const int64_t nb = 1, nh = std::min<int64_t>(s.H, 4);
        const bool full = nb == s.B && nh == s.H;
        const std::string subset = full ? "all" : fmt::format("b=0, heads 0..{}, all {} tokens", nh - 1, s.T);
        std::vector<double> want;
        auto check_out = [&]() {
            if (want.empty()) {
                std::vector<std::vector<double>> x;
                for (const Input &i : in) x.push_back(slice_bthd(i.values, s.B, s.T, s.H, i.width, nb, 0, s.T, nh));
                want = reference(mixer, x, {}, {nb, s.T, nh, s.K, s.V}, scale_of(mixer, s)).o;
            }
            // fp32 chunked WY form over 4096 tokens: ~1e-5 typical; 1e-3 still catches a wrong
            // mask, gate or missing term (~1e-1).
            return compare(slice_bthd(dout.to_host(), s.B, s.T, s.H, s.V, nb, 0, s.T, nh), want, 1e-3, subset);
        };

        for (const std::string &variant : variants_to_run(ctx, mixer)) {
            RowResult row = new_row(ctx, mixer, "chunked", shape_name(s), variant);
            row.flops = dplr_flops(s, mixer == "rwkv7");
            std::vector<Tensor> t;
            for (size_t i = 0; i < in.size(); i++) t.push_back(dev[i]->view(shape_of(s, in[i].width, false)));
            const Tensor to = dout.view({s.B, s.T, s.H, s.V});
            run_row(
                row, ctx, runner,
                [&](int) { call_mixer(mixer, false, t, std::nullopt, to, std::nullopt, runner.stream(), variant); },
                check_out);
            if (ctx.on_row) ctx.on_row(row);
            out.push_back(std::move(row));
        }
    }
}

void dplr_step_rows(const Context &ctx, std::vector<RowResult> &out, const std::string &mixer) {
    const std::string base = mixer.substr(0, mixer.size() - 5);  // without "_step"
    const Shape s = ctx.quick ? Shape{4, 1, 1, 2, 2, 64, 64} : Shape{64, 1, 1, 8, 8, 64, 64};
    const std::vector<Input> in = make_inputs(base, s, s.B);
    const size_t nv = size_t(s.B * s.H * s.V), ns = size_t(s.B * s.H * s.K * s.V);
    const auto state = random_normal(ns, 51, 0.5f);
    const double scale = scale_of(base, s);
    int64_t k_inputs = 0, v_inputs = 0, scalar_inputs = 0;
    for (const Input &x : in) (x.width == s.K ? k_inputs : x.width == s.V ? v_inputs : scalar_inputs)++;
    if (s.K == s.V) {  // classify by name when K == V
        k_inputs = v_inputs = 0;
        for (const Input &x : in) {
            if (x.width == 1) continue;
            (x.name == "v" || (x.name == "w" && base == "gated_delta_rule2") ? v_inputs : k_inputs)++;
        }
    }
    const double bytes = dplr_step_bytes(s, k_inputs, v_inputs, scalar_inputs);

    Protocol protocol = ctx.protocol;
    protocol.cache = "rotate";
    protocol.cache_bytes = cache_bytes(ctx);
    protocol.sets = rotation_sets(bytes, protocol.cache_bytes);
    struct Set {
        std::vector<std::unique_ptr<Buffer>> in;
        std::unique_ptr<Buffer> state, o, new_state;
    };
    std::vector<Set> sets;
    for (int i = 0; i < protocol.sets; i++) {
        Set set;
        for (const Input &x : in) set.in.push_back(std::make_unique<Buffer>(ctx.device, x.values));
        set.state = std::make_unique<Buffer>(ctx.device, state);
        set.o = std::make_unique<Buffer>(ctx.device, std::vector<float>(nv, 0.0f));
        set.new_state = std::make_unique<Buffer>(ctx.device, std::vector<float>(ns, 0.0f));
        sets.push_back(std::move(set));
    }
    Runner runner(ctx.device);

    ref::DeltaResult want;
    auto check_set = [&](const Set &set) {
        if (want.o.empty()) {
            std::vector<std::vector<double>> x;
            for (const Input &i : in) x.push_back(to_double(i.values));
            want = reference(base, x, to_double(state), {s.B, 1, s.H, s.K, s.V}, scale);
        }
        // One step in fp32: two K-term reductions per output; 1e-5 is ~100 ulp of headroom.
        Check c = compare(to_double(set.o->to_host()), want.o, 1e-5, "all (o)");
        Check st = compare(to_double(set.new_state->to_host()), want.final_state, 1e-5, "all (new_state)");
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
        row.bytes = bytes;
        row.flops = dplr_step_flops(s);
        run_row(
            row, ctx, runner,
            [&](int i) {
                Set &set = sets[size_t(i % protocol.sets)];
                std::vector<Tensor> t;
                for (size_t j = 0; j < in.size(); j++) t.push_back(set.in[j]->view(shape_of(s, in[j].width, true)));
                call_mixer(base, true, t, set.state->view({s.B, s.H, s.K, s.V}), set.o->view({s.B, s.H, s.V}),
                           set.new_state->view({s.B, s.H, s.K, s.V}), runner.stream(), variant);
            },
            [&] { return check_set(sets[0]); });
        if (ctx.on_row) ctx.on_row(row);
        out.push_back(std::move(row));
    }
}

}  // namespace seqmix::bench
