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

// Installs the Halide runtime hooks (error handler; CUDA context and stream; the thread pool's
// tasks run under ScopedFlushDenormals; host allocations through the host cache) once per process.
void install_halide_hooks();

// While alive, the calling thread's x86 floating-point unit flushes denormal results to zero and
// reads denormal inputs as zero (MXCSR FTZ and DAZ, as TensorFlow's CPU thread pools do); the
// thread's previous mode comes back on destruction. The CPU kernels run under it: decays near 0
// (GLA's g <= -5 per step) push the products of exps into the denormal range, where each
// operation takes a microcode assist (gla@d64 2.7x slower at T = 16384 without it). A no-op off x86.
class ScopedFlushDenormals {
public:
    ScopedFlushDenormals();
    ~ScopedFlushDenormals();
    ScopedFlushDenormals(const ScopedFlushDenormals &) = delete;
    ScopedFlushDenormals &operator=(const ScopedFlushDenormals &) = delete;

private:
    unsigned saved_ = 0;
};

// Throws seqmix::Error for a nonzero kernel status, with Halide's message.
void check_status(int status, const CallContext &ctx, const std::string &variant);

}  // namespace seqmix::detail
