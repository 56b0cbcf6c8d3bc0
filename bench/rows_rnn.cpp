// seqmix-bench: the nonlinear RNNs (issue 9).
//   lstm, gru: compute-bound rows; work = the recurrent GEMMs, 2 * B * T * H * Hd * ng*Hd flops
//     (the cell's elementwise work is O(1/Hd) of it), against the in-run sgemm ceiling. CPU peer:
//     the oneDNN-class LSTM (per-token OpenBLAS sgemm + cell, peers_rnn.cpp), same G and R.
//   pararnn: memory-bound rows (G read, y written: the sequential form's traffic), every variant:
//     the default (sequential) and the Newton bucket; extra.iterations is the Newton count, and
//     the Newton row's extra.speedup_vs_sequential its time against the sequential row's.
// Checks: b = 0 (every token, head and unit) against the float64 references of tests/reference/.
#include <algorithm>
#include <cmath>
#include <map>

#include <fmt/format.h>

#include "peers_cpu.h"
#include "reference/rnn.h"
#include "rows.h"

namespace seqmix::bench {

namespace {

struct RnnShape {
    int64_t B = 1, T = 1, H = 1, Hd = 1;
};

std::string rnn_shape_name(const RnnShape &s) {
    return fmt::format("B{}_T{}_H{}_Hd{}", s.B, s.T, s.H, s.Hd);
}

void emit(const Context &ctx, std::vector<RowResult> &out, RowResult &row) {
    if (ctx.on_row) ctx.on_row(row);
    out.push_back(std::move(row));
}

// Inputs of one RNN shape (ng gates); R ~ N(0, 1/Hd) keeps the pre-activations O(1).
struct RnnInputs {
    std::vector<float> G, R, bias;
    RnnInputs(const RnnShape &s, int64_t ng, int64_t r_cols, float r_sigma) {
        G = random_normal(size_t(s.B * s.T * s.H * ng * s.Hd), 91);
        R = random_normal(size_t(s.H * s.Hd * r_cols), 92, r_sigma);
        bias = random_normal(size_t(s.H * ng * s.Hd), 93, 0.5f);
    }
};

// The b = 0 rows of G [B,T,H,N] and y [B,T,H,Hd] (contiguous: b outermost).
std::vector<double> first_batch(const std::vector<float> &x, int64_t per_batch) {
    return std::vector<double>(x.begin(), x.begin() + per_batch);
}

void dense_rnn_rows(const Context &ctx, std::vector<RowResult> &out, bool is_lstm) {
    const char *mixer = is_lstm ? "lstm" : "gru";
    const int64_t ng = is_lstm ? 4 : 3;
    std::vector<RnnShape> shapes;
    if (ctx.quick) {
        shapes = {{2, 64, 1, 64}};
    } else if (ctx.device.type == DeviceType::cuda) {
        shapes = {{16, 1024, 1, 768}, {16, 1024, 4, 256}};
    } else {
        shapes = {{8, 4096, 1, 256}};
    }
    for (const RnnShape &s : shapes) {
        const RnnInputs in(s, ng, ng * s.Hd, 1.0f / std::sqrt(float(s.Hd)));
        const size_t ny = size_t(s.B * s.T * s.H * s.Hd);
        Buffer dG(ctx.device, in.G), dR(ctx.device, in.R), db(ctx.device, in.bias), dy(ctx.device, std::vector<float>(ny, 0.0f));
        Runner runner(ctx.device);
        std::vector<double> want;
        auto check_y = [&](const std::vector<float> &y) {
            if (want.empty()) {
                const auto G0 = first_batch(in.G, s.T * s.H * ng * s.Hd);
                want = is_lstm ? ref::lstm_ref(G0, to_double(in.R), to_double(in.bias), {}, {}, 1, s.T, s.H, s.Hd).y
                               : ref::gru_ref(G0, to_double(in.R), to_double(in.bias), {}, 1, s.T, s.H, s.Hd).y;
            }
            // Hd-term fp32 dot products and exp-based gates per step, contractive cells: ~1e-6;
            // 1e-4 catches a wrong gate or unit (~1e-1).
            return compare(first_batch(y, s.T * s.H * s.Hd), want, 1e-4, "b=0 (all t, h, units)");
        };
        std::optional<PeerResult> peer;
        if (ctx.peers && is_lstm && s.H == 1 && ctx.device.type == DeviceType::cpu) {
            std::vector<float> py(ny, 0.0f);
            PeerResult p;
            p.name = "openblas_lstm";
            p.note = "oneDNN-class LSTM: per-token OpenBLAS sgemm h[B,Hd] x R[Hd,4Hd] (all cores) + C++ -O3 cell";
            lstm_gemm(in.G.data(), in.R.data(), in.bias.data(), py.data(), s.B, s.T, s.Hd);
            if (ctx.check) p.check = check_y(py);
            p.stats = measure(ctx.protocol, [&](int) {
                return runner.time([&] { lstm_gemm(in.G.data(), in.R.data(), in.bias.data(), py.data(), s.B, s.T, s.Hd); });
            });
            peer = p;
        }
        for (const std::string &variant : variants_to_run(ctx, mixer)) {
            RowResult row = new_row(ctx, mixer, "sequence", rnn_shape_name(s), variant);
            row.flops = 2.0 * double(s.B) * double(s.T) * double(s.H) * double(s.Hd) * double(ng * s.Hd);
            RnnOptions opt;
            opt.stream = runner.stream();
            opt.variant = variant;
            const auto tG = dG.view({s.B, s.T, s.H, ng * s.Hd}), tR = dR.view({s.H, s.Hd, ng * s.Hd}),
                       tb = db.view({s.H, ng * s.Hd}), ty = dy.view({s.B, s.T, s.H, s.Hd});
            run_row(
                row, ctx, runner,
                [&](int) {
                    if (is_lstm) {
                        seqmix::lstm(tG, tR, ty, tb, std::nullopt, std::nullopt, std::nullopt, std::nullopt, opt);
                    } else {
                        seqmix::gru(tG, tR, ty, tb, std::nullopt, std::nullopt, opt);
                    }
                },
                [&] { return check_y(dy.to_host()); });
            if (peer && row.status == "ok") {
                PeerResult p = *peer;
                if (row.stats.median_ms > 0) p.speedup = p.stats.median_ms / row.stats.median_ms;
                row.peers.push_back(p);
            }
            emit(ctx, out, row);
        }
    }
}

}  // namespace

void lstm_rows(const Context &ctx, std::vector<RowResult> &out) {
    dense_rnn_rows(ctx, out, true);
}

void gru_rows(const Context &ctx, std::vector<RowResult> &out) {
    dense_rnn_rows(ctx, out, false);
}

void pararnn_rows(const Context &ctx, std::vector<RowResult> &out) {
    struct Case {
        RnnShape s;
        bool is_lstm;
    };
    std::vector<Case> cases;
    if (ctx.quick) {
        cases = {{{1, 512, 1, 32}, false}};
    } else {
        for (int64_t T : {4096, 16384}) {
            cases.push_back({{1, T, 1, 64}, false});  // few units: where Newton can pay
            cases.push_back({{1, T, 1, 64}, true});
            cases.push_back({{4, T, 4, 128}, false});  // units enough to fill the machine
        }
    }
    for (const Case &k : cases) {
        const RnnShape &s = k.s;
        const int64_t ng = k.is_lstm ? 4 : 3;
        const RnnInputs in(s, ng, ng, 0.5f);
        const size_t ny = size_t(s.B * s.T * s.H * s.Hd);
        Buffer dG(ctx.device, in.G), dR(ctx.device, in.R), db(ctx.device, in.bias), dy(ctx.device, std::vector<float>(ny, 0.0f));
        Runner runner(ctx.device);
        std::vector<double> want;
        auto check = [&] {
            if (want.empty()) {
                const auto G0 = first_batch(in.G, s.T * s.H * ng * s.Hd);
                const auto R = ref::diagonal_to_dense(to_double(in.R), s.H, s.Hd, ng);
                want = k.is_lstm ? ref::lstm_ref(G0, R, to_double(in.bias), {}, {}, 1, s.T, s.H, s.Hd).y
                                 : ref::gru_ref(G0, R, to_double(in.bias), {}, 1, s.T, s.H, s.Hd).y;
            }
            // One-term recurrences; Newton stops at max |update| < 1e-6: 1e-4 catches any real error.
            return compare(first_batch(dy.to_host(), s.T * s.H * s.Hd), want, 1e-4, "b=0 (all t, h, units)");
        };
        const std::string shape = std::string(k.is_lstm ? "lstm_" : "gru_") + rnn_shape_name(s);
        std::map<std::string, double> sequential_ms;
        // The sequential (default) variants first, so that each Newton row can report its
        // speed-up over the sequential row of its target.
        std::vector<std::string> variants = variants_to_run(ctx, "pararnn");
        std::stable_partition(variants.begin(), variants.end(),
                              [](const std::string &v) { return v.find("newton") == std::string::npos; });
        for (const std::string &variant : variants) {
            RowResult row = new_row(ctx, "pararnn", "sequence", shape, variant);
            row.memory_bound = true;
            row.bytes = 4.0 * double(s.B * s.T * s.H) * double((ng + 1) * s.Hd);
            ParaRnnOptions opt;
            opt.stream = runner.stream();
            opt.variant = variant;
            opt.cell = k.is_lstm ? RnnCell::lstm : RnnCell::gru;
            opt.tol = 1e-6f;
            opt.max_iters = 1000;
            const auto tG = dG.view({s.B, s.T, s.H, ng * s.Hd}), tR = dR.view({s.H, s.Hd, ng}),
                       tb = db.view({s.H, ng * s.Hd}), ty = dy.view({s.B, s.T, s.H, s.Hd});
            // The first call (run_row's untimed one) gives the iteration count; run_row's graph
            // capture also calls the lambda, and there the count is meaningless. A Newton loop reads
            // each iteration's error on the host, which a stream capture does not run: no graph
            // replay for it (capturing it once left a later row's call to crash).
            ParaRnnInfo info;
            bool first = true;
            run_row(
                row, ctx, runner,
                [&](int) {
                    const ParaRnnInfo r =
                        seqmix::pararnn(tG, tR, ty, tb, std::nullopt, std::nullopt, std::nullopt, std::nullopt, opt);
                    if (!first) return;
                    first = false;
                    info = r;
                    if (seqmix::last_variant().find("newton") != std::string::npos) {
                        row.no_graph = "not captured: the Newton loop reads each iteration's error on the host";
                    }
                },
                check);
            row.extra["iterations"] = info.iterations;
            row.extra["converged"] = info.converged;
            const bool newton = row.variant.find("newton") != std::string::npos;
            if (row.status == "ok" && !newton) sequential_ms[row.target] = row.stats.median_ms;
            if (row.status == "ok" && newton && sequential_ms.count(row.target) && row.stats.median_ms > 0) {
                row.extra["speedup_vs_sequential"] = sequential_ms[row.target] / row.stats.median_ms;
            }
            emit(ctx, out, row);
        }
    }
}

}  // namespace seqmix::bench
