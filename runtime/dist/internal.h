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

// Error unless t has `shape`, float32, one stride per dimension and `dev` (`ref`: the argument
// whose device the others must share, for the message).
void expect_shape(const char *fn, const char *name, const Tensor &t, const std::vector<int64_t> &shape, const Device &dev,
                  const char *ref = "q");

// The phases of one sequence-parallel call, for DistOptions::timings. mark() ends a phase: it
// synchronises the stream only when timings are asked for (a call without them waits for nothing
// but what it must). report() fills the Timings from the six marks.
class PhaseClock {
public:
    PhaseClock(const DistOptions &dist, const Device &dev, void *stream)
        : timings_(dist.timings), sync_(dist.timings && dev.type == DeviceType::cuda), stream_(stream), start_(now()) {}
    double mark() const {
        if (sync_) cuda::sync(stream_);
        return now();
    }
    // meta: the shapes exchanged; local: this rank's own work before the collective; comm: the
    // collective done; combine: its result combined; out: the outputs written.
    void report(double meta, double local, double comm, double combine, double out) const {
        if (timings_) *timings_ = {local - meta, (meta - start_) + (comm - local), combine - comm, out - combine, out - start_};
    }

private:
    Timings *timings_;
    bool sync_;
    void *stream_;
    double start_;
};

}  // namespace seqmix::dist::detail
