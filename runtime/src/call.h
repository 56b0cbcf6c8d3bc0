// The steps every API function shares once its arguments are validated: pick the variant, run it
// with a CallContext as Halide's user_context, and turn a nonzero status into seqmix::Error.
#pragma once

#include <string>

#include "call_context.h"
#include "dispatch.h"
#include "validate.h"

namespace seqmix::detail {

// The chunked recurrences keep one state per chunk, B*H*(ceil(T/chunk) + 1)*K*V floats (P*N for
// SSD), in a Halide buffer whose strides are int32: past 2^31 elements Halide's runtime aborts the
// process. Error (naming fn, the variant and the limit) before the kernel runs instead.
void check_chunk_states(const char *fn, const VariantEntry &e, const std::map<std::string, int64_t> &dims);

class Call {
public:
    Call(const char *fn, const Checker &checked, const CallOptions &options) : checked_(checked), forced_(options.variant) {
        install_halide_hooks();
        ctx.fn = fn;
        ctx.stream = options.stream;
        ctx.device = checked.device().index;
    }

    template<typename F, typename... Args>
    void run(const char *mixer, Args... args) {
        const VariantEntry &e = select_variant(ctx.fn, mixer, checked_.device(), checked_.dims(), forced_);
        check_chunk_states(ctx.fn, e, checked_.dims());
        int status = entry_point<F>(e)(&ctx, args...);
        set_last_variant(e);
        check_status(status, ctx, e.symbol);
    }

    // The variant, chosen once, for API functions that launch one kernel per time step or
    // iteration (lstm, gru, pararnn); run_on() then calls it.
    const VariantEntry &variant(const char *mixer) {
        const VariantEntry &e = select_variant(ctx.fn, mixer, checked_.device(), checked_.dims(), forced_);
        set_last_variant(e);
        return e;
    }

    template<typename F, typename... Args>
    void run_on(const VariantEntry &e, Args... args) {
        check_status(entry_point<F>(e)(&ctx, args...), ctx, e.symbol);
    }

    CallContext ctx;

private:
    ScopedFlushDenormals ftz_;  // the calling thread's serial parts of the kernels
    const Checker &checked_;
    std::string forced_;
};

}  // namespace seqmix::detail
