#include "common/scheduled_generator.h"

#include <filesystem>
#include <vector>

namespace seqmix {

std::string target_dir(const Halide::Target &t) {
    using F = Halide::Target::Feature;
    if (t.has_feature(F::CUDA)) {
        // Halide 21 stops at capability 8.6; its PTX is JIT-compiled for sm_90 by the driver.
        return t.get_cuda_capability_lower_bound() >= 86 ? "cuda-sm90" : "cuda-sm80";
    }
    if (t.arch == Halide::Target::X86 && t.bits == 64) {
        if (t.has_feature(F::AVX512_Skylake)) return "x86-64-avx512";
        if (t.has_feature(F::AVX2)) return "x86-64-avx2";
        return "x86-64";
    }
    return t.to_string();
}

std::string schedule_path(const std::string &root, const std::string &target_dir, const std::string &mixer,
                          const std::string &bucket, const std::vector<std::string> &families) {
    const std::filesystem::path dir = std::filesystem::path(root) / target_dir;
    std::vector<std::string> names{mixer};
    names.insert(names.end(), families.begin(), families.end());
    if (bucket != "default") {
        for (const auto &n : names) {
            auto p = dir / (n + "@" + bucket + ".sched");
            if (std::filesystem::exists(p)) return p.string();
        }
    }
    for (const auto &n : names) {
        auto p = dir / (n + ".sched");
        if (std::filesystem::exists(p)) return p.string();
    }
    // Neither exists: name the mixer's own file in the error the parser gives.
    return (dir / (mixer + ".sched")).string();
}

}  // namespace seqmix
