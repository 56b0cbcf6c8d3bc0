// CUDA memory for seqmix::dist through the CUDA runtime (linked statically where the build has
// the toolkit; it finds libcuda.so.1 at first use, so CPU-only hosts run the MPI back end), and
// the strided state copies both back ends share.
#include "internal.h"

#include <chrono>

#include <fmt/format.h>

#ifdef SEQMIX_DIST_CUDA
#include <cuda_runtime.h>
#endif

namespace seqmix::dist::detail {

#ifdef SEQMIX_DIST_CUDA
namespace {
void check(cudaError_t e, const char *what) {
    if (e != cudaSuccess) throw Error(fmt::format("seqmix::dist: {} failed: {}", what, cudaGetErrorString(e)));
}
}  // namespace

bool cuda_built() { return true; }
void require_cuda(const char *) {}

namespace cuda {
void set_device(int device) { check(cudaSetDevice(device), "cudaSetDevice"); }
void *malloc(int device, size_t bytes) {
    set_device(device);
    void *p = nullptr;
    check(cudaMalloc(&p, bytes ? bytes : 1), "cudaMalloc");
    return p;
}
void free(void *ptr) {
    if (ptr) cudaFree(ptr);
}
void copy(void *dst, const void *src, size_t bytes, void *stream) {
    check(cudaMemcpyAsync(dst, src, bytes, cudaMemcpyDefault, static_cast<cudaStream_t>(stream)), "cudaMemcpyAsync");
}
void copy_2d(void *dst, size_t dpitch, const void *src, size_t spitch, size_t width, size_t height, void *stream) {
    if (!width || !height) return;
    check(cudaMemcpy2DAsync(dst, dpitch, src, spitch, width, height, cudaMemcpyDefault, static_cast<cudaStream_t>(stream)),
          "cudaMemcpy2DAsync");
}
void memset_zero(void *dst, size_t bytes, void *stream) {
    check(cudaMemsetAsync(dst, 0, bytes, static_cast<cudaStream_t>(stream)), "cudaMemsetAsync");
}
void sync(void *stream) { check(cudaStreamSynchronize(static_cast<cudaStream_t>(stream)), "cudaStreamSynchronize"); }
int device_count() {
    int n = 0;
    if (cudaGetDeviceCount(&n) != cudaSuccess) return 0;
    return n;
}
}  // namespace cuda
#else
bool cuda_built() { return false; }
void require_cuda(const char *what) {
    throw Error(fmt::format("{}: this build of seqmix::dist has no CUDA (configure with SEQMIX_CUDA=ON and the CUDA toolkit)", what));
}
namespace cuda {
void set_device(int) { require_cuda("seqmix::dist"); }
void *malloc(int, size_t) { require_cuda("seqmix::dist"); return nullptr; }
void free(void *) {}
void copy(void *, const void *, size_t, void *) { require_cuda("seqmix::dist"); }
void copy_2d(void *, size_t, const void *, size_t, size_t, size_t, void *) { require_cuda("seqmix::dist"); }
void memset_zero(void *, size_t, void *) { require_cuda("seqmix::dist"); }
void sync(void *) { require_cuda("seqmix::dist"); }
int device_count() { return 0; }
}  // namespace cuda
#endif

Scratch::~Scratch() { cuda::free(dev_); }

void *Scratch::get(Device device, size_t bytes) {
    if (device.type == DeviceType::cpu) {
        if (host_.size() < bytes) host_.resize(bytes);
        return host_.data();
    }
    if (dev_ && (dev_index_ != device.index || dev_bytes_ < bytes)) {
        cuda::free(dev_);
        dev_ = nullptr;
    }
    if (!dev_) {
        dev_ = cuda::malloc(device.index, bytes);
        dev_bytes_ = bytes;
        dev_index_ = device.index;
    }
    return dev_;
}

size_t dtype_size(DType dtype) {
    switch (dtype) {
    case DType::f16:
    case DType::bf16: return 2;
    case DType::f32:
    case DType::i32: return 4;
    case DType::f64:
    case DType::i64: return 8;
    }
    return 4;
}

std::string shape_string(const std::vector<int64_t> &shape) {
    return fmt::format("[{}]", fmt::join(shape, ","));
}

bool is_contiguous(const Tensor &t) {
    int64_t expect = 1;
    for (int d = t.rank() - 1; d >= 0; --d) {
        if (t.shape[d] != 1 && t.strides[d] != expect) return false;
        expect *= t.shape[d];
    }
    return true;
}

namespace {
// One (b, h) block of a [B,H,K,V] view is K rows of V contiguous elements, rows strides[2] apart:
// a 2D copy. B*H copies per state, each a few KB.
template<bool kRead>
void copy_4d(const Tensor &t, float *host, void *stream) {
    const int64_t B = t.shape[0], H = t.shape[1], K = t.shape[2], V = t.shape[3];
    auto *base = static_cast<float *>(t.data);
    for (int64_t b = 0; b < B; ++b) {
        for (int64_t h = 0; h < H; ++h) {
            float *view = base + b * t.strides[0] + h * t.strides[1];
            float *flat = host + (b * H + h) * K * V;
            if (t.device.type == DeviceType::cpu) {
                for (int64_t kk = 0; kk < K; ++kk) {
                    for (int64_t vv = 0; vv < V; ++vv) {
                        if (kRead) flat[kk * V + vv] = view[kk * t.strides[2] + vv];
                        else view[kk * t.strides[2] + vv] = flat[kk * V + vv];
                    }
                }
            } else if (kRead) {
                cuda::copy_2d(flat, V * 4, view, t.strides[2] * 4, V * 4, K, stream);
            } else {
                cuda::copy_2d(view, t.strides[2] * 4, flat, V * 4, V * 4, K, stream);
            }
        }
    }
}
}  // namespace

void read_4d(const Tensor &src, float *host, void *stream) { copy_4d<true>(src, host, stream); }
void write_4d(const float *host, const Tensor &dst, void *stream) { copy_4d<false>(dst, const_cast<float *>(host), stream); }

double now() {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

}  // namespace seqmix::dist::detail
