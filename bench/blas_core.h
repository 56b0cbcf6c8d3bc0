// seqmix-bench: make OpenBLAS run its kernels for this CPU's ISA. OpenBLAS picks its kernels by
// CPU model when it loads; a model newer than its table (0.3.21 and Intel family 6 model 207,
// Emerald Rapids) falls back to Prescott's SSE3 kernels, which measured the AVX-512 sgemm ceiling
// at 48-65 instead of 262-311 GFLOP/s and every row's fraction of it 4-5x too high.
#pragma once

#include <string>

namespace seqmix::bench {

// The OpenBLAS core this process runs (openblas_get_corename()).
std::string blas_core();

// When OpenBLAS's core lacks an ISA the CPU has and OPENBLAS_CORETYPE is unset: sets
// OPENBLAS_CORETYPE to the core of that ISA and re-executes this program (the variable is read
// only at load). Returns only when no re-execution was needed or it failed (then a warning is
// printed and the ceiling stays the one OpenBLAS reaches).
void ensure_blas_core_matches_isa(char **argv);

}  // namespace seqmix::bench
