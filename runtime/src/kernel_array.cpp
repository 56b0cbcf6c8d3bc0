#include "kernel_array.h"

#include <fmt/format.h>
#ifdef SEQMIX_HAS_CUDA
#include <HalideRuntimeCuda.h>
#endif

namespace seqmix::detail {

KernelArray::KernelArray(const std::vector<int64_t> &shape, const Device &device, CallContext &ctx,
                         const std::vector<float> *host)
    : ctx_(ctx) {
    const int rank = static_cast<int>(shape.size());
    int64_t stride = 1;
    for (int i = 0; i < rank; i++) {
        dims_[i] = {0, static_cast<int32_t>(shape[rank - 1 - i]), static_cast<int32_t>(stride), 0};
        stride *= shape[rank - 1 - i];
    }
    buf_.dimensions = rank;
    buf_.dim = dims_;
    buf_.type = halide_type_t(halide_type_float, 32);
    if (device.type == DeviceType::cpu) {
        if (!host) scratch_.assign(static_cast<size_t>(stride), 0.0f);
        buf_.host = reinterpret_cast<uint8_t *>(const_cast<float *>(host ? host->data() : scratch_.data()));
        return;
    }
#ifdef SEQMIX_HAS_CUDA
    int status = halide_device_malloc(&ctx_, &buf_, halide_cuda_device_interface());
    if (status == 0 && host) {
        buf_.host = reinterpret_cast<uint8_t *>(const_cast<float *>(host->data()));
        buf_.flags |= halide_buffer_flag_host_dirty;
        status = halide_copy_to_device(&ctx_, &buf_, halide_cuda_device_interface());
        buf_.host = nullptr;  // the kernel reads the device copy only
    }
    if (status != 0) {
        throw Error(fmt::format("{}: cannot allocate {} floats of scratch on cuda:{} (error {}): {}", ctx_.fn, stride,
                                device.index, status, ctx_.error));
    }
    on_device_ = true;
#else
    throw Error(fmt::format("{}: this build has no CUDA support", ctx_.fn));
#endif
}

KernelArray::~KernelArray() {
#ifdef SEQMIX_HAS_CUDA
    if (on_device_) halide_device_free(&ctx_, &buf_);
#endif
}

}  // namespace seqmix::detail
