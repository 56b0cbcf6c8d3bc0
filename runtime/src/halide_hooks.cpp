// Halide's runtime aborts the process on errors and creates its own CUDA context unless told
// otherwise. These hooks make every error a status code with its message kept in the call's
// CallContext, run CUDA kernels in the device's primary context (the one the CUDA runtime
// API, PyTorch and CuPy use) on the caller's stream, and keep large host intermediates for the
// next call (host_cache.h).
#include <HalideRuntime.h>
#ifdef SEQMIX_HAS_CUDA
#include <HalideRuntimeCuda.h>
#endif

#include <cstdio>
#include <cstdlib>
#include <mutex>
#if defined(__x86_64__) || defined(__i386__)
#include <xmmintrin.h>
#endif

#include <fmt/format.h>

#include "call_context.h"
#include "cuda_driver.h"
#include "host_cache.h"

namespace seqmix::detail {
namespace {

void on_error(void *user_context, const char *msg) {
    if (auto *ctx = static_cast<CallContext *>(user_context)) {
        if (!ctx->error.empty()) ctx->error += "; ";
        ctx->error += msg;
    } else {
        std::fprintf(stderr, "seqmix (Halide runtime): %s\n", msg);
    }
}

#ifdef SEQMIX_HAS_CUDA
int acquire_context(void *user_context, void **ctx, bool /*create*/) {
    auto *call = static_cast<CallContext *>(user_context);
    // No call: Halide's own clean-up (halide_cuda_device_release at exit). Use the thread's
    // current context (a rank on cuda:1 frees its cached allocations there, and never touches a
    // cuda:0 that another process may hold exclusively), else cuda:0's.
    void *current = call ? nullptr : cuda::current_context();
    int device = call ? call->device : 0;
    *ctx = current ? current : cuda::primary_context(device);
    if (!*ctx) {
        on_error(user_context, fmt::format("cannot retain the primary context of cuda:{}: {}", device,
                                           cuda::last_error()).c_str());
        return halide_error_code_device_malloc_failed;
    }
    return halide_error_code_success;
}

int release_context(void *) { return halide_error_code_success; }

int get_stream(void *user_context, void *, void **stream) {
    auto *call = static_cast<CallContext *>(user_context);
    *stream = call ? call->stream : nullptr;
    return halide_error_code_success;
}
#endif

// Halide's thread pool runs every parallel task through these (the calling thread's share too);
// each task gets the flush-to-zero mode whatever thread runs it.
int do_task(void *user_context, halide_task_t f, int idx, uint8_t *closure) {
    ScopedFlushDenormals ftz;
    return halide_default_do_task(user_context, f, idx, closure);
}

int do_loop_task(void *user_context, halide_loop_task_t f, int min, int extent, uint8_t *closure, void *parent) {
    ScopedFlushDenormals ftz;
    return halide_default_do_loop_task(user_context, f, min, extent, closure, parent);
}

}  // namespace

#if defined(__x86_64__) || defined(__i386__)
constexpr unsigned kFlushToZero = 0x8000, kDenormalsAreZero = 0x0040;  // MXCSR bits 15 and 6
ScopedFlushDenormals::ScopedFlushDenormals() : saved_(_mm_getcsr()) {
    _mm_setcsr(saved_ | kFlushToZero | kDenormalsAreZero);
}
ScopedFlushDenormals::~ScopedFlushDenormals() {
    _mm_setcsr(saved_);
}
#else
ScopedFlushDenormals::ScopedFlushDenormals() = default;
ScopedFlushDenormals::~ScopedFlushDenormals() = default;
#endif

void install_halide_hooks() {
    static std::once_flag once;
    std::call_once(once, [] {
        halide_set_error_handler(on_error);
        halide_set_custom_do_task(do_task);
        halide_set_custom_do_loop_task(do_loop_task);
        halide_set_custom_malloc(host_cache_malloc);
        halide_set_custom_free(host_cache_free);
#ifdef SEQMIX_HAS_CUDA
        // The register cap of Halide's CUDA JIT is process-wide and read when a module loads: set
        // the measured value (runtime/CMakeLists.txt) now, unless the user chose one.
        setenv("HL_CUDA_JIT_MAX_REGISTERS", SEQMIX_CUDA_MAX_REGISTERS, /*overwrite=*/0);
        halide_set_cuda_acquire_context(acquire_context);
        halide_set_cuda_release_context(release_context);
        halide_set_cuda_get_stream(get_stream);
        // Intermediate device buffers are reused across calls instead of cuMemAlloc/cuMemFree each time.
        halide_reuse_device_allocations(nullptr, true);
#endif
    });
}

void check_status(int status, const CallContext &ctx, const std::string &variant) {
    if (status == 0) return;
    throw KernelError(fmt::format("{}: kernel {} failed (Halide error {}): {}", ctx.fn, variant, status,
                            ctx.error.empty() ? "no message" : ctx.error));
}

}  // namespace seqmix::detail
