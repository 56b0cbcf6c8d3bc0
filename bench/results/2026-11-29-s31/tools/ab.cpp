// A/B of two linear_attn-shaped pipelines (same signature), interleaved, medians.
#include "HalideBuffer.h"
#include "a.h"
#include "b.h"
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <malloc.h>
// As libseqmix's host cache: large scratch blocks reused, not mmapped and faulted in per call.
static int no_mmap = (mallopt(M_MMAP_MAX, 0), mallopt(M_TRIM_THRESHOLD, 1 << 30));
#include <random>
#include <vector>
using Halide::Runtime::Buffer;
int main(int argc, char** argv) {
    int B = 1, T = argc > 2 ? atoi(argv[2]) : 4096, H = 8, K = 64, V = 64, rounds = argc > 1 ? atoi(argv[1]) : 30;
    Buffer<float> q(K, H, T, B), k(K, H, T, B), v(V, H, T, B), s0(V, K, H, B), o(V, H, T, B), s1(V, K, H, B);
    Buffer<float> o2(V, H, T, B), s2(V, K, H, B);
    std::mt19937 r(1); std::normal_distribution<float> n(0, 0.5f);
    for (auto* b : {&q, &k, &v, &s0}) b->for_each_value([&](float& x) { x = n(r); });
    std::vector<double> ta, tb;
    auto time = [](auto f) { auto a = std::chrono::steady_clock::now(); f(); return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - a).count(); };
    for (int i = 0; i < rounds; ++i) {
        for (int j = 0; j < 3; ++j) ta.push_back(time([&] { fa(q, k, v, s0, 0.125f, o, s1); }));
        for (int j = 0; j < 3; ++j) tb.push_back(time([&] { fb(q, k, v, s0, 0.125f, o2, s2); }));
    }
    double md = 0, ms = 0; for (int i = 0; i < s1.number_of_elements(); ++i) ms = std::max(ms, (double)std::abs(s1.data()[i] - s2.data()[i]));
    double md0 = 0; for (int i = 0; i < o.number_of_elements(); ++i) md = std::max(md, (double)std::abs(o.data()[i] - o2.data()[i]));
    std::sort(ta.begin(), ta.end()); std::sort(tb.begin(), tb.end());
    printf("A best %.3f med %.3f | B best %.3f med %.3f | A/B med %.3f | max|dO| %.2e max|dS| %.2e\n", ta[0], ta[ta.size()/2], tb[0], tb[tb.size()/2], ta[ta.size()/2]/tb[tb.size()/2], md, ms);
}
