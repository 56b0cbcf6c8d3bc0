#include "support/device.h"

#include <cmath>
#include <limits>
#include <stdexcept>
#include <utility>

#ifdef SEQMIX_TEST_CUDA
#include <cuda_runtime.h>
#endif

namespace seqmix::test {

namespace {

#ifdef SEQMIX_TEST_CUDA
void check_cuda(cudaError_t err, const char *what) {
    if (err != cudaSuccess) {
        throw std::runtime_error(std::string("test support: ") + what + ": " + cudaGetErrorString(err));
    }
}
#endif

}  // namespace

Backend backend_of_target(const std::string &target) {
    return target.rfind("cuda", 0) == 0 ? Backend::cuda : Backend::cpu;
}

const char *to_string(Backend backend) {
    return backend == Backend::cuda ? "cuda" : "cpu";
}

seqmix::Device device_of(Backend backend) {
    return backend == Backend::cuda ? seqmix::Device::cuda(0) : seqmix::Device::cpu();
}

std::string backend_unavailable_reason(Backend backend) {
    if (backend == Backend::cpu) {
        return "";
    }
#ifndef SEQMIX_TEST_CUDA
    return "built without CUDA runtime in tests";
#else
    if (!seqmix::cuda_available()) {
        return "no CUDA device on this host";
    }
    return "";
#endif
}

std::vector<int64_t> contiguous_strides(const std::vector<int64_t> &shape) {
    return padded_strides(shape, 0);
}

std::vector<int64_t> padded_strides(const std::vector<int64_t> &shape, int64_t pad) {
    std::vector<int64_t> strides(shape.size(), 1);
    for (size_t d = shape.size(); d-- > 1;) {
        strides[d - 1] = strides[d] * shape[d] + pad;
    }
    return strides;
}

Buffer::Buffer(Backend backend, std::vector<int64_t> shape, std::vector<int64_t> strides)
    : backend_(backend), shape_(std::move(shape)), strides_(std::move(strides)) {
    if (strides_.empty()) {
        strides_ = contiguous_strides(shape_);
    }
    storage_size_ = 1;
    for (size_t d = 0; d < shape_.size(); d++) {
        storage_size_ += (shape_[d] - 1) * strides_[d];
    }
    if (numel() == 0) {
        storage_size_ = 1;  // keep a valid, non-null pointer for zero-size views
    }
    const std::vector<float> nan(storage_size_, std::numeric_limits<float>::quiet_NaN());
    if (backend_ == Backend::cuda) {
#ifdef SEQMIX_TEST_CUDA
        check_cuda(cudaMalloc(reinterpret_cast<void **>(&device_), storage_size_ * sizeof(float)), "cudaMalloc");
#else
        throw std::runtime_error("test support: CUDA buffer requested in a build without SEQMIX_TEST_CUDA");
#endif
    }
    write_storage(nan);
}

Buffer::~Buffer() {
    release();
}

void Buffer::release() {
#ifdef SEQMIX_TEST_CUDA
    if (device_) {
        cudaFree(device_);
    }
#endif
    device_ = nullptr;
}

Buffer::Buffer(Buffer &&other) noexcept
    : backend_(other.backend_), shape_(std::move(other.shape_)), strides_(std::move(other.strides_)),
      storage_size_(other.storage_size_), host_(std::move(other.host_)), device_(std::exchange(other.device_, nullptr)) {
}

Buffer &Buffer::operator=(Buffer &&other) noexcept {
    if (this != &other) {
        release();
        backend_ = other.backend_;
        shape_ = std::move(other.shape_);
        strides_ = std::move(other.strides_);
        storage_size_ = other.storage_size_;
        host_ = std::move(other.host_);
        device_ = std::exchange(other.device_, nullptr);
    }
    return *this;
}

int64_t Buffer::numel() const {
    int64_t n = 1;
    for (int64_t s : shape_) {
        n *= s;
    }
    return n;
}

std::vector<float> Buffer::read_storage() const {
    if (backend_ == Backend::cpu) {
        return host_;
    }
    std::vector<float> out(storage_size_);
#ifdef SEQMIX_TEST_CUDA
    // The kernels run on the default stream (options.stream = nullptr); wait for them explicitly
    // so that an asynchronous kernel error is reported here rather than as wrong values.
    check_cuda(cudaDeviceSynchronize(), "cudaDeviceSynchronize");
    check_cuda(cudaMemcpy(out.data(), device_, storage_size_ * sizeof(float), cudaMemcpyDeviceToHost),
               "cudaMemcpy device to host");
#endif
    return out;
}

void Buffer::write_storage(const std::vector<float> &storage) {
    if (backend_ == Backend::cpu) {
        host_ = storage;
        return;
    }
#ifdef SEQMIX_TEST_CUDA
    check_cuda(cudaMemcpy(device_, storage.data(), storage_size_ * sizeof(float), cudaMemcpyHostToDevice),
               "cudaMemcpy host to device");
#endif
}

std::vector<int64_t> Buffer::offsets() const {
    std::vector<int64_t> out;
    out.reserve(numel());
    std::vector<int64_t> idx(shape_.size(), 0);
    for (int64_t n = numel(); n > 0; n--) {
        int64_t off = 0;
        for (size_t d = 0; d < shape_.size(); d++) {
            off += idx[d] * strides_[d];
        }
        out.push_back(off);
        for (size_t d = shape_.size(); d-- > 0;) {
            if (++idx[d] < shape_[d]) break;
            idx[d] = 0;
        }
    }
    return out;
}

void Buffer::upload(const std::vector<float> &values) {
    if (static_cast<int64_t>(values.size()) != numel()) {
        throw std::runtime_error("test support: upload of " + std::to_string(values.size()) + " values into a view of " +
                                 std::to_string(numel()));
    }
    std::vector<float> storage = read_storage();
    const std::vector<int64_t> off = offsets();
    for (size_t i = 0; i < off.size(); i++) {
        storage[off[i]] = values[i];
    }
    write_storage(storage);
}

std::vector<float> Buffer::download() const {
    const std::vector<float> storage = read_storage();
    const std::vector<int64_t> off = offsets();
    std::vector<float> out(off.size());
    for (size_t i = 0; i < off.size(); i++) {
        out[i] = storage[off[i]];
    }
    return out;
}

bool Buffer::padding_untouched() const {
    const std::vector<float> storage = read_storage();
    std::vector<bool> in_view(storage.size(), false);
    for (int64_t o : offsets()) {
        in_view[o] = true;
    }
    for (size_t i = 0; i < storage.size(); i++) {
        if (!in_view[i] && !std::isnan(storage[i])) {
            return false;
        }
    }
    return true;
}

seqmix::Tensor Buffer::tensor() const {
    float *data = backend_ == Backend::cuda ? device_ : const_cast<float *>(host_.data());
    return seqmix::Tensor(data, seqmix::DType::f32, shape_, strides_, device_of(backend_));
}

seqmix::Tensor Buffer::slice(int dim, int64_t start, int64_t length) const {
    seqmix::Tensor t = tensor();
    t.data = static_cast<float *>(t.data) + start * strides_[dim];
    t.shape[dim] = length;
    return t;
}

seqmix::Tensor Buffer::select(int dim, int64_t index) const {
    seqmix::Tensor t = tensor();
    t.data = static_cast<float *>(t.data) + index * strides_[dim];
    t.shape.erase(t.shape.begin() + dim);
    t.strides.erase(t.strides.begin() + dim);
    return t;
}

}  // namespace seqmix::test
