// The MPI back end (Debian's OpenMPI): CPU processes started by mpirun. Host buffers go straight
// to MPI_Allgather; CUDA buffers are staged through the host (no CUDA-aware MPI assumed).
#include "internal.h"

#include <mpi.h>

#include <climits>
#include <cstdlib>
#include <vector>

#include <fmt/format.h>

namespace seqmix::dist {
namespace {

std::string mpi_error(int code) {
    char text[MPI_MAX_ERROR_STRING];
    int len = 0;
    MPI_Error_string(code, text, &len);
    return std::string(text, len);
}

void check(int code, const char *what) {
    if (code != MPI_SUCCESS) throw Error(fmt::format("seqmix::dist::mpi: {} failed: {}", what, mpi_error(code)));
}

// MPI started by seqmix (the application had not) is finalised at exit.
void ensure_initialised() {
    int done = 0;
    MPI_Initialized(&done);
    if (done) return;
    int provided = 0;
    check(MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided), "MPI_Init_thread");
    std::atexit([] {
        int finalized = 0;
        MPI_Finalized(&finalized);
        if (!finalized) MPI_Finalize();
    });
}

class MpiComm final : public Communicator {
public:
    explicit MpiComm(MPI_Comm parent) {
        check(MPI_Comm_dup(parent, &comm_), "MPI_Comm_dup");
        // Errors come back as codes (turned into seqmix::Error), not as an abort.
        MPI_Comm_set_errhandler(comm_, MPI_ERRORS_RETURN);
        MPI_Comm_rank(comm_, &rank_);
        MPI_Comm_size(comm_, &size_);
    }
    ~MpiComm() override {
        int finalized = 0;
        MPI_Finalized(&finalized);
        if (!finalized) MPI_Comm_free(&comm_);
    }
    int rank() const override { return rank_; }
    int size() const override { return size_; }
    std::string backend() const override { return "mpi"; }

    void all_gather(const void *send, void *recv, size_t bytes, Device device, void *stream) override {
        if (device.type == DeviceType::cuda) {
            auto *h = static_cast<unsigned char *>(staging_.get(Device::cpu(), bytes * (size_ + 1)));
            detail::cuda::copy(h, send, bytes, stream);
            detail::cuda::sync(stream);
            host_gather(h, h + bytes, bytes);
            detail::cuda::copy(recv, h + bytes, bytes * size_, stream);
            detail::cuda::sync(stream);
            return;
        }
        host_gather(send, recv, bytes);
    }

    void barrier() override { check(MPI_Barrier(comm_), "MPI_Barrier"); }

private:
    void host_gather(const void *send, void *recv, size_t bytes) {
        // Large messages go as blocks of 4 KiB (MPI counts are ints).
        MPI_Datatype type = MPI_BYTE;
        size_t count = bytes;
        if (bytes > static_cast<size_t>(INT_MAX)) {
            if (bytes % 4096) throw Error(fmt::format("seqmix::dist::mpi: a {}-byte all-gather is too large", bytes));
            check(MPI_Type_contiguous(4096, MPI_BYTE, &type), "MPI_Type_contiguous");
            MPI_Type_commit(&type);
            count = bytes / 4096;
        }
        int rc = MPI_Allgather(send, static_cast<int>(count), type, recv, static_cast<int>(count), type, comm_);
        if (type != MPI_BYTE) MPI_Type_free(&type);
        check(rc, "MPI_Allgather");
    }

    MPI_Comm comm_ = MPI_COMM_NULL;
    int rank_ = 0, size_ = 1;
    detail::Scratch staging_;
};

}  // namespace

std::unique_ptr<Communicator> mpi() {
    ensure_initialised();
    return std::make_unique<MpiComm>(MPI_COMM_WORLD);
}

std::unique_ptr<Communicator> mpi(const void *comm) {
    ensure_initialised();
    if (!comm) throw Error("seqmix::dist::mpi: comm is null (pass a pointer to an MPI_Comm)");
    return std::make_unique<MpiComm>(*static_cast<const MPI_Comm *>(comm));
}

}  // namespace seqmix::dist
