// seqmix-bench: this machine's ceilings, measured in the same run as the rows, so that each
// row's fraction compares against what this machine did today, not a datasheet.
#pragma once

#include <optional>

#include <nlohmann/json.hpp>

#include "machine.h"

namespace seqmix::bench {

struct Ceilings {
    double cpu_sgemm_gflops = 0;         // OpenBLAS cblas_sgemm, N^3, all cores, best of repeats
    int cpu_sgemm_n = 0;
    double cpu_stream_gbps = 0;          // STREAM's scale kernel, plain stores, read + write bytes, best
    double cpu_copy_gbps = 0;            // multi-threaded memcpy >> LLC, read + write bytes, best
    double cpu_copy_buffer_bytes = 0;
    double cpu_read_gbps = 0;            // multi-threaded sum over a buffer of the copy's size, read bytes, best
    std::optional<double> gpu_copy_gbps;        // cudaMemcpyDeviceToDevice of 1 GiB, read + write
    std::optional<double> gpu_fp32_fma_gflops;  // FP32 FMA kernel (ceilings_fma.cu), if built
};

// quick: smaller problems (CI smoke); the numbers are then rough.
Ceilings measure_ceilings(const Machine &machine, bool cpu, bool gpu, bool quick);
nlohmann::json to_json(const Ceilings &c);

}  // namespace seqmix::bench
