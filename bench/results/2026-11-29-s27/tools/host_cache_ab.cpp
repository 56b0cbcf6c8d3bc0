// In-process A/B: host cache on vs off, interleaved, delta_rule B1 T4096 H8 K64 V64.
#include <seqmix/seqmix.h>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>
#include <vector>
int main(int argc, char **argv) {
    int64_t B = 1, T = 4096, H = 8, K = 64, V = 64;
    std::vector<float> q(B*T*H*K), k(q.size()), v(B*T*H*V), beta(B*T*H), o(v.size());
    std::mt19937 rng(1); std::normal_distribution<float> n;
    for (auto &x : q) x = n(rng); for (auto &x : k) x = 0.125f * n(rng); for (auto &x : v) x = n(rng);
    for (auto &x : beta) x = 0.5f;
    using seqmix::Tensor;
    auto run = [&] {
        seqmix::delta_rule(Tensor::contiguous(q.data(), {B,T,H,K}), Tensor::contiguous(k.data(), {B,T,H,K}),
            Tensor::contiguous(v.data(), {B,T,H,V}), Tensor::contiguous(beta.data(), {B,T,H}), Tensor::contiguous(o.data(), {B,T,H,V}));
    };
    run();
    std::vector<double> on, off;
    for (int rep = 0; rep < 15; rep++) {
        for (int mode = 0; mode < 2; mode++) {
            seqmix::set_host_cache_limit(mode ? (size_t(1) << 30) : 0);
            run();
            auto t0 = std::chrono::steady_clock::now();
            for (int i = 0; i < 5; i++) run();
            double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() / 5;
            (mode ? on : off).push_back(s * 1e3);
        }
    }
    std::sort(on.begin(), on.end()); std::sort(off.begin(), off.end());
    auto st = seqmix::host_cache_stats();
    std::printf("delta_rule ms median: cache on %.2f, off %.2f (min %.2f / %.2f); stats cached %zu MiB in %zu blocks, hits %zu misses %zu\n",
        on[on.size()/2], off[off.size()/2], on[0], off[0], st.cached_bytes >> 20, st.cached_blocks, st.hits, st.misses);
}
