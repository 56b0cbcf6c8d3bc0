// seqmix-bench: what machine the numbers came from (CPU model, cores, ISA flags, caches, GPU).
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "device.h"

namespace seqmix::bench {

struct Machine {
    std::string cpu_model;
    int cores = 1;               // hardware threads this process may use
    std::vector<std::string> isa;  // the x86 features that matter to seqmix's targets
    double llc_bytes = 0;        // last-level cache (sysfs; 64 MiB if unknown)
    std::string hostname;
    std::string blas_core;       // the OpenBLAS kernels the sgemm ceiling and BLAS peers run
    GpuInfo gpu;                 // empty name: no CUDA device (or built without CUDA)
};

Machine detect_machine(bool with_gpu);
nlohmann::json to_json(const Machine &m);

}  // namespace seqmix::bench
