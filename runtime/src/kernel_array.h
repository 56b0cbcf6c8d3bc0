// Arrays the runtime itself hands to a kernel (not caller tensors): scratch between two kernels
// of one call (long_conv's filter spectrum) and host-computed constants (lmu's impulse response
// and transition matrices). On CPU a host vector; for a CUDA variant a device allocation through
// Halide's CUDA device interface, filled from the host data when there is some, freed on exit.
#pragma once

#include <HalideRuntime.h>

#include <cstdint>
#include <vector>

#include "call_context.h"
#include "seqmix/seqmix.h"

namespace seqmix::detail {

class KernelArray {
public:
    // shape outermost first, dense. `host` (may be empty: scratch) must match the shape's size
    // and outlive the call.
    KernelArray(const std::vector<int64_t> &shape, const Device &device, CallContext &ctx,
                const std::vector<float> *host = nullptr);
    ~KernelArray();
    KernelArray(const KernelArray &) = delete;
    KernelArray &operator=(const KernelArray &) = delete;

    halide_buffer_t *get() { return &buf_; }

private:
    halide_buffer_t buf_{};
    halide_dimension_t dims_[8]{};
    std::vector<float> scratch_;
    CallContext &ctx_;
    bool on_device_ = false;
};

}  // namespace seqmix::detail
