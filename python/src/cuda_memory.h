// seqmix-owned CUDA memory for frameworks that lend no allocator (JAX): outputs are allocated here
// and handed to the framework by DLPack, the capsule's deleter freeing them. The driver is loaded
// at first use (dlopen, as the runtime does), so the extension needs no CUDA at build or load time.
#pragma once

#include <cstddef>
#include <cstdint>

namespace seqmix_py {

// cuMemAlloc in the device's primary context (the one the runtime's kernels and PyTorch use).
// Throws seqmix::Error when the driver or the memory is not there.
void *cuda_alloc(size_t bytes, int device);
void cuda_free(void *ptr, int device) noexcept;
// cuStreamSynchronize (0: the legacy default stream) in the device's primary context.
void cuda_synchronize(uintptr_t stream, int device);

}  // namespace seqmix_py
