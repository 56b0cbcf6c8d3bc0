// seqmix-bench: GLA rows. Chunked form (compute-bound; work = gla_flops at the fixed reference
// chunk 64) with the token-by-token recurrent loop as CPU peer, and the decode step (memory-bound;
// work = gla_step_bytes) with cold caches: calls rotate over enough distinct buffer sets to
// exceed twice the CPU's LLC or the GPU's L2, so every call streams its state from memory.
#include <cmath>
#include <memory>

#include <fmt/format.h>

#include "peers_cpu.h"
#include "reference_adapter.h"
#include "rows.h"

namespace seqmix::bench {

namespace {

// Times the CPU recurrent peer on the same inputs and checks it against the same reference.
PeerResult recurrent_peer(const Context &ctx, const Protocol &protocol, const std::function<void(int)> &call,
                          const std::function<Check()> &check) {
    PeerResult p;
    p.name = "recurrent_cpp";
    p.note = "token-by-token GLA loop (ggml-style), plain C++ -O3, x86-64-v4/v3 clones, heads over all cores";
    Runner runner(Device::cpu());
    call(0);
    if (ctx.check) p.check = check();
    p.stats = measure(protocol, [&](int i) { return runner.time([&] { call(i); }); });
    return p;
}

void attach_peer(RowResult &row, const PeerResult &peer) {
    PeerResult p = peer;
    if (row.stats.median_ms > 0) p.speedup = p.stats.median_ms / row.stats.median_ms;
    row.peers.push_back(p);
}

}  // namespace

void gla_rows(const Context &ctx, std::vector<RowResult> &out) {
    std::vector<Shape> shapes;
    if (ctx.quick) {
        shapes = {{1, 256, 256, 2, 2, 64, 64}};
    } else {
        shapes = {{1, 4096, 4096, 8, 8, 64, 64}};
        if (ctx.device.type == DeviceType::cuda) shapes.push_back({4, 4096, 4096, 16, 16, 64, 64});
    }
    for (const Shape &s : shapes) {
        const size_t nk = size_t(s.B * s.T * s.H * s.K), nv = size_t(s.B * s.T * s.H * s.V);
        const auto q = random_normal(nk, 11), k = random_normal(nk, 12), v = random_normal(nv, 13);
        const auto g = random_log_gates(nk, 14);
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
                Shape r{nb, s.T, s.T, nh, nh, s.K, s.V};
                want = reference::gla(slice_bthd(q, s.B, s.T, s.H, s.K, nb, 0, s.T, nh),
                                      slice_bthd(k, s.B, s.T, s.H, s.K, nb, 0, s.T, nh),
                                      slice_bthd(v, s.B, s.T, s.H, s.V, nb, 0, s.T, nh),
                                      slice_bthd(g, s.B, s.T, s.H, s.K, nb, 0, s.T, nh), {}, r, scale);
            }
            return want;
        };
        // fp32 chunked GLA sums over long decayed histories with relative gate exponents:
        // ~1e-5 typical; 1e-3 still catches a wrong mask or gate (~1e-1).
        const double tol = 1e-3;
        auto check_out = [&](const Buffer &o) {
            return compare(slice_bthd(o.to_host(), s.B, s.T, s.H, s.V, nb, 0, s.T, nh), reference(), tol, subset);
        };

        std::optional<PeerResult> peer;
        if (ctx.peers && ctx.device.type == DeviceType::cpu) {
            Buffer po(Device::cpu(), std::vector<float>(nv, 0.0f));
            peer = recurrent_peer(
                ctx, ctx.protocol,
                [&](int) {
                    gla_recurrent(q.data(), k.data(), v.data(), g.data(), nullptr, nullptr, po.data(), s.B, s.T, s.H,
                                  s.K, s.V, scale, ctx.machine->cores);
                },
                [&] { return check_out(po); });
        }

        for (const std::string &variant : variants_to_run(ctx, "gla")) {
            RowResult row = new_row(ctx, "gla", "chunked", shape_name(s), variant);
            row.flops = gla_flops(s);
            GlaOptions opt;
            opt.stream = runner.stream();
            opt.variant = variant;
            auto tq = dq.view({s.B, s.T, s.H, s.K}), tk = dk.view({s.B, s.T, s.H, s.K}),
                 tv = dv.view({s.B, s.T, s.H, s.V}), tg = dg.view({s.B, s.T, s.H, s.K}),
                 to = dout.view({s.B, s.T, s.H, s.V});
            run_row(
                row, ctx, runner, [&](int) { seqmix::gla(tq, tk, tv, tg, to, std::nullopt, std::nullopt, opt); },
                [&] { return check_out(dout); });
            if (peer && row.status == "ok") attach_peer(row, *peer);
            if (ctx.on_row) ctx.on_row(row);
            out.push_back(std::move(row));
        }
    }
}

