#include "builder.h"

#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "process.h"
#include "runner.h"

namespace seqmix::tune {

namespace fs = std::filesystem;

namespace {

const std::map<std::string, std::string> &targets() {
    static const std::map<std::string, std::string> t = {
        {"x86-64-avx512", "x86-64-linux-avx512_skylake-user_context"},
        {"x86-64-avx2", "x86-64-linux-avx2-fma-f16c-user_context"},
        {"x86-64", "x86-64-linux-user_context"},
        {"cuda-sm90", "x86-64-linux-cuda-cuda_capability_86-user_context"},
        {"cuda-sm80", "x86-64-linux-cuda-cuda_capability_80-user_context"},
    };
    return t;
}

BuildResult build_one(const BuildConfig &cfg, const BuildRequest &r) {
    BuildResult out;
    out.id = r.id;
    out.function = "tune_" + r.id;
    const fs::path dir = fs::path(cfg.work_dir) / r.id;
    fs::create_directories(dir);
    const fs::path sched = dir / (r.mixer + ".sched");
    std::ofstream(sched) << r.text;
    const std::vector<std::string> gen = {cfg.generator,
                                          "-g", r.mixer,
                                          "-f", out.function,
                                          "-o", dir.string(),
                                          "-e", "object",
                                          "target=" + cfg.halide_target,
                                          "schedule_file=" + sched.string()};
    ChildResult g = run_command(gen, cfg.timeout_s, (dir / "generator.log").string());
    out.seconds = g.seconds;
    if (!g.ok()) {
        out.status = g.kind == ChildResult::Kind::timed_out ? "build_timeout" : "build_error";
        out.error = "generator " + g.describe() + ": " + g.output;
        return out;
    }
    out.module = (dir / (out.function + ".so")).string();
    const std::vector<std::string> link = {cfg.cxx, "-shared", "-o", out.module, (dir / (out.function + ".o")).string(),
                                           "-ldl", "-lpthread"};
    ChildResult l = run_command(link, cfg.timeout_s, (dir / "link.log").string());
    out.seconds += l.seconds;
    if (!l.ok()) {
        out.status = l.kind == ChildResult::Kind::timed_out ? "build_timeout" : "build_error";
        out.error = "link " + l.describe() + ": " + l.output;
        return out;
    }
    fs::remove(dir / (out.function + ".o"));
    out.status = "ok";
    return out;
}

}  // namespace

std::string resolve_target_dir(const std::string &target) {
    if (target == "host") {
        const std::string isa = hw_fingerprint("cpu").value("isa", std::string());
        return isa == "avx512" ? "x86-64-avx512" : isa == "avx2" ? "x86-64-avx2" : "x86-64";
    }
    halide_target_of(target);
    return target;
}

std::string halide_target_of(const std::string &target_dir) {
    auto it = targets().find(target_dir);
    if (it == targets().end()) {
        std::string known = "host";
        for (const auto &[k, v] : targets()) known += ", " + k;
        throw std::invalid_argument("--target: unknown target '" + target_dir + "'; known: " + known);
    }
    return it->second;
}

std::vector<BuildResult> build(const BuildConfig &cfg, const std::vector<BuildRequest> &reqs) {
    std::vector<BuildResult> results(reqs.size());
    std::atomic<size_t> next{0};
    std::vector<std::thread> pool;
    const int n = std::max(1, std::min<int>(cfg.jobs, static_cast<int>(reqs.size())));
    for (int t = 0; t < n; t++) {
        pool.emplace_back([&] {
            for (size_t i; (i = next++) < reqs.size();) {
                try {
                    results[i] = build_one(cfg, reqs[i]);
                } catch (const std::exception &e) {
                    results[i] = {reqs[i].id, "build_error", e.what(), "", "", 0};
                }
            }
        });
    }
    for (auto &t : pool) t.join();
    return results;
}

}  // namespace seqmix::tune
