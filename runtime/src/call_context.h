// Per-call state handed to the AOT kernels as Halide's user_context: the CUDA stream and device
// the call runs on, and the message of any error Halide reports during the call.
#pragma once

#include <string>

#include "seqmix/seqmix.h"

namespace seqmix::detail {

struct CallContext {
    const char *fn = "";     // "seqmix::gla", for messages
    void *stream = nullptr;  // CUstream
    int device = 0;          // CUDA ordinal
    void *cu_context = nullptr;
    std::string error;       // filled by Halide's error handler
};

// Installs the Halide runtime hooks (error handler; CUDA context and stream) once per process.
void install_halide_hooks();

// Throws seqmix::Error for a nonzero kernel status, with Halide's message.
void check_status(int status, const CallContext &ctx, const std::string &variant);

}  // namespace seqmix::detail
