// seqmix-bench: OpenBLAS core versus the CPU's ISA (blas_core.h).
#include "blas_core.h"

#include <algorithm>
#include <array>
#include <cstdlib>
#include <string_view>

#include <cblas.h>
#include <fmt/format.h>
#include <unistd.h>

namespace seqmix::bench {

namespace {

// OpenBLAS's x86 cores that predate AVX2 (dynamic.c's corename table).
bool pre_avx2_core(std::string_view core) {
    static constexpr std::array<std::string_view, 18> cores{
        "Unknown", "Katmai",  "Coppermine", "Northwood", "Prescott",     "Banias",     "Atom",  "Core2",  "Penryn",
        "Dunnington", "Nehalem", "Athlon",  "Opteron",   "Opteron_SSE3", "Barcelona", "Nano", "Bobcat", "Sandybridge"};
    return std::find(cores.begin(), cores.end(), core) != cores.end();
}

// The OpenBLAS core whose kernels use this CPU's widest vector ISA, or "" if it has no AVX2.
std::string_view core_for_isa() {
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
        __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512dq"))
        return "SkylakeX";
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return "Haswell";
    return "";
}

}  // namespace

std::string blas_core() {
    const char *name = openblas_get_corename();
    return name ? name : "";
}

void ensure_blas_core_matches_isa(char **argv) {
    const std::string core = blas_core();
    const std::string_view wanted = core_for_isa();
    if (wanted.empty() || !pre_avx2_core(core)) return;
    if (std::getenv("OPENBLAS_CORETYPE") != nullptr) {
        fmt::print(stderr, "seqmix-bench: warning: OpenBLAS runs its {} kernels on a CPU with {} (OPENBLAS_CORETYPE is set)\n",
                   core, wanted == "SkylakeX" ? "AVX-512" : "AVX2");
        return;
    }
    setenv("OPENBLAS_CORETYPE", std::string(wanted).c_str(), 1);
    execv("/proc/self/exe", argv);
    fmt::print(stderr, "seqmix-bench: warning: OpenBLAS runs its {} kernels and re-executing with OPENBLAS_CORETYPE={} failed\n",
               core, wanted);
}

}  // namespace seqmix::bench
