// The NCCL back end: libnccl.so.2 loaded with dlopen when a communicator is created, so that
// libseqmix and its users have no link-time NCCL dependency (the GPU host has NCCL only inside
// PyTorch's wheel: LD_LIBRARY_PATH points there). nccl.h is used for its types only.
#include "internal.h"

#include <dlfcn.h>

#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>
#include <string>

#include <fmt/format.h>

#ifdef SEQMIX_DIST_CUDA
#include <cuda_runtime.h>
#include <nccl.h>
#endif

namespace seqmix::dist {

#ifdef SEQMIX_DIST_CUDA
namespace {

struct Nccl {
    ncclResult_t (*GetUniqueId)(ncclUniqueId *) = nullptr;
    ncclResult_t (*CommInitRank)(ncclComm_t *, int, ncclUniqueId, int) = nullptr;
    ncclResult_t (*AllGather)(const void *, void *, size_t, ncclDataType_t, ncclComm_t, cudaStream_t) = nullptr;
    ncclResult_t (*AllReduce)(const void *, void *, size_t, ncclDataType_t, ncclRedOp_t, ncclComm_t, cudaStream_t) = nullptr;
    ncclResult_t (*CommDestroy)(ncclComm_t) = nullptr;
    const char *(*GetErrorString)(ncclResult_t) = nullptr;
    const char *(*GetLastError)(ncclComm_t) = nullptr;  // NCCL >= 2.13; may be absent
    ncclResult_t (*GetVersion)(int *) = nullptr;
};

// One load per library name: a later call naming another library (or a missing one) gets its
// own answer, not the first call's.
const Nccl &load_nccl(const std::string &library) {
    struct Loaded {
        Nccl n;
        std::string error;
    };
    static std::mutex mu;
    static std::map<std::string, Loaded> loaded;
    const std::string name = library.empty() ? "libnccl.so.2" : library;
    std::lock_guard<std::mutex> lock(mu);
    auto [it, fresh] = loaded.try_emplace(name);
    Nccl &n = it->second.n;
    std::string &error = it->second.error;
    if (fresh) {
        void *lib = dlopen(name.c_str(), RTLD_NOW | RTLD_GLOBAL);
        if (!lib) {
            const char *ld = std::getenv("LD_LIBRARY_PATH");
            error = fmt::format("seqmix::dist::nccl: cannot load {} ({}). NCCL is loaded at run time: put the directory "
                                "that holds it on LD_LIBRARY_PATH (e.g. PyTorch's site-packages/nvidia/nccl/lib); "
                                "LD_LIBRARY_PATH is '{}'",
                                name, dlerror(), ld ? ld : "");
        } else {
            auto sym = [&](const char *s) { return dlsym(lib, s); };
            n.GetUniqueId = reinterpret_cast<decltype(n.GetUniqueId)>(sym("ncclGetUniqueId"));
            n.CommInitRank = reinterpret_cast<decltype(n.CommInitRank)>(sym("ncclCommInitRank"));
            n.AllGather = reinterpret_cast<decltype(n.AllGather)>(sym("ncclAllGather"));
            n.AllReduce = reinterpret_cast<decltype(n.AllReduce)>(sym("ncclAllReduce"));
            n.CommDestroy = reinterpret_cast<decltype(n.CommDestroy)>(sym("ncclCommDestroy"));
            n.GetErrorString = reinterpret_cast<decltype(n.GetErrorString)>(sym("ncclGetErrorString"));
            n.GetLastError = reinterpret_cast<decltype(n.GetLastError)>(sym("ncclGetLastError"));
            n.GetVersion = reinterpret_cast<decltype(n.GetVersion)>(sym("ncclGetVersion"));
            if (!n.GetUniqueId || !n.CommInitRank || !n.AllGather || !n.AllReduce || !n.CommDestroy || !n.GetErrorString) {
                error = fmt::format("seqmix::dist::nccl: {} lacks the NCCL 2 entry points (ncclGetUniqueId, ncclCommInitRank, "
                                    "ncclAllGather, ...): not a NCCL 2 library?",
                                    name);
            }
        }
    }
    if (!error.empty()) throw Error(error);
    return n;
}

class NcclComm final : public Communicator {
public:
    NcclComm(const Nccl &n, int rank, int size, int device, const ncclUniqueId &id) : n_(n), rank_(rank), size_(size), device_(device) {
        detail::cuda::set_device(device);
        check(n_.CommInitRank(&comm_, size, id, rank), "ncclCommInitRank");
    }
    ~NcclComm() override {
        if (comm_) n_.CommDestroy(comm_);
    }
    int rank() const override { return rank_; }
    int size() const override { return size_; }
    std::string backend() const override { return "nccl"; }

