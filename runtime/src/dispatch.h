// Choosing the variant for a call: a table lookup by (mixer, device, shape bucket) into the
// generated registry. The first entry whose target runs here and whose bucket condition holds
// wins; the table lists buckets before `default`, CPU ISAs most specific first, CUDA newest first.
#pragma once

#include <map>
#include <string>

#include "kernel_types.h"
#include "seqmix/seqmix.h"

namespace seqmix::detail {

// Whether this host can run the variant (CPU features; for CUDA, on the given device).
bool runnable(const VariantEntry &e, int device = 0);
bool condition_holds(const VariantEntry &e, const std::map<std::string, int64_t> &dims);

// The variant to run, or Error (naming `fn`) if none fits or the forced one is unusable.
const VariantEntry &select_variant(const char *fn, const char *mixer, const Device &device,
                                   const std::map<std::string, int64_t> &dims, const std::string &forced);

void set_last_variant(const VariantEntry &e);

template<typename F>
F *entry_point(const VariantEntry &e) {
    return reinterpret_cast<F *>(e.fn);
}

}  // namespace seqmix::detail
