#include "cuda_driver.h"

#include <dlfcn.h>

#include <map>
#include <mutex>

#include <fmt/format.h>

namespace seqmix::detail::cuda {
namespace {

// Driver API types as opaque handles: no CUDA headers are needed to build libseqmix.
using CUresult = int;
using CUdevice = int;
using CUcontext = void *;
using CUdeviceptr = unsigned long long;
using CUstream = void *;
constexpr int kAttrCcMajor = 75, kAttrCcMinor = 76;  // CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_*
constexpr int kPointerAttrMemoryType = 2;              // CU_POINTER_ATTRIBUTE_MEMORY_TYPE
constexpr unsigned kMemoryTypeDevice = 2, kMemoryTypeUnified = 4;

struct Driver {
    bool ok = false;
    std::string error;
    CUresult (*cuInit)(unsigned) = nullptr;
    CUresult (*cuDeviceGetCount)(int *) = nullptr;
    CUresult (*cuDeviceGet)(CUdevice *, int) = nullptr;
    CUresult (*cuDeviceGetAttribute)(int *, int, CUdevice) = nullptr;
    CUresult (*cuDevicePrimaryCtxRetain)(CUcontext *, CUdevice) = nullptr;
    CUresult (*cuPointerGetAttribute)(void *, int, CUdeviceptr) = nullptr;
    CUresult (*cuCtxPushCurrent)(CUcontext) = nullptr;
    CUresult (*cuCtxPopCurrent)(CUcontext *) = nullptr;
    CUresult (*cuCtxGetCurrent)(CUcontext *) = nullptr;
    CUresult (*cuMemAlloc)(CUdeviceptr *, size_t) = nullptr;
    CUresult (*cuMemsetD8)(CUdeviceptr, unsigned char, size_t) = nullptr;
    CUresult (*cuMemFree)(CUdeviceptr) = nullptr;
    CUresult (*cuCtxSynchronize)() = nullptr;
    // Stream-ordered allocation (CUDA 11.2+ drivers; optional): no device-wide wait on release,
    // and allowed while the stream is being captured into a CUDA graph.
    CUresult (*cuMemAllocAsync)(CUdeviceptr *, size_t, CUstream) = nullptr;
    CUresult (*cuMemFreeAsync)(CUdeviceptr, CUstream) = nullptr;
    int count = 0;
};

template<typename F>
bool load(void *lib, const char *name, F &fn) {
    fn = reinterpret_cast<F>(dlsym(lib, name));
    return fn != nullptr;
}

Driver &driver() {
    static Driver d;
    static std::once_flag once;
    std::call_once(once, [] {
        void *lib = dlopen("libcuda.so.1", RTLD_NOW | RTLD_GLOBAL);
        if (!lib) lib = dlopen("libcuda.so", RTLD_NOW | RTLD_GLOBAL);
        if (!lib) {
            d.error = "the CUDA driver (libcuda.so.1) is not installed";
            return;
        }
        bool all = load(lib, "cuInit", d.cuInit) && load(lib, "cuDeviceGetCount", d.cuDeviceGetCount) &&
                   load(lib, "cuDeviceGet", d.cuDeviceGet) && load(lib, "cuDeviceGetAttribute", d.cuDeviceGetAttribute) &&
                   load(lib, "cuDevicePrimaryCtxRetain", d.cuDevicePrimaryCtxRetain) &&
                   load(lib, "cuPointerGetAttribute", d.cuPointerGetAttribute) &&
                   load(lib, "cuCtxPushCurrent_v2", d.cuCtxPushCurrent) && load(lib, "cuCtxPopCurrent_v2", d.cuCtxPopCurrent) &&
                   load(lib, "cuCtxGetCurrent", d.cuCtxGetCurrent) &&
                   load(lib, "cuMemAlloc_v2", d.cuMemAlloc) && load(lib, "cuMemsetD8_v2", d.cuMemsetD8) &&
                   load(lib, "cuMemFree_v2", d.cuMemFree) && load(lib, "cuCtxSynchronize", d.cuCtxSynchronize);
        if (!all) {
            d.error = "the CUDA driver lacks a required entry point";
            return;
        }
        if (!load(lib, "cuMemAllocAsync", d.cuMemAllocAsync) || !load(lib, "cuMemFreeAsync", d.cuMemFreeAsync)) {
            d.cuMemAllocAsync = nullptr;
            d.cuMemFreeAsync = nullptr;
        }
        if (CUresult r = d.cuInit(0); r != 0) {
            d.error = fmt::format("cuInit failed with CUDA error {}", r);
            return;
        }
        if (d.cuDeviceGetCount(&d.count) != 0 || d.count == 0) {
            d.error = "no CUDA device is visible";
            return;
        }
        d.ok = true;
    });
    return d;
}

}  // namespace

bool available() { return driver().ok; }
int device_count() { return driver().ok ? driver().count : 0; }
std::string last_error() { return driver().error; }

int capability(int device) {
    // Asked for on every dispatch: query the driver once per device.
    static std::mutex mu;
    static std::map<int, int> known;
    std::lock_guard<std::mutex> lock(mu);
    if (auto it = known.find(device); it != known.end()) return it->second;
    Driver &d = driver();
    CUdevice dev = 0;
    int major = 0, minor = 0;
    if (!d.ok || d.cuDeviceGet(&dev, device) != 0 || d.cuDeviceGetAttribute(&major, kAttrCcMajor, dev) != 0 ||
        d.cuDeviceGetAttribute(&minor, kAttrCcMinor, dev) != 0) {
        return 0;  // not cached: a failing query is not an answer
    }
    return known[device] = major * 10 + minor;
}

void *primary_context(int device) {
    static std::mutex mu;
    static std::map<int, CUcontext> contexts;
    std::lock_guard<std::mutex> lock(mu);
    auto it = contexts.find(device);
    if (it != contexts.end()) return it->second;
    Driver &d = driver();
    CUdevice dev = 0;
    CUcontext ctx = nullptr;
    if (!d.ok || d.cuDeviceGet(&dev, device) != 0 || d.cuDevicePrimaryCtxRetain(&ctx, dev) != 0) return nullptr;
    contexts[device] = ctx;
    return ctx;
}

void *current_context() {
    Driver &d = driver();
    CUcontext ctx = nullptr;
    if (!d.ok || d.cuCtxGetCurrent(&ctx) != 0) return nullptr;
    return ctx;
}

bool is_device_pointer(const void *ptr) {
    Driver &d = driver();
    unsigned type = 0;
    if (!d.ok || d.cuPointerGetAttribute(&type, kPointerAttrMemoryType, reinterpret_cast<CUdeviceptr>(ptr)) != 0) {
        return false;
    }
    return type == kMemoryTypeDevice || type == kMemoryTypeUnified;
}

namespace {

// One growing device block per device; never freed, since kernels in flight on other streams
// may still use an older block.
void *device_block(std::map<int, std::pair<CUdeviceptr, size_t>> &blocks, int device, size_t bytes) {
    auto &[ptr, size] = blocks[device];
    if (size >= bytes) return reinterpret_cast<void *>(ptr);
    Driver &d = driver();
    void *ctx = primary_context(device);
    if (!ctx) return nullptr;
    d.cuCtxPushCurrent(ctx);
    CUdeviceptr p = 0;
    bool ok = d.cuMemAlloc(&p, bytes) == 0 && d.cuMemsetD8(p, 0, bytes) == 0;
    CUcontext popped = nullptr;
    d.cuCtxPopCurrent(&popped);
    if (!ok) return nullptr;
    ptr = p;
    size = bytes;
    return reinterpret_cast<void *>(ptr);
}

}  // namespace

void *zeros(int device, size_t bytes) {
    static std::mutex mu;
    static std::map<int, std::pair<CUdeviceptr, size_t>> blocks;
    std::lock_guard<std::mutex> lock(mu);
    return device_block(blocks, device, bytes);
}

void *sink(int device, size_t bytes) {
    static std::mutex mu;
    static std::map<int, std::pair<CUdeviceptr, size_t>> blocks;
    std::lock_guard<std::mutex> lock(mu);
    return device_block(blocks, device, bytes);
}

void *alloc(int device, size_t bytes, void *stream, std::string &error) {
    Driver &d = driver();
    void *ctx = primary_context(device);
    if (!ctx) {
        error = d.ok ? fmt::format("no context for CUDA device {}", device) : d.error;
        return nullptr;
    }
    d.cuCtxPushCurrent(ctx);
    CUdeviceptr p = 0;
    CUresult r = d.cuMemAllocAsync ? d.cuMemAllocAsync(&p, bytes, stream) : d.cuMemAlloc(&p, bytes);
    CUcontext popped = nullptr;
    d.cuCtxPopCurrent(&popped);
    if (r != 0) {
        const char *call = d.cuMemAllocAsync ? "cuMemAllocAsync" : "cuMemAlloc";
        error = fmt::format("{} of {} bytes failed with CUDA error {}", call, bytes, r);
        return nullptr;
    }
    return reinterpret_cast<void *>(p);
}

void release(int device, void *ptr, void *stream) {
    Driver &d = driver();
    void *ctx = primary_context(device);
    if (!ctx || !ptr) return;
    d.cuCtxPushCurrent(ctx);
    if (d.cuMemAllocAsync) {
        // Ordered after the call's kernels on the same stream: no wait here.
        d.cuMemFreeAsync(reinterpret_cast<CUdeviceptr>(ptr), stream);
    } else {
        // The call's kernels run asynchronously on the caller's stream: let them finish first.
        d.cuCtxSynchronize();
        d.cuMemFree(reinterpret_cast<CUdeviceptr>(ptr));
    }
    CUcontext popped = nullptr;
    d.cuCtxPopCurrent(&popped);
}

}  // namespace seqmix::detail::cuda
