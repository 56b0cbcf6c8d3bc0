#include "support/variants.h"

#include <cctype>

namespace seqmix::test {

std::string Variant::id() const {
    return identifier(info.target + "_" + info.bucket);
}

std::vector<Variant> variants_of(const std::string &mixer) {
    // Every test suite's registration asks, for each of its mixers: one copy of the list keeps the
    // test binary's start (paid once per ctest test) from rebuilding it each time.
    static const std::vector<seqmix::VariantInfo> all = seqmix::variants();
    std::vector<Variant> out;
    for (const seqmix::VariantInfo &info : all) {
        if (info.mixer == mixer) {
            out.push_back({info, backend_of_target(info.target)});
        }
    }
    return out;
}

std::string skip_reason(const Variant &variant) {
    // The test binary's own limits first: without the CUDA runtime it cannot even allocate.
    const std::string why = backend_unavailable_reason(variant.backend);
    if (!why.empty()) {
        return why;
    }
    if (!variant.info.runnable) {
        if (variant.backend == Backend::cuda) {
            return variant.info.target + " cannot run on this host's CUDA device";
        }
        return variant.info.target + " needs CPU features this host lacks";
    }
    return "";
}

std::string identifier(const std::string &text) {
    std::string out = text;
    for (char &c : out) {
        if (!std::isalnum(static_cast<unsigned char>(c))) {
            c = '_';
        }
    }
    return out;
}

bool is_condition_error(const seqmix::Error &error) {
    return std::string(error.what()).find("condition") != std::string::npos;
}

}  // namespace seqmix::test
