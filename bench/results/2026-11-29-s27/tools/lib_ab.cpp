// Interleaved A/B of two libseqmix builds in one process (dlopen RTLD_LOCAL|RTLD_DEEPBIND):
//   ab2 LIB_A LIB_B mixer[,mixer...] [reps]
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
using DeltaFn = void (*)(const Tensor &, const Tensor &, const Tensor &, const Tensor &, const Tensor &, const OT &, const OT &, const seqmix::DeltaRuleOptions &);
using GatedFn = void (*)(const Tensor &, const Tensor &, const Tensor &, const Tensor &, const Tensor &, const Tensor &, const OT &, const OT &, const seqmix::DeltaRuleOptions &);
using Gdn2Fn = void (*)(const Tensor &, const Tensor &, const Tensor &, const Tensor &, const Tensor &, const Tensor &, const Tensor &, const OT &, const OT &, const seqmix::DeltaRuleOptions &);
using RwkvFn = void (*)(const Tensor &, const Tensor &, const Tensor &, const Tensor &, const Tensor &, const Tensor &, const Tensor &, const OT &, const OT &, const seqmix::Rwkv7Options &);
struct Lib { void *h; DeltaFn dr; GatedFn gdr, kda; Gdn2Fn gdr2; RwkvFn rwkv; };
void *sym(void *h, const char *name) {
    // find the mangled name by prefix through nm is heavy; use known manglings
    void *p = dlsym(h, name);
    if (!p) { std::fprintf(stderr, "missing %s\n", name); std::exit(1); }
    return p;
}
int main(int argc, char **argv) {
    Lib libs[2];
    for (int l = 0; l < 2; l++) {
        void *h = dlopen(argv[1 + l], RTLD_NOW | RTLD_LOCAL | RTLD_DEEPBIND);
        if (!h) { std::fprintf(stderr, "%s\n", dlerror()); return 1; }
        libs[l] = {h, (DeltaFn)sym(h, std::getenv("SYM_DR")), (GatedFn)sym(h, std::getenv("SYM_GDR")), (GatedFn)sym(h, std::getenv("SYM_KDA")),
                   (Gdn2Fn)sym(h, std::getenv("SYM_GDR2")), (RwkvFn)sym(h, std::getenv("SYM_RWKV"))};
    }
    int reps = argc > 4 ? atoi(argv[4]) : 9;
    int64_t B = 1, T = 4096, H = 8, K = 64, V = 64;
    std::vector<float> q(B*T*H*K), k(q.size()), v(B*T*H*V), beta(B*T*H), o(v.size()), g(q.size()), gs(B*T*H), a(q.size()), b(q.size()), w(v.size()), er(q.size());
    std::mt19937 rng(1); std::normal_distribution<float> n;
    for (auto &x : q) x = n(rng); for (auto &x : k) x = 0.125f * n(rng); for (auto &x : v) x = n(rng);
    for (auto &x : beta) x = 0.5f; for (auto &x : g) x = -0.05f + 0.01f * n(rng); for (auto &x : gs) x = -0.05f;
    for (auto &x : a) x = -0.1f * n(rng); for (auto &x : b) x = 0.1f * n(rng); for (auto &x : w) x = 0.5f; for (auto &x : er) x = 0.5f;
    for (auto &x : g) x = std::min(x, -1e-3f);
    auto t4 = [&](std::vector<float> &x, int64_t d) { return Tensor::contiguous(x.data(), {B,T,H,d}); };
    auto t3 = [&](std::vector<float> &x) { return Tensor::contiguous(x.data(), {B,T,H}); };
    std::stringstream ss(argv[3]); std::string m;
    while (std::getline(ss, m, ',')) {
        auto run = [&](Lib &L) {
            if (m == "delta_rule") L.dr(t4(q,K), t4(k,K), t4(v,V), t3(beta), t4(o,V), {}, {}, {});
            else if (m == "gated_delta_rule") L.gdr(t4(q,K), t4(k,K), t4(v,V), t3(gs), t3(beta), t4(o,V), {}, {}, {});
            else if (m == "kda") L.kda(t4(q,K), t4(k,K), t4(v,V), t4(g,K), t3(beta), t4(o,V), {}, {}, {});
            else if (m == "gated_delta_rule2") L.gdr2(t4(q,K), t4(k,K), t4(v,V), t4(g,K), t4(er,K), t4(w,V), t4(o,V), {}, {}, {});
            else if (m == "rwkv7") L.rwkv(t4(q,K), t4(g,K), t4(k,K), t4(v,V), t4(a,K), t4(b,K), t4(o,V), {}, {}, {});
        };
        std::vector<double> ms[2];
        for (int l = 0; l < 2; l++) run(libs[l]);
        for (int r = 0; r < reps; r++) for (int l = 0; l < 2; l++) {
            auto t0 = std::chrono::steady_clock::now();
            for (int i = 0; i < 3; i++) run(libs[l]);
            ms[l].push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() / 3 * 1e3);
        }
        for (auto &x : ms) std::sort(x.begin(), x.end());
        double a0 = ms[0][reps/2], b0 = ms[1][reps/2];
        std::printf("%-18s A %8.2f ms  B %8.2f ms  A/B %.2fx\n", m.c_str(), a0, b0, a0 / b0);
    }
}
