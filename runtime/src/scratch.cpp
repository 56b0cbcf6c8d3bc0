#include "scratch.h"

#include <fmt/format.h>

#include "cuda_driver.h"

namespace seqmix::detail {

Scratch::Scratch(const char *fn, std::vector<int64_t> shape, const Device &device, void *stream) : stream_(stream) {
    int64_t n = 1;
    for (int64_t e : shape) n *= e;
    void *data = nullptr;
    if (device.type == DeviceType::cpu) {
        host_.reset(new float[static_cast<size_t>(n)]);
        data = host_.get();
    } else {
        std::string why;
        data = cuda::alloc(device.index, static_cast<size_t>(n) * sizeof(float), stream, why);
        if (!data) {
            throw Error(fmt::format("{}: cannot allocate {} bytes of scratch on cuda:{}: {}", fn, n * 4, device.index,
                                    why));
        }
    }
    t_ = Tensor::contiguous(data, DType::f32, std::move(shape), device);
}

Scratch::~Scratch() {
    if (t_.device.type == DeviceType::cuda) cuda::release(t_.device.index, t_.data, stream_);
}

Tensor select(const Tensor &x, int dim, int64_t index) {
    Tensor v = x;
    v.data = static_cast<float *>(x.data) + index * x.strides[dim];
    v.shape.erase(v.shape.begin() + dim);
    v.strides.erase(v.strides.begin() + dim);
    return v;
}

void input_or_zeros(std::optional<KernelBuffer> &b, const std::optional<Tensor> &t, const std::vector<int64_t> &shape,
                    const Device &device, CallContext &ctx) {
    if (t) {
        b.emplace(*t, ctx, true);
    } else {
        b.emplace(shape, device, ctx, true);
    }
}

}  // namespace seqmix::detail
