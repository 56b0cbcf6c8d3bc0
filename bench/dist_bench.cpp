// seqmix-dist-bench: sequence-parallel GLA (seqmix::dist::gla) on N ranks against one rank
// (seqmix::gla on the whole sequence), with the split of the distributed call into its phases:
// the slice from a zero state (gla + gla_decay), the communication (metadata + the one
// all-gather), the host combine, the true initial state's share of the outputs (gla_inter). One process per rank; rank 0 prints one JSON document.
//
//   GPU host, 2 GPUs (no MPI there): NCCL, ids through a file rendezvous
//     export LD_LIBRARY_PATH=<dir of libnccl.so.2>:$LD_LIBRARY_PATH SEQMIX_DIST_RENDEZVOUS=$(mktemp -d)
//     for r in 0 1; do RANK=$r WORLD_SIZE=2 LOCAL_RANK=$r ./seqmix-dist-bench --device cuda & done; wait
//   CPU (MPI build, seqmix-dist-bench-mpi): mpirun -np 2 ./seqmix-dist-bench-mpi --device cpu --T 4096
//
// Inputs are constants written with memset (q = k = v = 0.0115, g = -0.0115: a decay of 0.989
// per token): the kernels' time does not depend on the values; the tests check the results.
#include <seqmix/dist.h>
#include <seqmix/seqmix.h>

#include <boost/program_options.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#ifdef SEQMIX_DIST_BENCH_CUDA
#include <cuda_runtime.h>
#endif
#ifdef SEQMIX_DIST_BENCH_MPI
#include <mpi.h>
#endif

#include <algorithm>
#include <chrono>
#include <cstring>
#include <iostream>
#include <memory>
#include <numeric>
#include <sstream>
#include <vector>

namespace po = boost::program_options;
using seqmix::Device;
using seqmix::DeviceType;
using seqmix::Tensor;

namespace {

double now() { return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count(); }

[[noreturn]] void die(const std::string &why) { throw seqmix::Error("seqmix-dist-bench: " + why); }

// A float tensor filled with one byte pattern, on the host or the GPU.
struct Storage {
    Device dev;
    void *ptr = nullptr;
    std::vector<float> host;
    Storage(Device d, int64_t n, unsigned char byte) : dev(d) {
        if (d.type == DeviceType::cpu) {
            host.resize(n);
            std::memset(host.data(), byte, n * sizeof(float));
            ptr = host.data();
            return;
        }
#ifdef SEQMIX_DIST_BENCH_CUDA
        if (cudaSetDevice(d.index) != cudaSuccess || cudaMalloc(&ptr, n * sizeof(float)) != cudaSuccess) {
            die(fmt::format("cudaMalloc of {} MB failed", n * 4 / 1e6));
        }
        cudaMemset(ptr, byte, n * sizeof(float));
        cudaDeviceSynchronize();
#else
        die("built without CUDA");
#endif
    }
    ~Storage() {
#ifdef SEQMIX_DIST_BENCH_CUDA
        if (dev.type == DeviceType::cuda && ptr) cudaFree(ptr);
#endif
    }
    Storage(const Storage &) = delete;
    Storage &operator=(const Storage &) = delete;
};

void sync(Device dev) {
#ifdef SEQMIX_DIST_BENCH_CUDA
    if (dev.type == DeviceType::cuda) cudaDeviceSynchronize();
#endif
}

struct Problem {
    std::unique_ptr<Storage> q, k, v, g, o, ht, dec;
    Tensor tq, tk, tv, tg, to, tht, tdec;
    Problem(Device dev, int64_t B, int64_t T, int64_t H, int64_t K, int64_t V) {
        q = std::make_unique<Storage>(dev, B * T * H * K, 0x3C);
        k = std::make_unique<Storage>(dev, B * T * H * K, 0x3C);
        v = std::make_unique<Storage>(dev, B * T * H * V, 0x3C);
        g = std::make_unique<Storage>(dev, B * T * H * K, 0xBC);
        o = std::make_unique<Storage>(dev, B * T * H * V, 0);
        ht = std::make_unique<Storage>(dev, B * H * K * V, 0);
        dec = std::make_unique<Storage>(dev, B * H * K, 0);
        tq = Tensor::contiguous(q->ptr, seqmix::DType::f32, {B, T, H, K}, dev);
        tk = Tensor::contiguous(k->ptr, seqmix::DType::f32, {B, T, H, K}, dev);
        tv = Tensor::contiguous(v->ptr, seqmix::DType::f32, {B, T, H, V}, dev);
        tg = Tensor::contiguous(g->ptr, seqmix::DType::f32, {B, T, H, K}, dev);
        to = Tensor::contiguous(o->ptr, seqmix::DType::f32, {B, T, H, V}, dev);
        tht = Tensor::contiguous(ht->ptr, seqmix::DType::f32, {B, H, K, V}, dev);
        tdec = Tensor::contiguous(dec->ptr, seqmix::DType::f32, {B, H, K}, dev);
    }
};

double median(std::vector<double> x) {
    std::sort(x.begin(), x.end());
    return x[x.size() / 2];
}

// Median seconds of f over `repeats` runs after `warmup`, all ranks starting together.
template<typename F>
std::vector<double> time_runs(seqmix::dist::Communicator &comm, Device dev, int warmup, int repeats, F &&f) {
    for (int i = 0; i < warmup; ++i) f();
    std::vector<double> t;
    for (int i = 0; i < repeats; ++i) {
        sync(dev);
        comm.barrier();
        const double t0 = now();
        f();
        sync(dev);
        t.push_back(now() - t0);
    }
    return t;
}

// Every rank's value, on every rank.
std::vector<double> gather(seqmix::dist::Communicator &comm, double x) {
    std::vector<double> all(comm.size());
    comm.all_gather(&x, all.data(), sizeof(double), Device::cpu());
    return all;
}

}  // namespace

