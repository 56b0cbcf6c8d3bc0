// seqmix-bench: measured ceilings (ceilings.h). Each is the best of a few timed repeats after a
// warm-up: a ceiling is what the machine can reach, so the best run, not the median, is taken.
#include "ceilings.h"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <thread>
#include <vector>

#include <cblas.h>
#include <fmt/format.h>

#include "device.h"

#ifdef SEQMIX_BENCH_CUDA
#include <cuda_runtime.h>
#endif

#ifdef SEQMIX_BENCH_CUDA_FMA
// ceilings_fma.cu: FP32 FMA throughput of the device, GFLOP/s (2 flops per FMA).
extern "C" double seqmix_bench_gpu_fma_gflops(int device);
#endif

namespace seqmix::bench {

namespace {

double seconds_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

double cpu_sgemm(int n, int cores) {
    openblas_set_num_threads(cores);
    std::vector<float> a(size_t(n) * n, 1.0f / 3), b(size_t(n) * n, 0.5f), c(size_t(n) * n, 0.0f);
    auto run = [&] {
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1.0f, a.data(), n, b.data(), n, 0.0f,
                    c.data(), n);
    };
    run();  // warm-up: thread pool start, page faults
    double best = 1e30;
    for (int r = 0; r < 5; r++) {
        auto t0 = std::chrono::steady_clock::now();
        run();
        best = std::min(best, seconds_since(t0));
    }
    return 2.0 * double(n) * n * n / best / 1e9;
}

// Runs body(t, lo, hi) on `cores` threads t, one contiguous slice [lo, hi) of [0, count) each.
template<typename Body>
void parallel_slices(size_t count, int cores, Body &&body) {
    std::vector<std::thread> threads;
    for (int t = 0; t < cores; t++) {
        size_t lo = count * t / cores, hi = count * (t + 1) / cores;
        threads.emplace_back([&body, t, lo, hi] { body(t, lo, hi); });
    }
    for (auto &th : threads) th.join();
}

// Seconds of the fastest of 5 timed runs after one warm-up.
template<typename Run>
double best_seconds(Run &&run) {
    run();
    double best = 1e30;
    for (int r = 0; r < 5; r++) {
        auto t0 = std::chrono::steady_clock::now();
        run();
        best = std::min(best, seconds_since(t0));
    }
    return best;
}

// A source (i & 1023) and a zeroed destination of count floats each, allocated without touching
// and first-touched in parallel, one slice a thread (pages land near the thread that uses them).
struct SourceAndDestination {
    std::unique_ptr<float[]> src, dst;
};
SourceAndDestination first_touched(size_t count, int cores) {
    SourceAndDestination p{std::unique_ptr<float[]>(new float[count]), std::unique_ptr<float[]>(new float[count])};
    parallel_slices(count, cores, [&](int, size_t lo, size_t hi) {
        for (size_t i = lo; i < hi; i++) p.src[i] = float(i & 1023);
        std::memset(p.dst.get() + lo, 0, (hi - lo) * sizeof(float));
    });
    return p;
}

// Each thread copies its own contiguous slice; bytes counted = read + write.
double cpu_copy(size_t bytes, int cores) {
    size_t count = bytes / sizeof(float);
    auto [src_p, dst_p] = first_touched(count, cores);
    const double best = best_seconds([&] {
        parallel_slices(count, cores, [&](int, size_t lo, size_t hi) {
            std::memcpy(dst_p.get() + lo, src_p.get() + lo, (hi - lo) * sizeof(float));
        });
    });
    if (dst_p[count / 2] != src_p[count / 2]) throw std::runtime_error("seqmix-bench: copy ceiling copied wrongly");
    return 2.0 * double(count * sizeof(float)) / best / 1e9;
}

// STREAM's "scale" (b = s * c), each thread its own contiguous slice; bytes counted = read + write,
// as STREAM counts them. Its stores are the compiler's plain ones, as a kernel's are: a large
// memcpy streams its stores past the caches (non-temporal), which no Halide kernel can, and
// reaches about twice this rate where writes are costly (the 2-core Emerald Rapids VM: 39-41
// against 21-23 GB/s). The inner loop has a constant trip count so that -O2 vectorises it.
double cpu_stream(size_t bytes, int cores) {
    constexpr size_t kBlock = 64;
    const size_t blocks = bytes / sizeof(float) / kBlock, count = blocks * kBlock;
    auto [c_p, b_p] = first_touched(count, cores);
    const float scale = 3.0f;
    const double best = best_seconds([&] {
        parallel_slices(blocks, cores, [&](int, size_t lo, size_t hi) {
            float *__restrict b = b_p.get();
            const float *__restrict c = c_p.get();
            for (size_t blk = lo; blk < hi; blk++)
                for (size_t l = 0; l < kBlock; l++) b[blk * kBlock + l] = scale * c[blk * kBlock + l];
        });
    });
    if (b_p[count / 2] != scale * c_p[count / 2])
        throw std::runtime_error("seqmix-bench: stream ceiling scaled wrongly");
    return 2.0 * double(count * sizeof(float)) / best / 1e9;
}

// Each thread sums its own contiguous slice (16 independent partial sums, so that the loop is
// bound by the loads, not by one chain of adds); bytes counted = read. The ceiling of a kernel
// whose traffic is reads (decode attention over its KV cache): a copy's writes stream beside its
// reads, and on some machines (this 2-core Xeon VM) reads alone reach well under a copy's
// read + write rate.
double cpu_read(size_t bytes, int cores) {
    const size_t groups = bytes / sizeof(float) / 16, count = groups * 16;  // slices of whole groups of 16
    std::unique_ptr<float[]> src_p(new float[count]);
    parallel_slices(count, cores, [&](int, size_t lo, size_t hi) {
        for (size_t i = lo; i < hi; i++) src_p[i] = 1.0f;
    });
    std::vector<double> sums(static_cast<size_t>(cores));
    const double best = best_seconds([&] {
        parallel_slices(groups, cores, [&](int t, size_t lo, size_t hi) {
            float acc[16] = {};
            for (size_t i = lo * 16; i < hi * 16; i += 16)
                for (int l = 0; l < 16; l++) acc[l] += src_p[i + l];
            double total = 0;
            for (float a : acc) total += a;
            sums[size_t(t)] = total;
        });
    });
    double total = 0;
    for (double x : sums) total += x;
    if (total != double(count)) throw std::runtime_error("seqmix-bench: read ceiling summed wrongly");
    return double(count * sizeof(float)) / best / 1e9;
}

#ifdef SEQMIX_BENCH_CUDA
double gpu_copy(size_t bytes) {
    Buffer src(Device::cuda(0), bytes / sizeof(float)), dst(Device::cuda(0), bytes / sizeof(float));
    Runner runner(Device::cuda(0));
    auto s = static_cast<cudaStream_t>(runner.stream());
    cudaMemsetAsync(src.data(), 0, src.bytes(), s);
    auto copy = [&] { cudaMemcpyAsync(dst.data(), src.data(), src.bytes(), cudaMemcpyDeviceToDevice, s); };
    for (int w = 0; w < 2; w++) runner.time(copy);
    double best = 1e30;
    for (int r = 0; r < 10; r++) best = std::min(best, runner.time(copy));
    if (cudaGetLastError() != cudaSuccess) throw std::runtime_error("seqmix-bench: device copy ceiling failed");
    return 2.0 * double(src.bytes()) / best / 1e9;
}
#endif

}  // namespace

