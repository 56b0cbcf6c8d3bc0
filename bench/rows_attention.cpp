// seqmix-bench: causal softmax attention rows (compute-bound; work = attention_flops).
//
// The float64 reference is O(T^2): for long T it checks the last 64 query rows of the first batch
// and up to 4 heads, which is exact for those rows (with bottom-right causal alignment, a query
// slice [T-64, T) against all S keys is itself a causal attention call with T' = 64).
#include <cmath>

#include <fmt/format.h>

#include "reference_adapter.h"
#include "rows.h"

namespace seqmix::bench {

namespace {

std::vector<Shape> attention_shapes(const Context &ctx) {
    if (ctx.quick) return {{1, 256, 256, 2, 2, 64, 64}};
    std::vector<Shape> shapes = {{1, 4096, 4096, 8, 8, 64, 64}};
    if (ctx.device.type == DeviceType::cuda) {
        shapes.push_back({4, 4096, 4096, 16, 16, 64, 64});
        // Where the Anderson2021 baseline launches (cuda-sm90/attention@anderson2021's `when`).
        shapes.push_back({1, 2048, 2048, 8, 8, 64, 64});
        // A Llama-7B layer's heads: the d128 bucket.
        shapes.push_back({1, 4096, 4096, 32, 32, 128, 128});
    }
    return shapes;
}

}  // namespace

void attention_rows(const Context &ctx, std::vector<RowResult> &out) {
    for (const Shape &s : attention_shapes(ctx)) {
        const size_t nq = size_t(s.B * s.T * s.H * s.K), nk = size_t(s.B * s.S * s.Hkv * s.K),
                     nv = size_t(s.B * s.S * s.Hkv * s.V), no = size_t(s.B * s.T * s.H * s.V);
        const auto q = random_normal(nq, 1), k = random_normal(nk, 2), v = random_normal(nv, 3);
        const double scale = 1.0 / std::sqrt(double(s.K));
        Buffer dq(ctx.device, q), dk(ctx.device, k), dv(ctx.device, v), dout(ctx.device, std::vector<float>(no, 0.0f));
        Runner runner(ctx.device);

        // Reference subset, computed once per shape and shared by every variant.
        const int64_t nb = 1, nh = std::min<int64_t>(s.H, 4), nt = std::min<int64_t>(s.T, 64);
        const bool full = nb == s.B && nh == s.H && nt == s.T;
        const std::string subset =
            full ? "all" : fmt::format("b=0, heads 0..{}, last {} query rows (all {} keys)", nh - 1, nt, s.S);
        std::vector<double> want;
        auto reference = [&]() -> const std::vector<double> & {
            if (want.empty()) {
                Shape r{nb, nt, s.S, nh, nh, s.K, s.V};
                want = reference::attention(slice_bthd(q, s.B, s.T, s.H, s.K, nb, s.T - nt, nt, nh),
                                            slice_bthd(k, s.B, s.S, s.Hkv, s.K, nb, 0, s.S, nh),
                                            slice_bthd(v, s.B, s.S, s.Hkv, s.V, nb, 0, s.S, nh), r, scale, true);
            }
            return want;
        };

        for (const std::string &variant : variants_to_run(ctx, "attention")) {
            RowResult row = new_row(ctx, "attention", "causal", shape_name(s), variant);
            row.flops = attention_flops(s, true);
            AttentionOptions opt;
            opt.causal = true;
            opt.stream = runner.stream();
            opt.variant = variant;
            auto tq = dq.view({s.B, s.T, s.H, s.K}), tk = dk.view({s.B, s.S, s.Hkv, s.K}),
                 tv = dv.view({s.B, s.S, s.Hkv, s.V}), to = dout.view({s.B, s.T, s.H, s.V});
            run_row(
                row, ctx, runner, [&](int) { seqmix::attention(tq, tk, tv, to, std::nullopt, opt); },
                [&] {
                    auto got = slice_bthd(dout.to_host(), s.B, s.T, s.H, s.V, nb, s.T - nt, nt, nh);
                    // fp32 accumulation over up to S terms: ~1e-6 typical; 2e-4 leaves room for
                    // exp2-based softmax and long sums without hiding a wrong mask (~1e-1).
                    return compare(got, reference(), 2e-4, subset);
                });
            if (ctx.on_row) ctx.on_row(row);
            out.push_back(std::move(row));
        }
    }
}

}  // namespace seqmix::bench
