// Tensor views as halide_buffer_t, without copies: CPU tensors point at their host memory,
// CUDA tensors wrap the caller's device pointer for the duration of the call.
#pragma once

#include <HalideRuntime.h>

#include <cstdint>
#include <optional>

#include "call_context.h"
#include "seqmix/seqmix.h"

namespace seqmix::detail {

class KernelBuffer {
public:
    // `t` has passed validation. Halide orders dimensions innermost first, so dimension i of the
    // buffer is dimension rank-1-i of the tensor.
    KernelBuffer(const Tensor &t, CallContext &ctx, bool is_input);
    // An absent optional tensor of the given (outermost-first) shape: every dimension but the
    // innermost has stride 0 over one zeroed row (inputs) or one scratch row (outputs).
    KernelBuffer(const std::vector<int64_t> &shape, const Device &device, CallContext &ctx, bool is_input);
    ~KernelBuffer();
    KernelBuffer(const KernelBuffer &) = delete;
    KernelBuffer &operator=(const KernelBuffer &) = delete;

    halide_buffer_t *get() { return &buf_; }

private:
    void init(void *data, const std::vector<int64_t> &shape, const std::vector<int64_t> &strides,
              const Device &device, bool is_input);
    halide_buffer_t buf_{};
    halide_dimension_t dims_[8]{};
    CallContext &ctx_;
    bool wrapped_ = false;
};

}  // namespace seqmix::detail
