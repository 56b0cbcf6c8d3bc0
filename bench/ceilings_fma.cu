// seqmix-bench: the device's FP32 FMA throughput, the compute ceiling for GPU rows (Halide 21
// emits no tensor-core code, so seqmix's GPU stages run on these units: DESIGN.md, "Targets").
// Each thread runs 8 independent FMA chains so that latency is hidden; every result is stored so
// that nothing is dead code.
#include <cuda_runtime.h>

#include <algorithm>

namespace {

constexpr int kChains = 8;
constexpr int kIters = 4096;

__global__ void fma_chains(float *out, float a, float b) {
    float x[kChains];
#pragma unroll
    for (int c = 0; c < kChains; c++) x[c] = float(threadIdx.x + c);
    for (int i = 0; i < kIters; i++) {
#pragma unroll
        for (int c = 0; c < kChains; c++) x[c] = fmaf(x[c], a, b);
    }
    float sum = 0;
#pragma unroll
    for (int c = 0; c < kChains; c++) sum += x[c];
    out[blockIdx.x * blockDim.x + threadIdx.x] = sum;
}

}  // namespace

extern "C" double seqmix_bench_gpu_fma_gflops(int device) {
    if (cudaSetDevice(device) != cudaSuccess) return 0;
    int sms = 0;
    cudaDeviceGetAttribute(&sms, cudaDevAttrMultiProcessorCount, device);
    const int threads = 256, blocks = sms * 8;
    float *out = nullptr;
    if (cudaMalloc(&out, sizeof(float) * threads * blocks) != cudaSuccess) return 0;
    cudaEvent_t e0, e1;
    cudaEventCreate(&e0);
    cudaEventCreate(&e1);
    float best_ms = 1e30f;
    for (int r = 0; r < 12; r++) {
        cudaEventRecord(e0);
        fma_chains<<<blocks, threads>>>(out, 0.999f, 0.001f);
        cudaEventRecord(e1);
        cudaEventSynchronize(e1);
        float ms = 0;
        cudaEventElapsedTime(&ms, e0, e1);
        if (r >= 2) best_ms = std::min(best_ms, ms);  // first two are warm-up
    }
    bool ok = cudaGetLastError() == cudaSuccess;
    cudaEventDestroy(e0);
    cudaEventDestroy(e1);
    cudaFree(out);
    if (!ok) return 0;
    double flops = 2.0 * kChains * double(kIters) * threads * blocks;
    return flops / (double(best_ms) * 1e-3) / 1e9;
}
