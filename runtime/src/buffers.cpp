#include "buffers.h"

#include <algorithm>
#include <memory>
#include <vector>

#include <fmt/format.h>
#ifdef SEQMIX_HAS_CUDA
#include <HalideRuntimeCuda.h>
#endif

#include "cuda_driver.h"

namespace seqmix::detail {

KernelBuffer::KernelBuffer(const Tensor &t, CallContext &ctx, bool is_input) : ctx_(ctx) {
    init(t.data, t.shape, t.strides, t.device, is_input);
    if (t.dtype == DType::i32) buf_.type = halide_type_t(halide_type_int, 32);  // decode_attention's lens
}

KernelBuffer::KernelBuffer(const std::vector<int64_t> &shape, const Device &device, CallContext &ctx, bool is_input)
    : ctx_(ctx) {
    const size_t bytes = static_cast<size_t>(shape.back()) * sizeof(float);
    void *data = nullptr;
    if (device.type == DeviceType::cpu) {
        // Thread-local: concurrent calls on other threads never share the scratch row. Rows only
        // grow, and a grown row never frees the one it replaces: one call may hold several absent
        // tensors of different lengths (selective_scan's Dskip [D] and z [B,D,T]; ssd's Dskip [H] and initial_state), and a
        // reallocation would leave the earlier ones dangling.
        thread_local std::vector<std::vector<float>> zero_rows, sink_rows;
        auto &rows = is_input ? zero_rows : sink_rows;
        if (rows.empty() || rows.back().size() < static_cast<size_t>(shape.back())) {
            rows.emplace_back(static_cast<size_t>(shape.back()), 0.0f);
        }
        data = rows.back().data();
    } else {
#ifdef SEQMIX_HAS_CUDA
        data = is_input ? cuda::zeros(device.index, bytes) : cuda::sink(device.index, bytes);
#endif
        if (!data) throw Error(fmt::format("{}: cannot allocate {} bytes on cuda:{}", ctx.fn, bytes, device.index));
    }
    std::vector<int64_t> strides(shape.size(), 0);
    strides.back() = 1;
    init(data, shape, strides, device, is_input);
}

void KernelBuffer::init(void *data, const std::vector<int64_t> &shape, const std::vector<int64_t> &strides,
                        const Device &device, bool is_input) {
    const int rank = static_cast<int>(shape.size());
    for (int i = 0; i < rank; i++) {
        dims_[i].min = 0;
        dims_[i].extent = static_cast<int32_t>(shape[rank - 1 - i]);
        dims_[i].stride = static_cast<int32_t>(strides[rank - 1 - i]);
        dims_[i].flags = 0;
    }
    buf_.dimensions = rank;
    buf_.dim = dims_;
    buf_.type = halide_type_t(halide_type_float, 32);
    if (device.type == DeviceType::cpu) {
        buf_.host = static_cast<uint8_t *>(data);
        return;
    }
#ifdef SEQMIX_HAS_CUDA
    int status = halide_cuda_wrap_device_ptr(&ctx_, &buf_, reinterpret_cast<uint64_t>(data));
    if (status != 0) {
        throw Error(fmt::format("{}: cannot wrap a device pointer for Halide (error {}): {}", ctx_.fn, status,
                                ctx_.error));
    }
    wrapped_ = true;
    // Inputs hold their data on the device; outputs are produced there. There is no host copy.
    if (is_input) buf_.flags |= halide_buffer_flag_device_dirty;
#else
    (void)is_input;
#endif
}

KernelBuffer::~KernelBuffer() {
#ifdef SEQMIX_HAS_CUDA
    if (wrapped_) {
        buf_.flags &= ~uint64_t(halide_buffer_flag_device_dirty);
        halide_cuda_detach_device_ptr(&ctx_, &buf_);
    }
#endif
}

}  // namespace seqmix::detail