Ceilings measure_ceilings(const Machine &machine, bool cpu, bool gpu, bool quick) {
    Ceilings c;
    if (cpu) {
        c.cpu_sgemm_n = quick ? 1024 : 2048;
        c.cpu_sgemm_gflops = cpu_sgemm(c.cpu_sgemm_n, machine.cores);
        // >> LLC: at least 256 MiB and twice the LLC (some VMs report the host's whole L3).
        double want = quick ? 64.0 * (1 << 20) : std::max(256.0 * (1 << 20), 2.0 * machine.llc_bytes);
        c.cpu_copy_buffer_bytes = want;
        c.cpu_stream_gbps = cpu_stream(size_t(want), machine.cores);
        c.cpu_copy_gbps = cpu_copy(size_t(want), machine.cores);
        c.cpu_read_gbps = cpu_read(size_t(want), machine.cores);
    }
    if (gpu && !machine.gpu.name.empty()) {
#ifdef SEQMIX_BENCH_CUDA
        c.gpu_copy_gbps = gpu_copy(size_t(quick ? 256 : 1024) << 20);
#endif
#ifdef SEQMIX_BENCH_CUDA_FMA
        c.gpu_fp32_fma_gflops = seqmix_bench_gpu_fma_gflops(0);
#endif
    }
    return c;
}

nlohmann::json to_json(const Ceilings &c) {
    nlohmann::json j;
    j["cpu_sgemm_gflops"] = c.cpu_sgemm_gflops > 0 ? nlohmann::json(c.cpu_sgemm_gflops) : nlohmann::json();
    j["cpu_sgemm_n"] = c.cpu_sgemm_n;
    j["cpu_stream_gbps"] = c.cpu_stream_gbps > 0 ? nlohmann::json(c.cpu_stream_gbps) : nlohmann::json();
    j["cpu_copy_gbps"] = c.cpu_copy_gbps > 0 ? nlohmann::json(c.cpu_copy_gbps) : nlohmann::json();
    j["cpu_copy_buffer_bytes"] = c.cpu_copy_buffer_bytes;
    j["cpu_read_gbps"] = c.cpu_read_gbps > 0 ? nlohmann::json(c.cpu_read_gbps) : nlohmann::json();
    j["gpu_copy_gbps"] = c.gpu_copy_gbps ? nlohmann::json(*c.gpu_copy_gbps) : nlohmann::json();
    j["gpu_fp32_fma_gflops"] = c.gpu_fp32_fma_gflops ? nlohmann::json(*c.gpu_fp32_fma_gflops) : nlohmann::json();
    return j;
}

}  // namespace seqmix::bench