void gla_step_rows(const Context &ctx, std::vector<RowResult> &out) {
    const Shape s = ctx.quick ? Shape{4, 1, 1, 2, 2, 64, 64} : Shape{64, 1, 1, 8, 8, 64, 64};
    const size_t nk = size_t(s.B * s.H * s.K), nv = size_t(s.B * s.H * s.V), ns = size_t(s.B * s.H * s.K * s.V);
    const auto q = random_normal(nk, 21), k = random_normal(nk, 22), v = random_normal(nv, 23);
    const auto g = random_log_gates(nk, 24);
    const auto state = random_normal(ns, 25, 0.5f);
    const float scale = 1.0f / std::sqrt(float(s.K));

    // Cold caches: `sets` copies of every buffer at distinct addresses, together > 2x the cache.
    Protocol protocol = ctx.protocol;
    protocol.cache = "rotate";
    protocol.cache_bytes = cache_bytes(ctx);
    protocol.sets = rotation_sets(gla_step_bytes(s), protocol.cache_bytes);
    struct Set {
        Buffer q, k, v, g, state, o, new_state;
    };
    auto make_sets = [&](Device d) {
        std::vector<std::unique_ptr<Set>> sets;
        for (int i = 0; i < protocol.sets; i++) {
            sets.push_back(std::make_unique<Set>(Set{Buffer(d, q), Buffer(d, k), Buffer(d, v), Buffer(d, g),
                                                     Buffer(d, state), Buffer(d, std::vector<float>(nv, 0.0f)),
                                                     Buffer(d, std::vector<float>(ns, 0.0f))}));
        }
        return sets;
    };
    auto sets = make_sets(ctx.device);
    Runner runner(ctx.device);

    reference::StepResult want;
    auto reference = [&]() -> const reference::StepResult & {
        if (want.o.empty())
            want = reference::gla_step(to_double(q), to_double(k), to_double(v), to_double(g), to_double(state), s,
                                       scale);
        return want;
    };
    // One step in fp32: a K-term dot product per output; 1e-5 is ~100 ulp of headroom.
    const double tol = 1e-5;
    auto check_set = [&](const Set &set) {
        Check c = compare(to_double(set.o.to_host()), reference().o, tol, "all (o)");
        Check st = compare(to_double(set.new_state.to_host()), reference().new_state, tol, "all (new_state)");
        c.subset = "all (o and new_state)";
        c.rel_rms = std::max(c.rel_rms, st.rel_rms);
        c.max_abs = std::max(c.max_abs, st.max_abs);
        c.ok = c.ok && st.ok;
        return c;
    };

    std::optional<PeerResult> peer;
    if (ctx.peers && ctx.device.type == DeviceType::cpu) {
        peer = recurrent_peer(
            ctx, protocol,
            [&](int i) {
                Set &set = *sets[size_t(i % protocol.sets)];
                gla_recurrent(set.q.data(), set.k.data(), set.v.data(), set.g.data(), set.state.data(),
                              set.new_state.data(), set.o.data(), s.B, 1, s.H, s.K, s.V, scale, ctx.machine->cores);
            },
            [&] { return check_set(*sets[0]); });
        peer->note = "one recurrent step per call (plain C++, threads started per call), same cold-cache rotation";
    }

    for (const std::string &variant : variants_to_run(ctx, "gla_step")) {
        RowResult row = new_row(ctx, "gla_step", "step", shape_name(s, true), variant);
        row.protocol = protocol;
        row.memory_bound = true;
        row.bytes = gla_step_bytes(s);
        row.flops = gla_step_flops(s);
        GlaOptions opt;
        opt.stream = runner.stream();
        opt.variant = variant;
        run_row(
            row, ctx, runner,
            [&](int i) {
                Set &set = *sets[size_t(i % protocol.sets)];
                seqmix::gla_step(set.q.view({s.B, s.H, s.K}), set.k.view({s.B, s.H, s.K}), set.v.view({s.B, s.H, s.V}),
                                 set.g.view({s.B, s.H, s.K}), set.state.view({s.B, s.H, s.K, s.V}),
                                 set.o.view({s.B, s.H, s.V}), set.new_state.view({s.B, s.H, s.K, s.V}), opt);
            },
            [&] { return check_set(*sets[0]); });
        if (peer && row.status == "ok") attach_peer(row, *peer);
        if (ctx.on_row) ctx.on_row(row);
        out.push_back(std::move(row));
    }
}

}  // namespace seqmix::bench
