#include "dispatch.h"

#include <cstring>
#include <limits>
#include <map>
#include <mutex>
#include <unordered_map>
#include <vector>

#include <fmt/format.h>

#include "cuda_driver.h"
#include "lang/schedule.h"

namespace seqmix::detail {
namespace {

thread_local std::string last;

bool is_cuda_target(const char *target) { return std::strncmp(target, "cuda-", 5) == 0; }

// The CPU features each target dir's Halide target assumes (DESIGN.md, "Targets").
bool cpu_supports(const char *target) {
    if (std::strcmp(target, "x86-64-avx512") == 0) {
        return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512cd") &&
               __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512bw") &&
               __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("fma");
    }
    if (std::strcmp(target, "x86-64-avx2") == 0) {
        return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && __builtin_cpu_supports("f16c");
    }
    return std::strcmp(target, "x86-64") == 0;
}

// Oldest compute capability a CUDA target dir runs on: sm90 is Halide's capability 8.6 PTX.
int min_capability(const char *target) {
    return std::strcmp(target, "cuda-sm90") == 0 ? 86 : 80;
}

const sched::Condition &parsed(const char *text) {
    static std::mutex mu;
    static std::unordered_map<std::string, sched::Condition> cache;
    std::lock_guard<std::mutex> lock(mu);
    auto it = cache.find(text);
    if (it == cache.end()) it = cache.emplace(text, sched::parse_condition(text, "when")).first;
    return it->second;
}

std::string name_of(const VariantEntry &e) { return fmt::format("{}/{}", e.target, e.bucket); }

}  // namespace

bool runnable(const VariantEntry &e, int device) {
    if (!is_cuda_target(e.target)) return cpu_supports(e.target);
#ifdef SEQMIX_HAS_CUDA
    return cuda::available() && cuda::capability(device) >= min_capability(e.target);
#else
    return false;
#endif
}

bool condition_holds(const VariantEntry &e, const std::map<std::string, int64_t> &dims) {
    return e.condition[0] == '\0' || sched::evaluate(parsed(e.condition), dims);
}

const VariantEntry &select_variant(const char *fn, const char *mixer, const Device &device,
                                   const std::map<std::string, int64_t> &dims, const std::string &forced) {
    const bool want_cuda = device.type == DeviceType::cuda;
    std::vector<std::string> built;
    for (const VariantEntry &e : variant_table()) {
        if (std::strcmp(e.mixer, mixer) != 0) continue;
        built.push_back(name_of(e));
        if (is_cuda_target(e.target) != want_cuda) continue;
        if (!forced.empty()) {
            if (forced != name_of(e)) continue;
            if (!runnable(e, device.index)) throw Error(fmt::format("{}: options.variant {} cannot run on this host", fn, forced));
            if (!condition_holds(e, dims)) {
                throw Error(fmt::format("{}: options.variant {}: its bucket condition `{}` does not hold for these shapes",
                                        fn, forced, e.condition));
            }
            return e;
        }
        if (e.dispatched && runnable(e, device.index) && condition_holds(e, dims)) return e;
    }
    if (!forced.empty()) {
        throw Error(fmt::format("{}: options.variant {} is not built for {} tensors; built: {}", fn, forced,
                                want_cuda ? "cuda" : "cpu", fmt::join(built, " ")));
    }
    throw Error(fmt::format("{}: no built variant runs on {} here; built: {}", fn, want_cuda ? "cuda" : "cpu",
                            fmt::join(built, " ")));
}

void set_last_variant(const VariantEntry &e) { last = name_of(e); }

void check_chunk_states(const char *fn, const VariantEntry &e, const std::map<std::string, int64_t> &dims) {
    // gla_inter's chunks hold cumulative gates ([B,T,H,K] in all), not states.
    if (e.chunk <= 0 || std::strcmp(e.mixer, "gla_inter") == 0) return;
    auto dim = [&](const char *name) {
        const auto it = dims.find(name);
        return it == dims.end() ? int64_t(0) : it->second;
    };
    const int64_t B = dim("B"), T = dim("T"), H = dim("H");
    const int64_t X = dims.count("K") ? dim("K") : dim("P"), Y = dims.count("V") ? dim("V") : dim("N");
    if (!B || !T || !H || !X || !Y) return;
    const int64_t chunks = (T + e.chunk - 1) / e.chunk + 1;
    // In double: the product itself may overflow int64 for absurd shapes.
    const double elements = double(B) * double(H) * double(chunks) * double(X) * double(Y);
    if (elements > double(std::numeric_limits<int32_t>::max())) {
        throw Error(fmt::format("{}: variant {}/{} keeps one state per chunk of {} tokens: B*H*(T/{} + 1)*{}*{} = {:.0f} "
                                "floats, more than the 2^31 - 1 elements a Halide buffer can index; split the batch, "
                                "or the sequence (two calls with the state carried, or seqmix::dist)",
                                fn, e.target, e.bucket, e.chunk, e.chunk, dims.count("K") ? "K" : "P",
                                dims.count("V") ? "V" : "N", elements));
    }
}

}  // namespace seqmix::detail

namespace seqmix {

std::string last_variant() { return detail::last; }

std::vector<VariantInfo> variants() {
    std::vector<VariantInfo> out;
    for (const auto &e : detail::variant_table()) {
        out.push_back({e.mixer, e.target, e.bucket, e.condition, e.symbol, detail::runnable(e), !e.dispatched});
    }
    return out;
}

bool cuda_available() {
#ifdef SEQMIX_HAS_CUDA
    return detail::cuda::available();
#else
    return false;
#endif
}

const char *version() { return SEQMIX_VERSION; }

}  // namespace seqmix
