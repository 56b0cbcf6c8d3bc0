// seqmix-bench: times every mixer row at standard shapes against this machine's measured
// ceilings, checks each row against the float64 reference, and compares to peers measured in
// the same run. See bench/README.md for the rows, the work counts and the protocol.
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>

#include <unistd.h>

#include <boost/program_options.hpp>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include "blas_core.h"
#include "ceilings.h"
#include "machine.h"
#include "report.h"
#include "rows.h"

namespace po = boost::program_options;
using namespace seqmix::bench;

namespace {

// The delta-rule mixers and RWKV-7: row `<mixer>` (chunked) and `<mixer>_step` (rows_dplr.cpp).
const char *const kDplrMixers[] = {"delta_rule", "gated_delta_rule", "kda", "gated_delta_rule2", "rwkv7"};

std::set<std::string> split(const std::string &s) {
    std::set<std::string> out;
    std::stringstream ss(s);
    for (std::string item; std::getline(ss, item, ',');)
        if (!item.empty()) out.insert(item);
    return out;
}

std::string exe_dir() {
    char buf[4096];
    ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
    if (n <= 0) return ".";
    std::string p(buf, size_t(n));
    return p.substr(0, p.find_last_of('/'));
}

// bench/plot_roofline.py: $SEQMIX_BENCH_PLOT, beside the binary (the build copies it), or the
// source tree this binary was built from.
std::string plot_script() {
    if (const char *env = std::getenv("SEQMIX_BENCH_PLOT")) return env;
    for (std::string p : {exe_dir() + "/plot_roofline.py", std::string(SEQMIX_BENCH_SOURCE_DIR) + "/plot_roofline.py"})
        if (std::ifstream(p).good()) return p;
    return "plot_roofline.py";
}

std::string now_iso() {
    std::time_t t = std::time(nullptr);
    char buf[64];
    std::strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
    return buf;
}

}  // namespace

// Every row family seqmix-bench knows (--rows).
const std::set<std::string> kRows = {"attention", "gla", "gla_step", "linear_attn", "retention", "simple_gla",
                                     "linear_attn_step", "retention_step", "simple_gla_step",
                                     "ssd", "ssd_bidirectional", "ssd_step",
                                     "delta_rule", "gated_delta_rule", "kda", "gated_delta_rule2", "rwkv7",
                                     "delta_rule_step", "gated_delta_rule_step", "kda_step", "gated_delta_rule2_step",
                                     "rwkv7_step",
                                     // issue 8
                                     "causal_conv1d", "causal_conv1d_step", "selective_scan", "selective_scan_step",
                                     "decode_attention",
                                     // issue 9: structured and dense token mixing
                                     "monarch", "monarch_seq", "token_mix",
                                     // issue 9
                                     "long_conv", "lmu", "lmu_step",
                                     // issue 9
                                     "lstm", "gru", "pararnn"};

