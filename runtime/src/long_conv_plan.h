// What long_conv and lmu share in the runtime: the FFT length of a variant (its bucket name,
// fft<n>; 0 for the direct form), the long_conv_filter variant that makes its spectrum, and
// running an entry point with the status turned into seqmix::Error.
#pragma once

#include <map>
#include <string>

#include "call_context.h"
#include "dispatch.h"

namespace seqmix::detail {

int64_t fft_length_of(const VariantEntry &e);
const VariantEntry &filter_variant(const char *fn, const VariantEntry &conv, const Device &device,
                                   const std::map<std::string, int64_t> &dims);
void run_entry(const VariantEntry &e, CallContext &ctx, int status);

}  // namespace seqmix::detail
