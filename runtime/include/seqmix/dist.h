// seqmix::dist: sequence parallelism (LASP-2) across processes. One long sequence is cut into
// contiguous slices of T, one per rank (rank r holds tokens [t0_r, t0_r + T_r), slices in rank
// order, any lengths >= 1). Every call is collective: all ranks of the communicator make it, in
// the same order, with tensors of the same B, H, K, V and dtype.
//
// Back ends (runtime/dist/README.md has the launcher story):
//   - MPI for CPU processes (`mpirun -np 2 ./app`): dist::mpi().
//   - NCCL for CUDA tensors, one process per GPU: dist::nccl(). libnccl.so.2 is loaded with dlopen
//     when the communicator is created (no link-time dependency); its unique id travels through an
//     MPI (or any) bootstrap communicator, or a file rendezvous in a shared directory.
// Both gather host and CUDA buffers alike (MPI stages CUDA buffers through the host, NCCL stages
// host buffers through the device), so either back end runs every call; NCCL is the fast one for
// CUDA tensors.
//
// Every failure throws seqmix::Error (seqmix.h).
#pragma once

#include <seqmix/seqmix.h>

#include <cstddef>
#include <memory>
#include <optional>
#include <string>

namespace seqmix::dist {

class Communicator {
public:
    virtual ~Communicator() = default;
    virtual int rank() const = 0;
    virtual int size() const = 0;
    virtual std::string backend() const = 0;  // "mpi" | "nccl"
    // recv[r * bytes, (r + 1) * bytes) = rank r's send[0, bytes), for every rank r. send and recv
    // are both on `device` (host memory for Device::cpu()); `stream` orders CUDA work (nullptr =
    // the default stream). Returns when recv may be read on the host (CPU) or, for CUDA buffers,
    // once the gather is enqueued on `stream`.
    virtual void all_gather(const void *send, void *recv, size_t bytes, Device device, void *stream = nullptr) = 0;
    virtual void barrier() = 0;
};

// ---- MPI (CPU processes) ---------------------------------------------------------------------
// Defined in the library seqmix::dist_mpi (CMake option SEQMIX_MPI), which links MPI; the core
// library seqmix::dist does not, so binaries for hosts without an MPI runtime (NCCL through a file
// rendezvous) link only the core.
//
// A communicator over MPI_COMM_WORLD (duplicated). Initialises MPI if the application has not
// (and then finalises it at exit). Error if built without MPI.
std::unique_ptr<Communicator> mpi();
// Over an existing communicator: `comm` points at an MPI_Comm variable (duplicated).
std::unique_ptr<Communicator> mpi(const void *comm);

// ---- ranks from the environment --------------------------------------------------------------
struct RankInfo {
    int rank = 0;
    int size = 1;
    int local_rank = 0;  // the process's index on its node: its GPU
    std::string source;  // where they came from: "torchrun", "openmpi", "default"
};
// torchrun-style RANK, WORLD_SIZE, LOCAL_RANK, else OpenMPI's OMPI_COMM_WORLD_RANK, _SIZE,
// _LOCAL_RANK, else a single process (rank 0 of 1).
RankInfo ranks_from_env();

// ---- file rendezvous -------------------------------------------------------------------------
// A one-shot exchange through a directory every rank can see (one node, or a shared file system),
// as PyTorch's FileStore: rank 0 writes `payload` atomically (temporary file + rename) to
// <dir>/<tag>.id; the other ranks poll for it until `timeout_s`, then each leaves an
// acknowledgement, and rank 0 removes the files once all have read it (so the directory can be
// used again by the next job). Returns rank 0's payload on every rank. Error on a timeout, naming
// the file and the ranks that did not show up.
struct RendezvousOptions {
    std::string dir;             // "" = $SEQMIX_DIST_RENDEZVOUS
    std::string tag;             // "" = $TORCHELASTIC_RUN_ID, else "seqmix"
    double timeout_s = 300;      // how long a rank waits for the others
    double poll_interval_s = 0.01;
};
std::string file_rendezvous(const RendezvousOptions &options, int rank, int size, const std::string &payload);

// ---- NCCL (CUDA tensors, one process per GPU) ------------------------------------------------
struct NcclOptions {
    int rank = -1;        // -1: ranks_from_env()
    int size = -1;        // -1: ranks_from_env()
    int device = -1;      // CUDA ordinal; -1: the local rank
    // The ncclUniqueId goes from rank 0 to the others through `bootstrap` (an MPI communicator, or
    // any other) when given, else through file_rendezvous(rendezvous).
    Communicator *bootstrap = nullptr;
    RendezvousOptions rendezvous;
    // The library to dlopen; "" = libnccl.so.2 (found through LD_LIBRARY_PATH).
    std::string library;
};
// Sets NCCL_NVLS_ENABLE=0 unless the user set it (NVLink multicast stays off). Error if NCCL
// cannot be loaded, if this build has no CUDA, or if the rendezvous or ncclCommInitRank fails.
std::unique_ptr<Communicator> nccl(const NcclOptions &options = {});

// ---- sequence-parallel mixers ----------------------------------------------------------------
// Where the time of one call went, seconds on the host clock (each phase ends with a stream
// synchronisation when timings are asked for; without them nothing waits but the combine).
struct Timings {
    double local_state = 0;  // the slice from zero and its transition (gla_decay, the identity pass); attention: packing K/V
    double communication = 0;  // the metadata exchange and the one all-gather
    double combine = 0;        // the prefix chain (host) and its copies; attention: unpacking
    double output = 0;         // gla_inter from the true initial state (ssd: the slice again); attention: the mixer on the slice
    double total = 0;
};

struct DistOptions {
    Timings *timings = nullptr;  // filled when given
};

// Gated Linear Attention over the slices (LASP-2): each rank passes its slice q, k, g
// [B,T_r,H,K], v [B,T_r,H,V] and gets o [B,T_r,H,V]. Per rank: gla on its slice from a zero state
// (outputs so far and the slice's state C_r) and gla_decay (its decay d_r); ONE all-gather of
// (C_r, d_r) (B*H*K*(V+1) floats, independent of T); the prefix S_in(r) = chain of earlier ranks'
// (d, C) starting from initial_state; then gla_inter adds what S_in(r) contributes to the outputs
// (a [T_r,K] x [K,V] product per head). initial_state [B,H,K,V]: the sequence's, given on every
// rank or on none (each rank reads its own copy: pass the same values). final_state [B,H,K,V]: the
// state after the whole sequence, from the same chain, written on every rank that passes it. The
// combine runs on the host (a few hundred KB); for CUDA tensors it copies the gathered states down
// and S_in up.
void gla(Communicator &comm, const Tensor &q, const Tensor &k, const Tensor &v, const Tensor &g, const Tensor &o,
         const std::optional<Tensor> &initial_state = std::nullopt,
         const std::optional<Tensor> &final_state = std::nullopt, const GlaOptions &options = {},
         const DistOptions &dist = {});

// Linear attention, retention and simple GLA over the slices: as dist::gla, with one decay per
// (token, head) (simple GLA's g [B,T,H], retention's gamma_h, 1 for linear attention), so the
// all-gather is B*H*(K*V+1) floats per rank.
void linear_attn(Communicator &comm, const Tensor &q, const Tensor &k, const Tensor &v, const Tensor &o,
                 const std::optional<Tensor> &initial_state = std::nullopt,
                 const std::optional<Tensor> &final_state = std::nullopt, const RecurrenceOptions &options = {},
                 const DistOptions &dist = {});
void retention(Communicator &comm, const Tensor &q, const Tensor &k, const Tensor &v, const Tensor &o,
               const std::optional<Tensor> &initial_state = std::nullopt,
               const std::optional<Tensor> &final_state = std::nullopt, const RecurrenceOptions &options = {},
               const DistOptions &dist = {});
void simple_gla(Communicator &comm, const Tensor &q, const Tensor &k, const Tensor &v, const Tensor &g, const Tensor &o,
                const std::optional<Tensor> &initial_state = std::nullopt,
                const std::optional<Tensor> &final_state = std::nullopt, const RecurrenceOptions &options = {},
                const DistOptions &dist = {});

// The delta-rule family and RWKV-7 over the slices: LASP-2 with a dense transition. Arguments as
// the single-device calls (seqmix.h), each rank passing its slices. A slice's transition M_r
// [K,K] is the product of its (diagonal + rank-one) factors; the mixer's own chunked kernel, run on
// the slice with zero values from the state I, gives M_r as its final state and, as its outputs,
// what each query reads of the entering state. One all-gather of B*H*K*(V+K) floats per rank
// (independent of T); the host chains S_in(r) = M_{r-1} S_in(r-1) + C_{r-1}; gla_inter (zero
// gates) adds S_in(r)'s part to the outputs. Compute per rank: the slice twice (once with V = K)
// on the ranks whose entering state is not zero (all but rank 0 without an initial state).
void delta_rule(Communicator &comm, const Tensor &q, const Tensor &k, const Tensor &v, const Tensor &beta,
                const Tensor &o, const std::optional<Tensor> &initial_state = std::nullopt,
                const std::optional<Tensor> &final_state = std::nullopt, const DeltaRuleOptions &options = {},
                const DistOptions &dist = {});
void gated_delta_rule(Communicator &comm, const Tensor &q, const Tensor &k, const Tensor &v, const Tensor &g,
                      const Tensor &beta, const Tensor &o, const std::optional<Tensor> &initial_state = std::nullopt,
                      const std::optional<Tensor> &final_state = std::nullopt, const DeltaRuleOptions &options = {},
                      const DistOptions &dist = {});
void kda(Communicator &comm, const Tensor &q, const Tensor &k, const Tensor &v, const Tensor &g, const Tensor &beta,
         const Tensor &o, const std::optional<Tensor> &initial_state = std::nullopt,
         const std::optional<Tensor> &final_state = std::nullopt, const DeltaRuleOptions &options = {},
         const DistOptions &dist = {});
void gated_delta_rule2(Communicator &comm, const Tensor &q, const Tensor &k, const Tensor &v, const Tensor &g,
                       const Tensor &b, const Tensor &w, const Tensor &o,
                       const std::optional<Tensor> &initial_state = std::nullopt,
                       const std::optional<Tensor> &final_state = std::nullopt, const DeltaRuleOptions &options = {},
                       const DistOptions &dist = {});
void rwkv7(Communicator &comm, const Tensor &r, const Tensor &w, const Tensor &k, const Tensor &v, const Tensor &a,
           const Tensor &b, const Tensor &o, const std::optional<Tensor> &initial_state = std::nullopt,
           const std::optional<Tensor> &final_state = std::nullopt, const Rwkv7Options &options = {},
           const DistOptions &dist = {});

// Mamba-2 SSD over the slices (arguments as seqmix::ssd; states [B,H,P,N]): each slice decays the
// state by one scalar per head, d_r (a cheap ssd pass with P = N = 1 over the slice's dt), so the
// all-gather is B*H*(P*N+1) floats per rank. The ranks whose entering state is not zero run ssd on
// their slice twice: from zero (for C_r) and from S_in(r) (the outputs).
void ssd(Communicator &comm, const Tensor &x, const Tensor &dt, const Tensor &A, const Tensor &Bm, const Tensor &Cm,
         const Tensor &y, const std::optional<Tensor> &Dskip = std::nullopt,
         const std::optional<Tensor> &dt_bias = std::nullopt, const std::optional<Tensor> &initial_state = std::nullopt,
         const std::optional<Tensor> &final_state = std::nullopt, const SsdOptions &options = {},
         const DistOptions &dist = {});

// Softmax attention over the slices (LASP-2H style): each rank passes its query slice q
// [B,T_r,H,K] and its key/value slice k [B,T_r,Hkv,K], v [B,T_r,Hkv,V] (row-major contiguous),
// gets o [B,T_r,H,V] and lse [B,H,T_r]. One all-gather of the K/V slices (padded to the longest
// slice); rank r's queries at global positions [t0, t0 + T_r) then attend to keys [0, t0 + T_r)
// when causal (the attention kernel's bottom-right alignment is then the global causal mask, and
// a window counts in global positions too), to all keys otherwise.
void attention(Communicator &comm, const Tensor &q, const Tensor &k, const Tensor &v, const Tensor &o,
               const std::optional<Tensor> &lse = std::nullopt, const AttentionOptions &options = {},
               const DistOptions &dist = {});

}  // namespace seqmix::dist
