// What the seqmix::dist sources share: CUDA memory through the CUDA runtime (only in builds with
// the CUDA toolkit; elsewhere every CUDA entry point throws), scratch buffers, strided copies.
#pragma once

#include <seqmix/dist.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace seqmix::dist::detail {

// Whether this build can touch CUDA memory (compiled with the CUDA runtime).
bool cuda_built();
// Error unless built with CUDA; names the caller.
void require_cuda(const char *what);

namespace cuda {
void set_device(int device);
void *malloc(int device, size_t bytes);
void free(void *ptr);
void copy(void *dst, const void *src, size_t bytes, void *stream);  // any direction, async on stream
// width bytes x height rows, with row pitches in bytes
void copy_2d(void *dst, size_t dpitch, const void *src, size_t spitch, size_t width, size_t height, void *stream);
void memset_zero(void *dst, size_t bytes, void *stream);  // async on stream
void sync(void *stream);
int device_count();
}  // namespace cuda

// A growing allocation reused across calls, on the host or on one CUDA device.
class Scratch {
public:
    Scratch() = default;
    ~Scratch();
    Scratch(const Scratch &) = delete;
    Scratch &operator=(const Scratch &) = delete;
    void *get(Device device, size_t bytes);

private:
    std::vector<unsigned char> host_;
    void *dev_ = nullptr;
    size_t dev_bytes_ = 0;
    int dev_index_ = -1;
};

size_t dtype_size(DType dtype);
std::string shape_string(const std::vector<int64_t> &shape);
bool is_contiguous(const Tensor &t);

// A rank-4 view <-> a row-major contiguous host array of its elements (float32 only).
void read_4d(const Tensor &src, float *host, void *stream);
void write_4d(const float *host, const Tensor &dst, void *stream);

// Seconds since an arbitrary epoch (steady clock).
double now();

}  // namespace seqmix::dist::detail
