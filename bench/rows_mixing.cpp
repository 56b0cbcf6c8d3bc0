// seqmix-bench: structured and dense token mixing (issue 9), both compute-bound, GFLOP/s of their
// fixed flop counts (counts.h) against the in-run sgemm ceiling:
//   monarch (channel axis) and monarch_seq (sequence axis): two block-diagonal passes;
//   token_mix: a GEMM per batch row, beside OpenBLAS cblas_sgemm doing the same products in the
//   same run (the target: >= 0.7 of it). The causal row has no peer: BLAS has no
//   lower-triangular GEMM that skips the zero half (strtrmm works in place).
// Checks: against the float64 references of tests/reference/ on a subset named in each row.
#include <cmath>

#include <cblas.h>
#include <fmt/format.h>

#include "reference/monarch.h"
#include "reference/token_mix.h"
#include "rows.h"

namespace seqmix::bench {

namespace {

void emit(const Context &ctx, std::vector<RowResult> &out, RowResult &row) {
    if (ctx.on_row) ctx.on_row(row);
    out.push_back(std::move(row));
}

}  // namespace

void monarch_rows(const Context &ctx, std::vector<RowResult> &out, bool sequence_axis) {
    const char *mixer = sequence_axis ? "monarch_seq" : "monarch";
    // M2-BERT-like widths: channel mixing at C = 1024 (m = 32), sequence mixing at T = 4096 (m = 64).
    // CUDA: 4x the batch (bench/peers/mixing_peers.py times the same shapes).
    MixShape s = sequence_axis ? MixShape{4, 4096, 256} : MixShape{4, 2048, 1024};
    if (ctx.device.type == DeviceType::cuda) s.B = 16;
    if (ctx.quick) s = sequence_axis ? MixShape{1, 256, 64} : MixShape{1, 64, 256};
    const int64_t n = sequence_axis ? s.T : s.C, m = ref::monarch_m(n);
    const size_t nx = size_t(s.B * s.T * s.C), nw = size_t(m * m * m);
    const auto x = random_normal(nx, 61), L = random_normal(nw, 62, float(1.0 / std::sqrt(double(m))));
    const auto R = random_normal(nw, 63, float(1.0 / std::sqrt(double(m))));
    Buffer dx(ctx.device, x), dl(ctx.device, L), dr(ctx.device, R), dy(ctx.device, std::vector<float>(nx, 0.0f));
    Runner runner(ctx.device);
    // b = 0 and the first 8 lines along the other axis (each line is mixed on its own).
    std::vector<double> want;
    auto check = [&] {
        const int64_t lines = std::min<int64_t>(8, sequence_axis ? s.C : s.T);
        std::vector<double> xs, got;
        const auto y = dy.to_host();
        // Gather the subset [1, T', C'] (sequence axis: all T, C' = lines; channel: T' = lines, all C).
        const int64_t T1 = sequence_axis ? s.T : lines, C1 = sequence_axis ? lines : s.C;
        for (int64_t t = 0; t < T1; t++)
            for (int64_t c = 0; c < C1; c++) {
                xs.push_back(x[size_t(t * s.C + c)]);
                got.push_back(y[size_t(t * s.C + c)]);
            }
        if (want.empty()) want = ref::monarch_ref(xs, to_double(L), to_double(R), 1, T1, C1, sequence_axis);
        // Two chained m-term fp32 dot products: ~1e-7; 1e-5 catches a misplaced block (~1).
        return compare(got, want, 1e-5, fmt::format("b=0, {} lines", lines));
    };
    for (const std::string &variant : variants_to_run(ctx, mixer)) {
        RowResult row = new_row(ctx, mixer, sequence_axis ? "sequence" : "channel", mix_shape_name(s), variant);
        row.flops = monarch_flops(s, m, sequence_axis);
        MonarchOptions opt;
        opt.stream = runner.stream();
        opt.variant = variant;
        opt.axis = sequence_axis ? MonarchAxis::sequence : MonarchAxis::channel;
        run_row(
            row, ctx, runner,
            [&](int) {
                seqmix::monarch(dx.view({s.B, s.T, s.C}), dl.view({m, m, m}), dr.view({m, m, m}),
                                dy.view({s.B, s.T, s.C}), opt);
            },
            check);
        emit(ctx, out, row);
    }
}

namespace {

void token_mix_shape_rows(const Context &ctx, std::vector<RowResult> &out, const MixShape &s) {
    const size_t nx = size_t(s.B * s.T * s.C);
    const auto x = random_normal(nx, 71), W = random_normal(size_t(s.T * s.T), 72, float(1.0 / std::sqrt(double(s.T))));
    Buffer dx(ctx.device, x), dw(ctx.device, W), dy(ctx.device, std::vector<float>(nx, 0.0f));
    Runner runner(ctx.device);
    // b = 0, channels 0..7, every token.
    auto check_y = [&](const std::vector<float> &y, bool causal, std::vector<double> &want) {
        const int64_t nc = std::min<int64_t>(8, s.C);
        std::vector<double> xs, got;
        for (int64_t t = 0; t < s.T; t++)
            for (int64_t c = 0; c < nc; c++) {
                xs.push_back(x[size_t(t * s.C + c)]);
                got.push_back(y[size_t(t * s.C + c)]);
            }
        if (want.empty()) want = ref::token_mix_ref(xs, to_double(W), {}, 1, s.T, nc, causal);
        // T-term fp32 dot products: ~1e-6; 1e-4 catches a shifted row (~1).
        return compare(got, want, 1e-4, fmt::format("b=0, channels 0..{}, all tokens", nc - 1));
    };

    for (bool causal : {false, true}) {
        std::optional<PeerResult> peer;
        std::vector<double> want, want_peer;
        if (!causal && ctx.peers && ctx.device.type == DeviceType::cpu) {
            // OpenBLAS: one sgemm per batch row, W [T,T] x x_b [T,C], all cores.
            Buffer py(ctx.device, std::vector<float>(nx, 0.0f));
            PeerResult p;
            p.name = "openblas_sgemm";
            p.note = fmt::format("cblas_sgemm per batch row ({} x {} x {}), {} threads", s.T, s.C, s.T, ctx.machine->cores);
            openblas_set_num_threads(ctx.machine->cores);
            auto call = [&] {
                for (int64_t b = 0; b < s.B; b++) {
                    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, int(s.T), int(s.C), int(s.T), 1.0f, W.data(),
                                int(s.T), x.data() + b * s.T * s.C, int(s.C), 0.0f, py.data() + b * s.T * s.C, int(s.C));
                }
            };
            Runner cpu(Device::cpu());
            call();
            if (ctx.check) p.check = check_y(py.to_host(), false, want_peer);
            p.stats = measure(ctx.protocol, [&](int) { return cpu.time(call); });
            peer = p;
        }
        for (const std::string &variant : variants_to_run(ctx, "token_mix")) {
            RowResult row = new_row(ctx, "token_mix", causal ? "causal" : "full", mix_shape_name(s), variant);
            row.flops = token_mix_flops(s, causal);
            TokenMixOptions opt;
            opt.stream = runner.stream();
            opt.variant = variant;
            opt.causal = causal;
            run_row(
                row, ctx, runner,
                [&](int) {
                    seqmix::token_mix(dx.view({s.B, s.T, s.C}), dw.view({s.T, s.T}), dy.view({s.B, s.T, s.C}),
                                      std::nullopt, opt);
                },
                [&] { return check_y(dy.to_host(), causal, want); });
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

void token_mix_rows(const Context &ctx, std::vector<RowResult> &out) {
    // TSMixer / MLP-Mixer token MLPs: T = 1024 tokens, C = 512 channels, and a long context
    // (T = 4096: W is 64 MB and mr rows of it no longer fit L1); CUDA B16_T2048_C1024
    // (bench/peers/mixing_peers.py times cuBLAS there).
    std::vector<MixShape> shapes = {MixShape{4, 1024, 512}, MixShape{1, 4096, 256}};
    if (ctx.device.type == DeviceType::cuda) shapes = {MixShape{16, 2048, 1024}};
    if (ctx.quick) shapes = {MixShape{1, 256, 128}};
    for (const MixShape &s : shapes) token_mix_shape_rows(ctx, out, s);
}

}  // namespace seqmix::bench
