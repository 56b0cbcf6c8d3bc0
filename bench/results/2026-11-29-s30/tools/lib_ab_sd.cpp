// Interleaved A/B of two libseqmix builds in one process (session 27's lib_ab for the scalar-decay
// mixers): lib_ab_sd LIB_A LIB_B mixer[,mixer...] [reps]   (linear_attn, retention, simple_gla)
// B1 T4096 H8 K64 V64, dispatch variant, median ms over reps of 3 calls each.
#include <seqmix/seqmix.h>
#include <dlfcn.h>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <vector>
using seqmix::Tensor;
using OT = std::optional<Tensor>;
using Opts = seqmix::RecurrenceOptions;
using PlainFn = void (*)(const Tensor &, const Tensor &, const Tensor &, const Tensor &, const OT &, const OT &, const Opts &);
using GatedFn = void (*)(const Tensor &, const Tensor &, const Tensor &, const Tensor &, const Tensor &, const OT &, const OT &,
                         const Opts &);
struct Lib { PlainFn la, ret; GatedFn sg; };
void *sym(void *h, const char *name) {
    void *p = dlsym(h, name);
    if (!p) { std::fprintf(stderr, "missing %s\n", name); std::exit(1); }
    return p;
}
int main(int argc, char **argv) {
    Lib libs[2];
    for (int l = 0; l < 2; l++) {
        void *h = dlopen(argv[1 + l], RTLD_NOW | RTLD_LOCAL | RTLD_DEEPBIND);
        if (!h) { std::fprintf(stderr, "%s\n", dlerror()); return 1; }
        libs[l] = {(PlainFn)sym(h, "_ZN6seqmix11linear_attnERKNS_6TensorES2_S2_S2_RKSt8optionalIS0_ES6_RKNS_17RecurrenceOptionsE"),
                   (PlainFn)sym(h, "_ZN6seqmix9retentionERKNS_6TensorES2_S2_S2_RKSt8optionalIS0_ES6_RKNS_17RecurrenceOptionsE"),
                   (GatedFn)sym(h, "_ZN6seqmix10simple_glaERKNS_6TensorES2_S2_S2_S2_RKSt8optionalIS0_ES6_RKNS_17RecurrenceOptionsE")};
    }
    int reps = argc > 4 ? atoi(argv[4]) : 9;
    int64_t B = 1, T = 4096, H = 8, K = 64, V = 64;
    std::vector<float> q(B * T * H * K), k(q.size()), v(B * T * H * V), o(v.size()), g(B * T * H);
    std::mt19937 rng(1);
    std::normal_distribution<float> n;
    for (auto &x : q) x = 0.125f * n(rng);
    for (auto &x : k) x = 0.125f * n(rng);
    for (auto &x : v) x = n(rng);
    for (auto &x : g) x = std::min(-0.05f + 0.01f * n(rng), -1e-3f);
    auto t4 = [&](std::vector<float> &x, int64_t d) { return Tensor::contiguous(x.data(), {B, T, H, d}); };
    std::stringstream ss(argv[3]);
    std::string m;
    while (std::getline(ss, m, ',')) {
        auto run = [&](Lib &L) {
            if (m == "linear_attn") L.la(t4(q, K), t4(k, K), t4(v, V), t4(o, V), {}, {}, {});
            else if (m == "retention") L.ret(t4(q, K), t4(k, K), t4(v, V), t4(o, V), {}, {}, {});
            else if (m == "simple_gla") L.sg(t4(q, K), t4(k, K), t4(v, V), Tensor::contiguous(g.data(), {B, T, H}), t4(o, V), {}, {}, {});
        };
        std::vector<double> ms[2];
        for (int l = 0; l < 2; l++) run(libs[l]);
        for (int r = 0; r < reps; r++)
            for (int l = 0; l < 2; l++) {
                auto t0 = std::chrono::steady_clock::now();
                for (int i = 0; i < 3; i++) run(libs[l]);
                ms[l].push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() / 3 * 1e3);
            }
        for (auto &x : ms) std::sort(x.begin(), x.end());
        double a0 = ms[0][reps / 2], b0 = ms[1][reps / 2];
        std::printf("%-18s A %8.2f ms  B %8.2f ms  A/B %.2fx\n", m.c_str(), a0, b0, a0 / b0);
    }
}
