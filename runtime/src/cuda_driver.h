// The few CUDA driver calls the runtime itself makes, loaded from libcuda.so.1 at first use so
// that libseqmix loads and runs its CPU variants on machines without a GPU.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace seqmix::detail::cuda {

// True when the driver loads, initialises and reports at least one device.
bool available();
int device_count();
// Compute capability as major * 10 + minor (90 for the H100).
int capability(int device);
// The device's primary context (retained once, as the CUDA runtime API does).
void *primary_context(int device);
// The calling thread's current context (nullptr if none).
void *current_context();
// Whether ptr is device (or managed) memory that the driver knows.
bool is_device_pointer(const void *ptr);
// A zeroed device allocation of at least `bytes`, owned by the runtime (for absent optional
// tensors, read or written with zero strides).
void *zeros(int device, size_t bytes);
// A device allocation of at least `bytes` that absent optional outputs write to (zero strides).
void *sink(int device, size_t bytes);
// A device allocation owned by the caller (scratch of one call), ordered on `stream` (the call's;
// nullptr: the default stream) and released with release() on the same stream after the call's
// kernels: stream-ordered (cuMemAllocAsync / cuMemFreeAsync, capturable into a CUDA graph) where
// the driver has it, else cuMemAlloc and a device-wide wait before cuMemFree. nullptr on failure,
// with why in `error`.
void *alloc(int device, size_t bytes, void *stream, std::string &error);
void release(int device, void *ptr, void *stream);
std::string last_error();

}  // namespace seqmix::detail::cuda
