#include "cuda_memory.h"

#include <seqmix/seqmix.h>

#include <dlfcn.h>

#include <string>

namespace seqmix_py {
namespace {

using CUresult = int;
using CUdevice = int;
using CUcontext = void *;

struct Driver {
    CUresult (*cuInit)(unsigned) = nullptr;
    CUresult (*cuDeviceGet)(CUdevice *, int) = nullptr;
    CUresult (*cuDevicePrimaryCtxRetain)(CUcontext *, CUdevice) = nullptr;
    CUresult (*cuCtxPushCurrent)(CUcontext) = nullptr;
    CUresult (*cuCtxPopCurrent)(CUcontext *) = nullptr;
    CUresult (*cuMemAlloc)(unsigned long long *, size_t) = nullptr;
    CUresult (*cuMemFree)(unsigned long long) = nullptr;
    CUresult (*cuStreamSynchronize)(void *) = nullptr;
    bool ok = false;
};

template <class F> bool load(void *lib, const char *name, F &f) {
    f = reinterpret_cast<F>(dlsym(lib, name));
    return f != nullptr;
}

const Driver &driver() {
    static const Driver d = [] {
        Driver d;
        void *lib = dlopen("libcuda.so.1", RTLD_NOW | RTLD_GLOBAL);
        d.ok = lib && load(lib, "cuInit", d.cuInit) && load(lib, "cuDeviceGet", d.cuDeviceGet) &&
               load(lib, "cuDevicePrimaryCtxRetain", d.cuDevicePrimaryCtxRetain) &&
               load(lib, "cuCtxPushCurrent_v2", d.cuCtxPushCurrent) && load(lib, "cuCtxPopCurrent_v2", d.cuCtxPopCurrent) &&
               load(lib, "cuMemAlloc_v2", d.cuMemAlloc) && load(lib, "cuMemFree_v2", d.cuMemFree) &&
               load(lib, "cuStreamSynchronize", d.cuStreamSynchronize) && d.cuInit(0) == 0;
        return d;
    }();
    return d;
}

// The device's primary context made current for one scope (retained once, for the process).
class Scope {
public:
    explicit Scope(int device) {
        const Driver &d = driver();
        if (!d.ok) throw seqmix::Error("seqmix: the CUDA driver (libcuda.so.1) is not usable here");
        CUdevice dev = 0;
        CUcontext ctx = nullptr;
        if (d.cuDeviceGet(&dev, device) != 0 || d.cuDevicePrimaryCtxRetain(&ctx, dev) != 0 ||
            d.cuCtxPushCurrent(ctx) != 0) {
            throw seqmix::Error("seqmix: cannot make the primary context of cuda:" + std::to_string(device) + " current");
        }
    }
    ~Scope() {
        CUcontext ctx = nullptr;
        driver().cuCtxPopCurrent(&ctx);
    }
};

}  // namespace

void *cuda_alloc(size_t bytes, int device) {
    Scope scope(device);
    unsigned long long ptr = 0;
    if (driver().cuMemAlloc(&ptr, bytes ? bytes : 1) != 0) {
        throw seqmix::Error("seqmix: cuMemAlloc of " + std::to_string(bytes) + " bytes on cuda:" +
                            std::to_string(device) + " failed");
    }
    return reinterpret_cast<void *>(ptr);
}

void cuda_free(void *ptr, int device) noexcept {
    try {
        Scope scope(device);
        driver().cuMemFree(reinterpret_cast<unsigned long long>(ptr));
    } catch (...) {
    }
}

void cuda_synchronize(uintptr_t stream, int device) {
    Scope scope(device);
    if (driver().cuStreamSynchronize(reinterpret_cast<void *>(stream)) != 0) {
        throw seqmix::KernelError("seqmix: cuStreamSynchronize failed on cuda:" + std::to_string(device));
    }
}

}  // namespace seqmix_py
