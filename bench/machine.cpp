// seqmix-bench: machine description from /proc/cpuinfo, sysfs and the CUDA runtime.
#include "machine.h"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <thread>

#include <sched.h>
#include <unistd.h>

#include "blas_core.h"

namespace seqmix::bench {

namespace {

// Sizes like "491520K" or "32M" from /sys/devices/system/cpu/cpu0/cache/index*/size.
double parse_size(std::string s) {
    if (s.empty()) return 0;
    double mult = 1;
    char last = s.back();
    if (last == 'K') mult = 1024.0;
    if (last == 'M') mult = 1024.0 * 1024.0;
    if (last == 'G') mult = 1024.0 * 1024.0 * 1024.0;
    if (mult != 1) s.pop_back();
    try {
        return std::stod(s) * mult;
    } catch (...) {
        return 0;
    }
}

double last_level_cache_bytes() {
    double best = 0;
    int best_level = -1;
    for (int i = 0; i < 8; i++) {
        std::string dir = "/sys/devices/system/cpu/cpu0/cache/index" + std::to_string(i) + "/";
        std::ifstream level_f(dir + "level"), size_f(dir + "size"), type_f(dir + "type");
        int level = 0;
        std::string size, type;
        if (!(level_f >> level) || !(size_f >> size)) continue;
        type_f >> type;
        if (type == "Instruction") continue;
        if (level > best_level || (level == best_level && parse_size(size) > best)) {
            best_level = level;
            best = parse_size(size);
        }
    }
    if (best <= 0) {
        long l3 = sysconf(_SC_LEVEL3_CACHE_SIZE);
        best = l3 > 0 ? double(l3) : 64.0 * 1024 * 1024;
    }
    return best;
}

int usable_cores() {
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof(set), &set) == 0) return std::max(1, CPU_COUNT(&set));
    return std::max(1u, std::thread::hardware_concurrency());
}

}  // namespace

Machine detect_machine(bool with_gpu) {
    Machine m;
    m.cores = usable_cores();
    m.llc_bytes = last_level_cache_bytes();
    char host[256] = {};
    if (gethostname(host, sizeof(host) - 1) == 0) m.hostname = host;
    m.blas_core = blas_core();

    static const char *wanted[] = {"sse4_2", "avx", "avx2", "fma", "f16c", "avx512f", "avx512bw", "avx512vl",
                                   "avx512dq", "avx512cd", "avx512_bf16", "avx512_fp16", "avx512_vnni", "amx_tile"};
    std::ifstream cpuinfo("/proc/cpuinfo");
    std::string line;
    while (std::getline(cpuinfo, line)) {
        auto colon = line.find(':');
        if (colon == std::string::npos) continue;
        std::string key = line.substr(0, line.find_last_not_of(" \t", colon - 1) + 1);
        std::string value = colon + 2 <= line.size() ? line.substr(colon + 2) : "";
        if (key == "model name" && m.cpu_model.empty()) m.cpu_model = value;
        if (key == "flags" && m.isa.empty()) {
            std::istringstream flags(value);
            std::vector<std::string> have;
            for (std::string f; flags >> f;) have.push_back(f);
            for (const char *w : wanted) {
                if (std::find(have.begin(), have.end(), w) != have.end()) m.isa.emplace_back(w);
            }
        }
    }
    if (with_gpu) m.gpu = gpu_info(0);
    return m;
}

nlohmann::json to_json(const Machine &m) {
    nlohmann::json j = {{"cpu_model", m.cpu_model}, {"cores", m.cores},     {"isa", m.isa},
                        {"llc_bytes", m.llc_bytes}, {"hostname", m.hostname}, {"blas_core", m.blas_core}};
    if (!m.gpu.name.empty()) {
        j["gpu"] = {{"name", m.gpu.name},
                    {"sm_count", m.gpu.sm_count},
                    {"compute_capability", std::to_string(m.gpu.cc_major) + "." + std::to_string(m.gpu.cc_minor)},
                    {"l2_bytes", m.gpu.l2_bytes},
                    {"memory_bytes", m.gpu.memory_bytes},
                    {"clock_khz", m.gpu.clock_khz},
                    {"memory_clock_khz", m.gpu.memory_clock_khz},
                    {"memory_bus_bits", m.gpu.memory_bus_bits},
                    {"driver", m.gpu.driver},
                    {"runtime", m.gpu.runtime}};
    } else {
        j["gpu"] = nullptr;
    }
    return j;
}

}  // namespace seqmix::bench
