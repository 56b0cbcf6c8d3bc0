// seqmix-bench: what every row family shares (rows.h).
#include "rows.h"

#include <cmath>
#include <random>

#include <fmt/format.h>

namespace seqmix::bench {

std::string device_name(Device d) { return d.type == DeviceType::cuda ? "cuda" : "cpu"; }

std::vector<std::string> variants_to_run(const Context &ctx, const std::string &mixer) {
    if (ctx.mode == VariantMode::dispatch) return {""};
    std::vector<std::string> out;
    // "" is dispatch; listed with forced variants, it runs first.
    if (ctx.mode == VariantMode::listed && ctx.listed.count("dispatch")) out.push_back("");
    const bool want_cuda = ctx.device.type == DeviceType::cuda;
    for (const auto &v : seqmix::variants()) {
        bool is_cuda = v.target.rfind("cuda", 0) == 0;
        const std::string name = v.target + "/" + v.bucket;
        if (ctx.mode == VariantMode::listed && !ctx.listed.count(name)) continue;
        if (v.mixer == mixer && v.runnable && is_cuda == want_cuda) out.push_back(name);
    }
    return out;
}

std::vector<float> random_normal(size_t n, unsigned seed, float sigma) {
    std::mt19937 rng(seed);
    std::normal_distribution<float> dist(0.0f, sigma);
    std::vector<float> x(n);
    for (auto &e : x) e = dist(rng);
    return x;
}

std::vector<float> random_log_gates(size_t n, unsigned seed) {
    // log-sigmoid of N(0,1) logits: decays between ~0.05 and ~1, mean ~0.5 (fla's tests).
    std::vector<float> x = random_normal(n, seed, 1.0f);
    for (auto &e : x) e = -std::log1p(std::exp(-e));
    return x;
}

std::vector<double> to_double(const std::vector<float> &x) { return std::vector<double>(x.begin(), x.end()); }

std::vector<double> slice_bthd(const std::vector<float> &x, int64_t B, int64_t T, int64_t H, int64_t D,
                               int64_t nb, int64_t t0, int64_t nt, int64_t nh) {
    (void)B;
    std::vector<double> out;
    out.reserve(size_t(nb * nt * nh * D));
    for (int64_t b = 0; b < nb; b++)
        for (int64_t t = t0; t < t0 + nt; t++)
            for (int64_t h = 0; h < nh; h++)
                for (int64_t d = 0; d < D; d++) out.push_back(x[size_t(((b * T + t) * H + h) * D + d)]);
    return out;
}

Check compare(const std::vector<double> &got, const std::vector<double> &want, double tol, std::string subset) {
    Check c;
    c.done = true;
    c.tol = tol;
    c.subset = std::move(subset);
    if (got.size() != want.size()) {
        c.rel_rms = INFINITY;
        c.subset += fmt::format(" (size mismatch: {} vs {})", got.size(), want.size());
        return c;
    }
    double err2 = 0, ref2 = 0;
    bool finite = true;
    for (size_t i = 0; i < got.size(); i++) {
        double d = got[i] - want[i];
        finite = finite && std::isfinite(got[i]);
        err2 += d * d;
        ref2 += want[i] * want[i];
        c.max_abs = std::max(c.max_abs, std::abs(d));
    }
    c.rel_rms = ref2 > 0 ? std::sqrt(err2 / ref2) : std::sqrt(err2);
    c.ok = finite && c.rel_rms <= tol;
    return c;
}

double cache_bytes(const Context &ctx) {
    if (ctx.device.type == DeviceType::cuda) {
        double l2 = ctx.machine->gpu.l2_bytes;
        return l2 > 0 ? l2 : 50.0 * 1024 * 1024;  // H100: 50 MB
    }
    return ctx.machine->llc_bytes;
}

void finish_rates(RowResult &row, const Context &ctx) {
    if (row.stats.median_ms <= 0) return;
    const double sec = row.stats.median_ms * 1e-3;
    const Ceilings &c = *ctx.ceilings;
    const bool cuda = ctx.device.type == DeviceType::cuda;
    if (row.memory_bound) {
        row.rate = row.bytes / sec / 1e9;
        // CPU rows against STREAM (plain stores, as the kernels'), with the memcpy fraction beside.
        row.ceiling_name = cuda ? "gpu_copy_gbps" : "cpu_stream_gbps";
        if (cuda && c.gpu_copy_gbps) row.ceiling = *c.gpu_copy_gbps;
        if (!cuda && c.cpu_stream_gbps > 0) row.ceiling = c.cpu_stream_gbps;
        if (!cuda && c.cpu_copy_gbps > 0) row.extra["copy_frac"] = std::round(1000 * row.rate / c.cpu_copy_gbps) / 1000;
        if (!cuda && row.reads_only && c.cpu_read_gbps > 0)
            row.extra["read_frac"] = std::round(1000 * row.rate / c.cpu_read_gbps) / 1000;
    } else {
        row.rate = row.flops / sec / 1e9;
        row.ceiling_name = cuda ? "gpu_fp32_fma_gflops" : "cpu_sgemm_gflops";
        if (cuda && c.gpu_fp32_fma_gflops) row.ceiling = *c.gpu_fp32_fma_gflops;
        if (!cuda && c.cpu_sgemm_gflops > 0) row.ceiling = c.cpu_sgemm_gflops;
    }
    if (row.ceiling && *row.ceiling > 0) row.fraction = row.rate / *row.ceiling;
}

// The GPU peers are timed as CUDA-graph replays; the same figure for seqmix (one graph of one call
// per buffer set) says how much of the per-call time is the host's launch path. It goes into
// row.extra: graph_ms and graph_frac, or graph = why it could not be had. The outputs of set 0 are
// checked again after the replays, so a graph that replays wrongly cannot give a figure.
void graph_replay(RowResult &row, const Context &ctx, Runner &runner, const std::function<void(int)> &call,
                  const std::function<Check()> &check) {
    try {
        const int replays = std::max(5, std::min(row.stats.n, 50));
        std::vector<double> ms = runner.graph_times(call, std::max(1, row.protocol.sets), replays);
        for (double &x : ms) x *= 1e3;
        const Stats g = summarize(std::move(ms));
        runner.synchronize();
        if (ctx.check && !check().ok) {
            row.extra["graph"] = "outputs wrong after graph replay";
            return;
        }
        row.extra["graph_ms"] = g.median_ms;
        if (row.fraction) row.extra["graph_frac"] = *row.fraction * row.stats.median_ms / g.median_ms;
    } catch (const std::exception &e) {
        row.extra["graph"] = e.what();
    }
}

void run_row(RowResult &row, const Context &ctx, Runner &runner, const std::function<void(int)> &call,
             const std::function<Check()> &check) {
    try {
        call(0);
        runner.synchronize();
        row.variant = seqmix::last_variant();
        row.target = row.variant.substr(0, row.variant.find('/'));
        if (ctx.check) row.check = check();
        row.stats = measure(row.protocol, [&](int i) { return runner.time([&] { call(i); }); });
        finish_rates(row, ctx);
        if (ctx.device.type == DeviceType::cuda) {
            if (row.no_graph.empty()) {
                graph_replay(row, ctx, runner, call, check);
            } else {
                row.extra["graph"] = row.no_graph;
            }
        }
    } catch (const seqmix::Error &e) {
        // A forced variant whose bucket condition does not hold for this shape is refused by
        // the runtime: that is a skip, not a failure. Anything else is an error.
        std::string what = e.what();
        bool refused = !row.requested.empty() && row.requested != "dispatch" &&
                       (what.find("condition") != std::string::npos || what.find("bucket") != std::string::npos);
        row.status = refused ? "skipped" : "error";
        row.error = what;
    } catch (const std::exception &e) {
        row.status = "error";
        row.error = e.what();
    }
}

RowResult new_row(const Context &ctx, const std::string &mixer, const std::string &form, const std::string &shape,
                  const std::string &variant) {
    RowResult row;
    row.mixer = mixer;
    row.form = form;
    row.device = device_name(ctx.device);
    row.shape = shape;
    row.requested = variant.empty() ? "dispatch" : variant;
    row.protocol = ctx.protocol;
    return row;
}

}  // namespace seqmix::bench
