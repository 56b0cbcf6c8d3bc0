// One tensor's storage on the backend a variant runs on, so the same test body runs the CPU and
// the CUDA variants. CPU: a host vector. CUDA: cudaMalloc'd memory, filled and read back with
// cudaMemcpy (compiled only with SEQMIX_TEST_CUDA, which the build defines when it links the CUDA
// runtime into the tests).
//
// A Buffer owns a flat storage and exposes a strided view of it: contiguous by default, or with
// padded outer strides so that the kernels see non-contiguous inputs and outputs. The storage
// starts as NaN: an input element the kernel must not read (padding) poisons what reads it, and an
// output element the kernel forgot to write stays NaN.
#pragma once

#include <seqmix/seqmix.h>

#include <cstdint>
#include <string>
#include <vector>

namespace seqmix::test {

enum class Backend { cpu, cuda };

// "cuda-sm90" -> cuda; every other target dir is a CPU target.
Backend backend_of_target(const std::string &target);
const char *to_string(Backend backend);
seqmix::Device device_of(Backend backend);

// Whether this test binary can allocate memory for the backend: "" if yes, else the reason to skip.
std::string backend_unavailable_reason(Backend backend);

std::vector<int64_t> contiguous_strides(const std::vector<int64_t> &shape);
// Row-major strides with `pad` extra elements per step of every outer dimension (the last
// dimension stays contiguous, as the API requires).
std::vector<int64_t> padded_strides(const std::vector<int64_t> &shape, int64_t pad);

class Buffer {
public:
    Buffer(Backend backend, std::vector<int64_t> shape, std::vector<int64_t> strides = {});
    ~Buffer();
    Buffer(Buffer &&other) noexcept;
    Buffer &operator=(Buffer &&other) noexcept;
    Buffer(const Buffer &) = delete;
    Buffer &operator=(const Buffer &) = delete;

    // values: row-major contiguous [shape]; scattered into the view, padding left as NaN.
    void upload(const std::vector<float> &values);
    // The view gathered into row-major contiguous [shape].
    std::vector<float> download() const;
    // Whether every storage element outside the view still holds the NaN it started with.
    bool padding_untouched() const;

    seqmix::Tensor tensor() const;
    // The view with dimension `dim` restricted to [start, start + length).
    seqmix::Tensor slice(int dim, int64_t start, int64_t length) const;
    // The view at index `index` of dimension `dim`, that dimension removed (rank - 1).
    seqmix::Tensor select(int dim, int64_t index) const;

    const std::vector<int64_t> &shape() const { return shape_; }
    int64_t numel() const;

private:
    void release();
    std::vector<float> read_storage() const;
    void write_storage(const std::vector<float> &storage);
    std::vector<int64_t> offsets() const;  // storage offset of each view element, row-major

    Backend backend_;
    std::vector<int64_t> shape_;
    std::vector<int64_t> strides_;
    int64_t storage_size_ = 0;
    std::vector<float> host_;  // CPU storage
    float *device_ = nullptr;  // CUDA storage
};

}  // namespace seqmix::test
