// seqmix-bench: table and JSON (report.h).
#include "report.h"

#include <fmt/format.h>

namespace seqmix::bench {

namespace {

nlohmann::json opt(const std::optional<double> &x) { return x ? nlohmann::json(*x) : nlohmann::json(); }

nlohmann::json check_json(const Check &c) {
    if (!c.done) return nullptr;
    return {{"rel_rms", c.rel_rms}, {"max_abs", c.max_abs}, {"tol", c.tol}, {"ok", c.ok}, {"subset", c.subset}};
}

}  // namespace

void print_ceilings(const Ceilings &c, const Machine &m) {
    fmt::print("machine: {} ({} cores, LLC {:.0f} MiB){}\n", m.cpu_model, m.cores, m.llc_bytes / (1 << 20),
               m.gpu.name.empty() ? "" : fmt::format(", GPU {} (L2 {:.0f} MiB)", m.gpu.name, m.gpu.l2_bytes / (1 << 20)));
    if (c.cpu_sgemm_gflops > 0)
        fmt::print("ceilings: cpu sgemm {:.1f} GFLOP/s (N={}, OpenBLAS {}), cpu stream {:.1f} GB/s (STREAM scale, "
                   "read+write, {:.0f} MiB), cpu copy {:.1f} GB/s (memcpy), cpu read {:.1f} GB/s\n",
                   c.cpu_sgemm_gflops, c.cpu_sgemm_n, m.blas_core, c.cpu_stream_gbps,
                   c.cpu_copy_buffer_bytes / (1 << 20), c.cpu_copy_gbps, c.cpu_read_gbps);
    if (c.gpu_copy_gbps) fmt::print("ceilings: gpu copy {:.1f} GB/s (read+write)\n", *c.gpu_copy_gbps);
    if (c.gpu_fp32_fma_gflops) fmt::print("ceilings: gpu fp32 FMA {:.1f} GFLOP/s\n", *c.gpu_fp32_fma_gflops);
}

void print_header() {
    fmt::print("{:<10} {:<8} {:<22} {:<5} {:<22} {:>10} {:>7} {:>10} {:>6} {:>7} {:>9} {:>4}  {}\n", "mixer", "form",
               "shape", "dev", "variant", "ms", "spread", "rate", "unit", "frac", "rel_rms", "ok", "peers");
}

void print_row(const RowResult &r) {
    if (r.status != "ok") {
        fmt::print("{:<10} {:<8} {:<22} {:<5} {:<22} {}: {}\n", r.mixer, r.form, r.shape, r.device, r.requested,
                   r.status, r.error);
        return;
    }
    std::string peers;
    for (const auto &p : r.peers) peers += fmt::format("{} {:.3f} ms (x{:.2f}) ", p.name, p.stats.median_ms, p.speedup);
    if (r.extra.contains("gpu_peers")) {
        for (const auto &[name, p] : r.extra["gpu_peers"].items())
            if (p.contains("speedup") && p["speedup"].is_number())
                peers += fmt::format("{} x{:.2f} ", name, p["speedup"].get<double>());
    }
    for (const auto &[key, value] : r.extra.items())
        if (key != "gpu_peers") peers += fmt::format("{}={} ", key, value.dump());
    fmt::print("{:<10} {:<8} {:<22} {:<5} {:<22} {:>10.4f} {:>6.1f}% {:>10.2f} {:>6} {:>7} {:>9} {:>4}  {}\n", r.mixer,
               r.form, r.shape, r.device, r.variant, r.stats.median_ms, 100 * r.stats.spread, r.rate,
               r.memory_bound ? "GB/s" : "GFLOP/s", r.fraction ? fmt::format("{:.1f}%", 100 * *r.fraction) : "-",
               r.check.done ? fmt::format("{:.1e}", r.check.rel_rms) : "-",
               r.check.done ? (r.check.ok ? "yes" : "NO") : "-", peers);
}

nlohmann::json row_json(const RowResult &r) {
    nlohmann::json j = {{"mixer", r.mixer},   {"form", r.form},       {"device", r.device},
                        {"shape", r.shape},   {"requested", r.requested}, {"variant", r.variant},
                        {"target", r.target}, {"status", r.status}};
    if (!r.error.empty()) j["error"] = r.error;
    j["protocol"] = r.protocol;
    if (r.status == "ok") {
        j["ms"] = r.stats.median_ms;
        j["spread"] = r.stats.spread;
        j["stats"] = r.stats;
        j["flops"] = r.flops;
        j["bytes"] = r.bytes;
        j["bound"] = r.memory_bound ? "memory" : "compute";
        if (r.memory_bound) {
            j["gbps"] = r.rate;
            j["gflops"] = r.flops / (r.stats.median_ms * 1e-3) / 1e9;
        } else {
            j["gflops"] = r.rate;
        }
        j["ceiling_name"] = r.ceiling_name;
        j["ceiling"] = opt(r.ceiling);
        j["fraction"] = opt(r.fraction);
        j["check"] = check_json(r.check);
    }
    nlohmann::json peers = nlohmann::json::object();
    for (const auto &p : r.peers) {
        peers[p.name] = {{"ms", p.stats.median_ms}, {"spread", p.stats.spread}, {"speedup", p.speedup},
                         {"note", p.note},          {"check", check_json(p.check)}};
    }
    if (r.extra.contains("gpu_peers"))
        for (const auto &[name, p] : r.extra["gpu_peers"].items()) peers[name] = p;
    j["peers"] = peers;
    // Row-specific facts (pararnn: Newton iterations, speed-up over the sequential form).
    for (const auto &[key, value] : r.extra.items())
        if (key != "gpu_peers") j["extra"][key] = value;
    return j;
}

nlohmann::json report_json(const Machine &m, const Ceilings &c, const std::vector<RowResult> &rows,
                           const nlohmann::json &run) {
    nlohmann::json j;
    j["machine"] = to_json(m);
    j["ceilings"] = to_json(c);
    j["run"] = run;
    j["rows"] = nlohmann::json::array();
    for (const auto &r : rows) j["rows"].push_back(row_json(r));
    return j;
}

void merge_gpu_peers(std::vector<RowResult> &rows, const nlohmann::json &peers) {
    if (!peers.contains("rows") || !peers["rows"].is_array()) return;
    for (auto &r : rows) {
        if (r.device != "cuda" || r.status != "ok") continue;
        for (const auto &p : peers["rows"]) {
            if (p.value("mixer", "") != r.mixer || p.value("shape", "") != r.shape) continue;
            nlohmann::json e = p;
            if (p.contains("ms") && p["ms"].is_number() && r.stats.median_ms > 0)
                e["speedup"] = p["ms"].get<double>() / r.stats.median_ms;
            r.extra["gpu_peers"][p.value("peer", "peer")] = e;
        }
    }
}

}  // namespace seqmix::bench