int main(int argc, char **argv) {
    std::string device = "cuda", t_list = "65536,262144,1048576", variant, inter_variants;
    int64_t B = 1, H = 16, K = 64, V = 64;
    int warmup = 1, repeats = 5;
    bool single = true;
    po::options_description desc("seqmix-dist-bench: sequence-parallel GLA on N ranks vs one rank");
    desc.add_options()("help", "this text")
        ("device", po::value(&device)->default_value(device), "cuda (NCCL) or cpu (MPI build only)")
        ("T", po::value(&t_list)->default_value(t_list), "comma-separated total sequence lengths")
        ("B", po::value(&B)->default_value(B), "batch")("H", po::value(&H)->default_value(H), "heads")
        ("K", po::value(&K)->default_value(K), "key dim")("V", po::value(&V)->default_value(V), "value dim")
        ("warmup", po::value(&warmup)->default_value(warmup), "untimed runs per measurement")
        ("repeats", po::value(&repeats)->default_value(repeats), "timed runs per measurement (median)")
        ("single", po::value(&single)->default_value(single), "also time one rank on the whole sequence (rank 0)")
        ("variant", po::value(&variant)->default_value(variant), "force a kernel variant (options.variant)")
        ("inter-variants", po::value(&inter_variants)->default_value(inter_variants),
         "also time gla_inter alone on rank 0's slice with each of these variants (comma-separated, e.g. "
         "cuda-sm90/default,cuda-sm90/rt)");
    po::variables_map vm;
    try {
        po::store(po::parse_command_line(argc, argv, desc), vm);
        po::notify(vm);
    } catch (const std::exception &e) {
        std::cerr << e.what() << "\n" << desc;
        return 2;
    }
    if (vm.count("help")) {
        std::cout << desc;
        return 0;
    }
    std::vector<int64_t> Ts;
    {
        std::stringstream s(t_list);
        for (std::string item; std::getline(s, item, ',');) Ts.push_back(std::stoll(item));
    }
    try {
        std::unique_ptr<seqmix::dist::Communicator> comm;
        Device dev;
#ifdef SEQMIX_DIST_BENCH_MPI
        MPI_Init(&argc, &argv);
        std::unique_ptr<seqmix::dist::Communicator> world = seqmix::dist::mpi();  // MPI_COMM_WORLD
#endif
        if (device == "cuda") {
            seqmix::dist::NcclOptions opt;
#ifdef SEQMIX_DIST_BENCH_MPI
            opt.bootstrap = world.get();
            opt.device = world->rank();
#endif
            comm = seqmix::dist::nccl(opt);
            dev = Device::cuda(opt.device >= 0 ? opt.device : seqmix::dist::ranks_from_env().local_rank);
        } else if (device == "cpu") {
#ifdef SEQMIX_DIST_BENCH_MPI
            comm = std::move(world);
#else
            die("--device cpu needs the MPI build (seqmix-dist-bench-mpi under mpirun)");
#endif
        } else {
            die("--device must be cuda or cpu");
        }
        const int N = comm->size(), r = comm->rank();
        seqmix::GlaOptions gopt;
        gopt.variant = variant;
        nlohmann::json rows = nlohmann::json::array();
        for (int64_t T : Ts) {
            nlohmann::json row = {{"B", B}, {"T", T}, {"H", H}, {"K", K}, {"V", V}, {"ranks", N}, {"device", device},
                                  {"backend", comm->backend()}};
            // One rank, the whole sequence (the others wait).
            if (single) {
                std::vector<double> t_gla, t_state;
                std::string picked;
                if (r == 0) {
                    Problem p(dev, B, T, H, K, V);
                    auto run = [&](auto &&f, std::vector<double> &out) {
                        for (int i = 0; i < warmup; ++i) f();
                        for (int i = 0; i < repeats; ++i) {
                            sync(dev);
                            const double t0 = now();
                            f();
                            sync(dev);
                            out.push_back(now() - t0);
                        }
                    };
                    run([&] { seqmix::gla(p.tq, p.tk, p.tv, p.tg, p.to, std::nullopt, p.tht, gopt); }, t_gla);
                    picked = seqmix::last_variant();
                    run([&] { seqmix::gla_state(p.tk, p.tv, p.tg, p.tht, p.tdec, gopt); }, t_state);
                    row["one_rank"] = {{"gla_s", median(t_gla)}, {"gla_state_s", median(t_state)}, {"variant", picked}};
                }
                comm->barrier();
            }
            // N ranks: contiguous slices, the last takes the remainder.
            const int64_t base = T / N, Tr = r == N - 1 ? T - base * (N - 1) : base;
            {
                Problem p(dev, B, Tr, H, K, V);
                std::vector<seqmix::dist::Timings> parts;
                seqmix::dist::DistOptions dopt;
                seqmix::dist::Timings tm;
                dopt.timings = &tm;
                // Phases (with a synchronisation after each: the timed runs below have none).
                for (int i = 0; i < warmup + repeats; ++i) {
                    comm->barrier();
                    seqmix::dist::gla(*comm, p.tq, p.tk, p.tv, p.tg, p.to, std::nullopt, p.tht, gopt, dopt);
                    if (i >= warmup) parts.push_back(tm);
                }
                auto med = [&](double seqmix::dist::Timings::*f) {
                    std::vector<double> x;
                    for (auto &t : parts) x.push_back(t.*f);
                    return median(x);
                };
                const std::vector<double> t_dist = time_runs(*comm, dev, 0, repeats, [&] {
                    seqmix::dist::gla(*comm, p.tq, p.tk, p.tv, p.tg, p.to, std::nullopt, p.tht, gopt);
                });
                const double total = median(t_dist);
                const auto all_total = gather(*comm, total), all_comm = gather(*comm, med(&seqmix::dist::Timings::communication)),
                           all_state = gather(*comm, med(&seqmix::dist::Timings::local_state)),
                           all_combine = gather(*comm, med(&seqmix::dist::Timings::combine)),
                           all_out = gather(*comm, med(&seqmix::dist::Timings::output)),
                           all_phased = gather(*comm, med(&seqmix::dist::Timings::total));
                const double slowest = *std::max_element(all_total.begin(), all_total.end());
                row["n_ranks"] = {{"slice_T", base}, {"dist_gla_s", slowest}, {"per_rank_s", all_total},
                                  {"phases_per_rank",
                                   {{"local_state_s", all_state}, {"communication_s", all_comm}, {"combine_s", all_combine},
                                    {"output_s", all_out}, {"total_with_syncs_s", all_phased}}}};
                // Communication share: of the phased call, on the rank where it is largest.
                double share = 0;
                for (int j = 0; j < N; ++j) share = std::max(share, all_comm[j] / all_phased[j]);
                row["communication_share"] = share;
                if (row.contains("one_rank")) row["speedup"] = row["one_rank"]["gla_s"].get<double>() / slowest;
                // gla_inter alone on this slice, per variant (candidates for the output phase).
                if (!inter_variants.empty()) {
                    if (r == 0) {
                        std::stringstream list(inter_variants);
                        for (std::string name; std::getline(list, name, ',');) {
                            seqmix::GlaOptions io = gopt;
                            io.variant = name;
                            std::vector<double> t;
                            for (int i = 0; i < warmup + repeats; ++i) {
                                sync(dev);
                                const double t0 = now();
                                seqmix::gla_inter(p.tq, p.tg, p.tht, p.to, io);
                                sync(dev);
                                if (i >= warmup) t.push_back(now() - t0);
                            }
                            row["gla_inter_s"][name] = median(t);
                        }
                    }
                    comm->barrier();
                }
            }
            if (r == 0) std::cerr << row.dump() << "\n";
            rows.push_back(row);
        }
        if (r == 0) {
            nlohmann::json doc = {{"bench", "seqmix-dist-bench"}, {"seqmix_version", seqmix::version()},
                                  {"warmup", warmup}, {"repeats", repeats}, {"rows", rows},
                                  {"combine", "host: gathered (C, d) copied down, S_in copied up"}};
            std::cout << doc.dump(2) << std::endl;
        }
        comm.reset();
#ifdef SEQMIX_DIST_BENCH_MPI
        world.reset();
        MPI_Finalize();
#endif
    } catch (const std::exception &e) {
        std::cerr << "seqmix-dist-bench: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
