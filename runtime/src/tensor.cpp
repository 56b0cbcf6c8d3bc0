#include "seqmix/seqmix.h"

#include <fmt/format.h>

namespace seqmix {

Tensor::Tensor(void *data, DType dtype, std::vector<int64_t> shape, std::vector<int64_t> strides, Device device)
    : data(data), dtype(dtype), shape(std::move(shape)), strides(std::move(strides)), device(device) {}

Tensor Tensor::contiguous(void *data, DType dtype, std::vector<int64_t> shape, Device device) {
    std::vector<int64_t> strides(shape.size());
    int64_t s = 1;
    for (size_t i = shape.size(); i-- > 0;) {
        strides[i] = s;
        s *= shape[i];
    }
    return Tensor(data, dtype, std::move(shape), std::move(strides), device);
}

int64_t Tensor::numel() const {
    int64_t n = 1;
    for (int64_t d : shape) n *= d;
    return n;
}

}  // namespace seqmix