    void all_gather(const void *send, void *recv, size_t bytes, Device device, void *stream) override {
        if (device.type == DeviceType::cuda) {
            if (device.index != device_) {
                throw Error(fmt::format("seqmix::dist: the NCCL communicator of rank {} is on cuda:{}, the buffers on cuda:{}",
                                        rank_, device_, device.index));
            }
            detail::cuda::set_device(device_);
            check(n_.AllGather(send, recv, bytes, ncclUint8, comm_, static_cast<cudaStream_t>(stream)), "ncclAllGather");
            return;
        }
        // Host buffers travel through the device (small metadata).
        auto *d = static_cast<unsigned char *>(staging_.get(Device::cuda(device_), bytes * (size_ + 1)));
        detail::cuda::copy(d, send, bytes, stream);
        check(n_.AllGather(d, d + bytes, bytes, ncclUint8, comm_, static_cast<cudaStream_t>(stream)), "ncclAllGather");
        detail::cuda::copy(recv, d + bytes, bytes * size_, stream);
        detail::cuda::sync(stream);
    }

    void barrier() override {
        int one = 1;
        std::vector<int> all(size_);
        all_gather(&one, all.data(), sizeof(int), Device::cpu(), nullptr);
    }

private:
    void check(ncclResult_t r, const char *what) const {
        if (r == ncclSuccess) return;
        std::string last = n_.GetLastError ? n_.GetLastError(comm_) : "";
        throw Error(fmt::format("seqmix::dist::nccl: {} failed on rank {} (cuda:{}): {}{}{}", what, rank_, device_,
                                n_.GetErrorString(r), last.empty() ? "" : ": ", last));
    }

    const Nccl &n_;
    int rank_, size_, device_;
    ncclComm_t comm_ = nullptr;
    detail::Scratch staging_;
};

}  // namespace

std::unique_ptr<Communicator> nccl(const NcclOptions &options) {
    const Nccl &n = load_nccl(options.library);
    RankInfo env = ranks_from_env();
    const int rank = options.rank >= 0 ? options.rank : (options.bootstrap ? options.bootstrap->rank() : env.rank);
    const int size = options.size >= 0 ? options.size : (options.bootstrap ? options.bootstrap->size() : env.size);
    if (rank >= size) throw Error(fmt::format("seqmix::dist::nccl: rank {} is not below the world size {}", rank, size));
    int device = options.device;
    if (device < 0) device = options.rank >= 0 ? options.rank : env.local_rank;
    const int count = detail::cuda::device_count();
    if (device >= count) {
        throw Error(fmt::format("seqmix::dist::nccl: rank {} wants cuda:{}, but this process sees {} CUDA device(s) "
                                "(one process per GPU: device = local rank)",
                                rank, device, count));
    }
    // NVLink multicast (NVLS) stays off unless the user asked for it.
    ::setenv("NCCL_NVLS_ENABLE", "0", 0);
    detail::cuda::set_device(device);

    ncclUniqueId id;
    std::memset(&id, 0, sizeof id);
    if (rank == 0) {
        ncclResult_t r = n.GetUniqueId(&id);
        if (r != ncclSuccess) throw Error(fmt::format("seqmix::dist::nccl: ncclGetUniqueId failed: {}", n.GetErrorString(r)));
    }
    if (options.bootstrap) {
        if (options.bootstrap->size() != size || options.bootstrap->rank() != rank) {
            throw Error(fmt::format("seqmix::dist::nccl: rank {} of {} differs from the bootstrap communicator's rank {} of {}",
                                    rank, size, options.bootstrap->rank(), options.bootstrap->size()));
        }
        std::vector<ncclUniqueId> all(size);
        options.bootstrap->all_gather(&id, all.data(), sizeof id, Device::cpu());
        id = all[0];
    } else if (size > 1) {
        std::string payload(reinterpret_cast<const char *>(&id), sizeof id);
        payload = file_rendezvous(options.rendezvous, rank, size, payload);
        if (payload.size() != sizeof id) {
            throw Error(fmt::format("seqmix::dist::nccl: the rendezvous brought {} bytes, not an ncclUniqueId ({} bytes)",
                                    payload.size(), sizeof id));
        }
        std::memcpy(&id, payload.data(), sizeof id);
    }
    return std::make_unique<NcclComm>(n, rank, size, device, id);
}

#else

std::unique_ptr<Communicator> nccl(const NcclOptions &) {
    detail::require_cuda("seqmix::dist::nccl");
    return nullptr;
}

#endif

}  // namespace seqmix::dist
