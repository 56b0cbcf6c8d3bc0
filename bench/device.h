// seqmix-bench: buffers and timers on the CPU or a CUDA device, so that the row code is the
// same for both. CUDA support exists only in builds with SEQMIX_BENCH_CUDA (the CUDA toolkit was
// found); elsewhere every CUDA entry point throws seqmix::Error saying so.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <seqmix/seqmix.h>

namespace seqmix::bench {

bool built_with_cuda();

// A float buffer on one device. Move-only; frees itself.
class Buffer {
public:
    Buffer() = default;
    Buffer(Device device, size_t count);  // uninitialised
    Buffer(Device device, const std::vector<float> &host);
    ~Buffer();
    Buffer(Buffer &&other) noexcept;
    Buffer &operator=(Buffer &&other) noexcept;
    Buffer(const Buffer &) = delete;
    Buffer &operator=(const Buffer &) = delete;

    float *data() const { return data_; }
    size_t count() const { return count_; }
    size_t bytes() const { return count_ * sizeof(float); }
    Device device() const { return device_; }
    std::vector<float> to_host() const;
    seqmix::Tensor view(std::vector<int64_t> shape) const {
        return seqmix::Tensor::contiguous(data_, std::move(shape), device_);
    }

private:
    void release();
    float *data_ = nullptr;
    size_t count_ = 0;
    Device device_;
};

// Where a row runs: the device, and for CUDA the stream the calls go to (options.stream).
class Runner {
public:
    explicit Runner(Device device);
    ~Runner();
    Runner(const Runner &) = delete;
    Runner &operator=(const Runner &) = delete;

    Device device() const { return device_; }
    void *stream() const { return stream_; }
    // Seconds one call of `fn` took: steady clock on the CPU; CUDA events recorded on the stream
    // before and after it, then a stream synchronize (host launch overhead counts when the GPU
    // waits for it, as it would for a caller).
    double time(const std::function<void()> &fn);
    // CUDA only: captures call(0) .. call(n-1) on the stream as one CUDA graph and returns the
    // seconds per call of its replays, each replay timed with events as `time` does: the figure
    // the GPU peers are quoted at (graph replays), with no host launch cost in it. Throws
    // seqmix::Error with CUDA's reason when the calls cannot be captured.
    std::vector<double> graph_times(const std::function<void(int)> &call, int n, int replays);
    void synchronize();

private:
    Device device_;
    void *stream_ = nullptr;
    void *start_ = nullptr, *stop_ = nullptr;
};

// GPU facts for the JSON and for cache rotation; empty name when none or not built with CUDA.
struct GpuInfo {
    std::string name;
    int sm_count = 0, cc_major = 0, cc_minor = 0;
    double l2_bytes = 0, memory_bytes = 0;
    int clock_khz = 0, memory_clock_khz = 0, memory_bus_bits = 0;
    std::string driver, runtime;
};
GpuInfo gpu_info(int index = 0);

}  // namespace seqmix::bench
