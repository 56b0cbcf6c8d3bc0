// The host scratch cache behind Halide's halide_malloc / halide_free in libseqmix.
//
// A CPU kernel's compute_root stages are allocated at every call and freed at its end (delta_rule
// at B=1, T=4096, H=8: eleven 8 MiB blocks). glibc serves such blocks with mmap, or from a heap top
// that free() trims back to the OS, so each call page-faults ~90 MiB back in and zeroes it: 15-20%
// of delta_rule's time on the 2-core Xeon (perf: exc_page_fault, clear_page_erms, memcg charge).
// Blocks of at least kMinCached bytes are kept after free() for the next request of (nearly) the
// same size, as PyTorch's caching allocators do, up to a limit on the idle bytes; smaller blocks
// go straight to the system allocator. Thread-safe; the limit is SEQMIX_HOST_CACHE_MB (MiB, read
// once) or set_host_cache_limit(), default 1 GiB; 0 disables caching.
#pragma once

#include <cstddef>

#include "seqmix/seqmix.h"

namespace seqmix::detail {

// halide_malloc_t / halide_free_t: 64-byte aligned, sizes rounded up to a multiple of 64 (Halide's
// contract for x86 vector loads past the last element).
void *host_cache_malloc(void *user_context, size_t bytes);
void host_cache_free(void *user_context, void *ptr);

} // namespace seqmix::detail
