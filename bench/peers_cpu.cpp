// seqmix-bench: the recurrent GLA peer (peers_cpu.h). Compiled with -O3; the per-head loop is
// cloned for x86-64-v4 (AVX-512), v3 (AVX2+FMA) and the baseline and picked at load time, so one
// binary built here runs at full width on the GPU host's CPU too (no -march=native).
#include "peers_cpu.h"

#include <algorithm>
#include <cmath>
#include <thread>
#include <vector>

namespace seqmix::bench {

namespace {

// One (b, h): S lives in `s` (K*V floats, L1/L2-resident for K = V = 64).
__attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default"))) void gla_head(
    const float *__restrict__ q, const float *__restrict__ k, const float *__restrict__ v,
    const float *__restrict__ g, float *__restrict__ s, float *__restrict__ o, int64_t T, int64_t H, int64_t K,
    int64_t V, float scale) {
    const int64_t sk = H * K, sv = H * V;  // token strides in [B,T,H,D]
    for (int64_t t = 0; t < T; t++) {
        const float *qt = q + t * sk, *kt = k + t * sk, *gt = g + t * sk, *vt = v + t * sv;
        float *ot = o + t * sv;
        for (int64_t j = 0; j < V; j++) ot[j] = 0.0f;
        for (int64_t i = 0; i < K; i++) {
            const float decay = std::exp(gt[i]), ki = kt[i], qi = qt[i] * scale;
            float *row = s + i * V;
            for (int64_t j = 0; j < V; j++) {
                row[j] = row[j] * decay + ki * vt[j];
                ot[j] += qi * row[j];
            }
        }
    }
}

}  // namespace

void gla_recurrent(const float *q, const float *k, const float *v, const float *g, const float *state_in,
                   float *state_out, float *o, int64_t B, int64_t T, int64_t H, int64_t K, int64_t V, float scale,
                   int threads) {
    const int64_t heads = B * H;
    auto work = [&](int64_t lo, int64_t hi) {
        std::vector<float> s(size_t(K * V));
        for (int64_t bh = lo; bh < hi; bh++) {
            const int64_t b = bh / H, h = bh % H;
            if (state_in) {
                std::copy(state_in + bh * K * V, state_in + (bh + 1) * K * V, s.begin());
            } else {
                std::fill(s.begin(), s.end(), 0.0f);
            }
            const int64_t off_k = (b * T * H + h) * K, off_v = (b * T * H + h) * V;
            gla_head(q + off_k, k + off_k, v + off_v, g + off_k, s.data(), o + off_v, T, H, K, V, scale);
            if (state_out) std::copy(s.begin(), s.end(), state_out + bh * K * V);
        }
    };
    threads = int(std::max<int64_t>(1, std::min<int64_t>(threads, heads)));
    if (threads == 1) {
        work(0, heads);
        return;
    }
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; t++) pool.emplace_back(work, heads * t / threads, heads * (t + 1) / threads);
    for (auto &th : pool) th.join();
}

}  // namespace seqmix::bench