int main(int argc, char **argv) {
    seqmix::bench::ensure_blas_core_matches_isa(argv);
    std::string rows_arg, device_arg, variant_arg, json_path, png_path, python, gpu_peers_path;
    Protocol protocol;
    bool quick = false, no_check = false, check_flag = false, no_peers = false;
    po::options_description desc("seqmix-bench options");
    desc.add_options()("help,h", "this help")
        ("rows", po::value(&rows_arg)->default_value("attention,gla,gla_step"), "rows to run (comma-separated)")
        ("device", po::value(&device_arg)->default_value("all"), "cpu | cuda | all (cuda only where a device is visible)")
        ("variant", po::value(&variant_arg)->default_value("all"),
         "all: every runnable built variant (options.variant = target/bucket); dispatch: the runtime's choice; "
         "or a comma-separated list of target/bucket and dispatch (e.g. dispatch,cuda-sm90/default,cuda-sm90/d64)")
        ("repeats", po::value(&protocol.repeats)->default_value(protocol.repeats), "minimum timed calls per row")
        ("min-time", po::value(&protocol.min_time_s)->default_value(protocol.min_time_s), "minimum timed seconds per row")
        ("warmup", po::value(&protocol.warmup)->default_value(protocol.warmup), "untimed calls before timing")
        ("max-repeats", po::value(&protocol.max_repeats)->default_value(protocol.max_repeats), "cap on timed calls")
        ("quick", po::bool_switch(&quick), "small shapes and ceilings (CI smoke)")
        ("check", po::bool_switch(&check_flag), "check every row against the float64 reference (default)")
        ("no-check", po::bool_switch(&no_check), "skip the reference checks")
        ("no-peers", po::bool_switch(&no_peers), "skip the CPU peers")
        ("gpu-peers", po::value(&gpu_peers_path), "merge the JSON that bench/peers/gpu_peers.py wrote into the CUDA rows")
        ("json", po::value(&json_path), "write the report as JSON here")
        ("png", po::value(&png_path), "write a roofline plot here (runs bench/plot_roofline.py on the JSON)")
        ("python", po::value(&python)->default_value("python3"), "python with matplotlib, for --png");
    po::variables_map vm;
    try {
        po::store(po::parse_command_line(argc, argv, desc), vm);
        po::notify(vm);
    } catch (const std::exception &e) {
        std::cerr << "seqmix-bench: " << e.what() << "\n" << desc;
        return 2;
    }
    if (vm.count("help")) {
        std::cout << desc;
        return 0;
    }
    const std::set<std::string> rows_wanted = split(rows_arg);
    for (const auto &r : rows_wanted) {
        if (!kRows.count(r)) {
            std::cerr << fmt::format("seqmix-bench: --rows: unknown row '{}'; rows are: {}\n", r, fmt::join(kRows, " "));
            return 2;
        }
    }
    if (device_arg != "cpu" && device_arg != "cuda" && device_arg != "all") {
        std::cerr << fmt::format("seqmix-bench: --device: expected cpu, cuda or all, got '{}'\n", device_arg);
        return 2;
    }
    std::set<std::string> listed;
    if (variant_arg != "all" && variant_arg != "dispatch") {
        std::set<std::string> known;
        for (const auto &v : seqmix::variants()) known.insert(v.target + "/" + v.bucket);
        listed = split(variant_arg);
        for (const auto &name : listed) {
            // `dispatch` in the list: the runtime's choice beside the forced variants, same run.
            if (name != "dispatch" && !known.count(name)) {
                std::cerr << fmt::format("seqmix-bench: --variant: '{}' is not all, dispatch or a built variant; built: {}\n",
                                         name, fmt::join(known, " "));
                return 2;
            }
        }
    }
    if (quick) {
        protocol.repeats = std::min(protocol.repeats, 3);
        protocol.min_time_s = std::min(protocol.min_time_s, 0.02);
        protocol.warmup = std::min(protocol.warmup, 1);
    }

    const bool cuda_ok = seqmix::cuda_available() && built_with_cuda();
    std::vector<seqmix::Device> devices;
    if (device_arg != "cuda") devices.push_back(seqmix::Device::cpu());
    if (device_arg != "cpu") {
        if (cuda_ok) {
            devices.push_back(seqmix::Device::cuda(0));
        } else if (device_arg == "cuda") {
            std::cerr << "seqmix-bench: --device cuda: no usable CUDA device"
                      << (built_with_cuda() ? "" : " (built without the CUDA toolkit)") << "\n";
            return 2;
        }
    }

    const Machine machine = detect_machine(cuda_ok);
    const bool any_cpu = device_arg != "cuda";
    const Ceilings ceilings = measure_ceilings(machine, any_cpu, cuda_ok && device_arg != "cpu", quick);
    print_ceilings(ceilings, machine);
    print_header();

    std::vector<RowResult> rows;
    for (const auto &device : devices) {
        Context ctx;
        ctx.device = device;
        ctx.protocol = protocol;
        ctx.mode = variant_arg == "all" ? VariantMode::all : variant_arg == "dispatch" ? VariantMode::dispatch : VariantMode::listed;
        ctx.listed = listed;
        ctx.check = !no_check;
        ctx.quick = quick;
        ctx.peers = !no_peers;
        ctx.machine = &machine;
        ctx.ceilings = &ceilings;
        ctx.on_row = [](const RowResult &r) {
            print_row(r);
            std::fflush(stdout);
        };
        try {
            if (rows_wanted.count("attention")) attention_rows(ctx, rows);
            if (rows_wanted.count("gla")) gla_rows(ctx, rows);
            if (rows_wanted.count("gla_step")) gla_step_rows(ctx, rows);
            for (const char *m : {"linear_attn", "retention", "simple_gla"}) {
                if (rows_wanted.count(m)) scalar_decay_rows(ctx, m, rows);
            }
            for (const char *m : {"linear_attn_step", "retention_step", "simple_gla_step"}) {
                if (rows_wanted.count(m)) scalar_decay_step_rows(ctx, m, rows);
            }
            for (const char *m : {"ssd", "ssd_bidirectional"}) {
                if (rows_wanted.count(m)) ssd_rows(ctx, m, rows);
            }
            if (rows_wanted.count("ssd_step")) ssd_step_rows(ctx, rows);
            for (const char *m : kDplrMixers) {
                if (rows_wanted.count(m)) dplr_rows(ctx, rows, m);
                if (rows_wanted.count(std::string(m) + "_step")) dplr_step_rows(ctx, rows, std::string(m) + "_step");
            }
            if (rows_wanted.count("causal_conv1d")) causal_conv1d_rows(ctx, rows);
            if (rows_wanted.count("causal_conv1d_step")) causal_conv1d_step_rows(ctx, rows);
            if (rows_wanted.count("selective_scan")) selective_scan_rows(ctx, rows);
            if (rows_wanted.count("selective_scan_step")) selective_scan_step_rows(ctx, rows);
            if (rows_wanted.count("decode_attention")) decode_attention_rows(ctx, rows);
            if (rows_wanted.count("monarch")) monarch_rows(ctx, rows, false);
            if (rows_wanted.count("monarch_seq")) monarch_rows(ctx, rows, true);
            if (rows_wanted.count("token_mix")) token_mix_rows(ctx, rows);
            if (rows_wanted.count("long_conv")) long_conv_rows(ctx, rows);
            if (rows_wanted.count("lmu")) lmu_rows(ctx, rows);
            if (rows_wanted.count("lmu_step")) lmu_step_rows(ctx, rows);
            if (rows_wanted.count("lstm")) lstm_rows(ctx, rows);
            if (rows_wanted.count("gru")) gru_rows(ctx, rows);
            if (rows_wanted.count("pararnn")) pararnn_rows(ctx, rows);
        } catch (const std::exception &e) {
            // Setup failures (allocation, CUDA) end this device's rows, not the whole run.
            RowResult r;
            r.mixer = "-";
            r.device = device_name(device);
            r.status = "error";
            r.error = e.what();
            print_row(r);
            rows.push_back(r);
        }
    }

    if (!gpu_peers_path.empty()) {
        std::ifstream in(gpu_peers_path);
        try {
            merge_gpu_peers(rows, nlohmann::json::parse(in));
            // The rows were printed as they ran; the merged peers follow, one line each.
            for (const auto &r : rows) {
                if (r.device != "cuda") continue;
                for (const auto &p : r.peers) {
                    fmt::print("peer  {:<9} {:<22} {:<28} {:>10.4f} ms  seqmix/peer speed x{:.3f}\n", r.mixer,
                               r.shape, p.name, p.stats.median_ms, p.speedup);
                }
            }
        } catch (const std::exception &e) {
            std::cerr << fmt::format("seqmix-bench: --gpu-peers {}: {}\n", gpu_peers_path, e.what());
        }
    }

    nlohmann::json run = {{"date", now_iso()}, {"seqmix_version", seqmix::version()}, {"quick", quick},
                          {"variant_mode", variant_arg}, {"rows", rows_arg}, {"device", device_arg},
                          {"protocol", protocol}};
    if (!png_path.empty() && json_path.empty()) json_path = png_path + ".json";
    if (!json_path.empty()) {
        std::ofstream out(json_path);
        out << report_json(machine, ceilings, rows, run).dump(2) << "\n";
        if (!out) {
            std::cerr << "seqmix-bench: could not write " << json_path << "\n";
            return 2;
        }
        fmt::print("wrote {}\n", json_path);
    }
    if (!png_path.empty()) {
        std::string cmd = fmt::format("'{}' '{}' '{}' '{}'", python, plot_script(), json_path, png_path);
        if (std::system(cmd.c_str()) != 0) std::cerr << "seqmix-bench: --png: plot failed: " << cmd << "\n";
    }

    // Exit status for CI: 1 when any row errored or failed its check (a skipped variant is fine).
    int failed = 0;
    for (const auto &r : rows) failed += r.status == "error" || (r.check.done && !r.check.ok);
    for (const auto &r : rows)
        for (const auto &p : r.peers) failed += p.check.done && !p.check.ok;
    if (failed) fmt::print("seqmix-bench: {} row(s) failed\n", failed);
    return failed ? 1 : 0;
}
