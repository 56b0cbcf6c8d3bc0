// seqmix-bench: CPU and CUDA buffers and timers (device.h). The CUDA half is compiled only with
// SEQMIX_BENCH_CUDA, which CMake defines when the CUDA toolkit is there; the bench links the
// static CUDA runtime so that one binary runs on the GPU host beside the libraries.
#include "device.h"

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <utility>

#include <fmt/format.h>

#ifdef SEQMIX_BENCH_CUDA
#include <cuda_runtime.h>
#endif

namespace seqmix::bench {

namespace {

#ifdef SEQMIX_BENCH_CUDA
void check(cudaError_t err, const char *what) {
    if (err != cudaSuccess) throw seqmix::Error(fmt::format("seqmix-bench: {}: {}", what, cudaGetErrorString(err)));
}
#else
[[noreturn]] void no_cuda() {
    throw seqmix::Error("seqmix-bench: built without the CUDA toolkit (SEQMIX_BENCH_CUDA), cannot use a CUDA device");
}
#endif

}  // namespace

bool built_with_cuda() {
#ifdef SEQMIX_BENCH_CUDA
    return true;
#else
    return false;
#endif
}

Buffer::Buffer(Device device, size_t count) : count_(count), device_(device) {
    if (device.type == DeviceType::cpu) {
        // 64-byte alignment for vector loads; rounded up as aligned_alloc requires.
        size_t bytes = ((count * sizeof(float) + 63) / 64) * 64;
        data_ = static_cast<float *>(std::aligned_alloc(64, bytes ? bytes : 64));
        if (!data_) throw seqmix::Error(fmt::format("seqmix-bench: out of host memory ({} bytes)", bytes));
        return;
    }
#ifdef SEQMIX_BENCH_CUDA
    check(cudaSetDevice(device.index), "cudaSetDevice");
    void *p = nullptr;
    check(cudaMalloc(&p, count * sizeof(float)), "cudaMalloc");
    data_ = static_cast<float *>(p);
#else
    no_cuda();
#endif
}

Buffer::Buffer(Device device, const std::vector<float> &host) : Buffer(device, host.size()) {
    if (device.type == DeviceType::cpu) {
        std::memcpy(data_, host.data(), bytes());
        return;
    }
#ifdef SEQMIX_BENCH_CUDA
    check(cudaMemcpy(data_, host.data(), bytes(), cudaMemcpyHostToDevice), "cudaMemcpy H2D");
#endif
}

std::vector<float> Buffer::to_host() const {
    std::vector<float> host(count_);
    if (device_.type == DeviceType::cpu) {
        std::memcpy(host.data(), data_, bytes());
        return host;
    }
#ifdef SEQMIX_BENCH_CUDA
    check(cudaDeviceSynchronize(), "cudaDeviceSynchronize");
    check(cudaMemcpy(host.data(), data_, bytes(), cudaMemcpyDeviceToHost), "cudaMemcpy D2H");
#endif
    return host;
}

void Buffer::release() {
    if (!data_) return;
    if (device_.type == DeviceType::cpu) {
        std::free(data_);
    } else {
#ifdef SEQMIX_BENCH_CUDA
        cudaFree(data_);
#endif
    }
    data_ = nullptr;
    count_ = 0;
}

Buffer::~Buffer() { release(); }

Buffer::Buffer(Buffer &&other) noexcept
    : data_(std::exchange(other.data_, nullptr)), count_(std::exchange(other.count_, 0)), device_(other.device_) {}

Buffer &Buffer::operator=(Buffer &&other) noexcept {
    if (this != &other) {
        release();
        data_ = std::exchange(other.data_, nullptr);
        count_ = std::exchange(other.count_, 0);
        device_ = other.device_;
    }
    return *this;
}

Runner::Runner(Device device) : device_(device) {
    if (device.type == DeviceType::cpu) return;
#ifdef SEQMIX_BENCH_CUDA
    check(cudaSetDevice(device.index), "cudaSetDevice");
    cudaStream_t s;
    check(cudaStreamCreateWithFlags(&s, cudaStreamNonBlocking), "cudaStreamCreate");
    stream_ = s;
    cudaEvent_t a, b;
    check(cudaEventCreate(&a), "cudaEventCreate");
    check(cudaEventCreate(&b), "cudaEventCreate");
    start_ = a;
    stop_ = b;
#else
    no_cuda();
#endif
}

Runner::~Runner() {
#ifdef SEQMIX_BENCH_CUDA
    if (start_) cudaEventDestroy(static_cast<cudaEvent_t>(start_));
    if (stop_) cudaEventDestroy(static_cast<cudaEvent_t>(stop_));
    if (stream_) cudaStreamDestroy(static_cast<cudaStream_t>(stream_));
#endif
}

double Runner::time(const std::function<void()> &fn) {
    if (device_.type == DeviceType::cpu) {
        auto t0 = std::chrono::steady_clock::now();
        fn();
        auto t1 = std::chrono::steady_clock::now();
        return std::chrono::duration<double>(t1 - t0).count();
    }
#ifdef SEQMIX_BENCH_CUDA
    auto s = static_cast<cudaStream_t>(stream_);
    check(cudaEventRecord(static_cast<cudaEvent_t>(start_), s), "cudaEventRecord");
    fn();
    check(cudaEventRecord(static_cast<cudaEvent_t>(stop_), s), "cudaEventRecord");
    check(cudaEventSynchronize(static_cast<cudaEvent_t>(stop_)), "cudaEventSynchronize");
    float ms = 0;
    check(cudaEventElapsedTime(&ms, static_cast<cudaEvent_t>(start_), static_cast<cudaEvent_t>(stop_)),
          "cudaEventElapsedTime");
    return double(ms) * 1e-3;
#else
    no_cuda();
#endif
}

std::vector<double> Runner::graph_times(const std::function<void(int)> &call, int n, int replays) {
#ifdef SEQMIX_BENCH_CUDA
    auto s = static_cast<cudaStream_t>(stream_);
    check(cudaStreamBeginCapture(s, cudaStreamCaptureModeThreadLocal), "cudaStreamBeginCapture");
    cudaGraph_t graph = nullptr;
    try {
        for (int i = 0; i < n; i++) call(i);
    } catch (...) {
        cudaStreamEndCapture(s, &graph);
        if (graph) cudaGraphDestroy(graph);
        cudaGetLastError();
        throw;
    }
    const cudaError_t ended = cudaStreamEndCapture(s, &graph);
    if (ended != cudaSuccess) {
        cudaGetLastError();
        throw seqmix::Error(fmt::format("not capturable: {}", cudaGetErrorString(ended)));
    }
    cudaGraphExec_t exec = nullptr;
    const cudaError_t made = cudaGraphInstantiate(&exec, graph, 0);
    cudaGraphDestroy(graph);
    if (made != cudaSuccess) {
        cudaGetLastError();
        throw seqmix::Error(fmt::format("graph not instantiated: {}", cudaGetErrorString(made)));
    }
    std::vector<double> per_call;
    try {
        for (int w = 0; w < 2; w++) check(cudaGraphLaunch(exec, s), "cudaGraphLaunch");
        for (int r = 0; r < replays; r++) {
            per_call.push_back(time([&] { check(cudaGraphLaunch(exec, s), "cudaGraphLaunch"); }) / n);
        }
    } catch (...) {
        cudaGraphExecDestroy(exec);
        throw;
    }
    cudaGraphExecDestroy(exec);
    return per_call;
#else
    (void)call, (void)n, (void)replays;
    no_cuda();
#endif
}

void Runner::synchronize() {
#ifdef SEQMIX_BENCH_CUDA
    if (stream_) check(cudaStreamSynchronize(static_cast<cudaStream_t>(stream_)), "cudaStreamSynchronize");
#endif
}

GpuInfo gpu_info(int index) {
    GpuInfo info;
#ifdef SEQMIX_BENCH_CUDA
    int count = 0;
    if (cudaGetDeviceCount(&count) != cudaSuccess || count <= index) {
        cudaGetLastError();  // clear the sticky "no device" error
        return info;
    }
    cudaDeviceProp prop{};
    if (cudaGetDeviceProperties(&prop, index) != cudaSuccess) return info;
    info.name = prop.name;
    info.sm_count = prop.multiProcessorCount;
    info.cc_major = prop.major;
    info.cc_minor = prop.minor;
    info.l2_bytes = double(prop.l2CacheSize);
    info.memory_bytes = double(prop.totalGlobalMem);
    info.memory_bus_bits = prop.memoryBusWidth;
    // clockRate and memoryClockRate left cudaDeviceProp in CUDA 13: ask the attributes.
    cudaDeviceGetAttribute(&info.clock_khz, cudaDevAttrClockRate, index);
    cudaDeviceGetAttribute(&info.memory_clock_khz, cudaDevAttrMemoryClockRate, index);
    int v = 0;
    if (cudaDriverGetVersion(&v) == cudaSuccess) info.driver = fmt::format("{}.{}", v / 1000, (v % 1000) / 10);
    if (cudaRuntimeGetVersion(&v) == cudaSuccess) info.runtime = fmt::format("{}.{}", v / 1000, (v % 1000) / 10);
#else
    (void)index;
#endif
    return info;
}

}  // namespace seqmix::bench
