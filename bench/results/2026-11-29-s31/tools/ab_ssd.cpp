#include "HalideBuffer.h"
#include "a.h"
#include "b.h"
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <malloc.h>
// As libseqmix's host cache: large scratch blocks reused, not mmapped and faulted in per call.
static int no_mmap = (mallopt(M_MMAP_MAX, 0), mallopt(M_TRIM_THRESHOLD, 1 << 30));
#include <random>
#include <vector>
using Halide::Runtime::Buffer;
int main(int argc, char** argv) {
    int B = 1, T = argc > 2 ? atoi(argv[2]) : 4096, H = 8, N = 128, P = 64, G = 1, rounds = argc > 1 ? atoi(argv[1]) : 30;
    Buffer<float> x(P, H, T, B), dt(H, T, B), A(H), Bm(N, G, T, B), Cm(N, G, T, B), D(H), bias(H), s0(N, P, H, B);
    Buffer<float> y(P, H, T, B), s1(N, P, H, B), y2(P, H, T, B), s2(N, P, H, B);
    std::mt19937 r(1); std::normal_distribution<float> n(0, 0.5f);
    for (auto* b : {&x, &dt, &Bm, &Cm, &D, &bias, &s0}) b->for_each_value([&](float& v) { v = n(r); });
    A.for_each_value([&](float& v) { v = -std::exp(n(r)); });
    std::vector<double> ta, tb;
    auto time = [](auto f) { auto a = std::chrono::steady_clock::now(); f(); return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - a).count(); };
    for (int i = 0; i < rounds; ++i) {
        for (int j = 0; j < 3; ++j) ta.push_back(time([&] { fa(x, dt, A, Bm, Cm, D, bias, s0, 1, y, s1); }));
        for (int j = 0; j < 3; ++j) tb.push_back(time([&] { fb(x, dt, A, Bm, Cm, D, bias, s0, 1, y2, s2); }));
    }
    double md = 0, ms = 0;
    for (int i = 0; i < y.number_of_elements(); ++i) md = std::max(md, (double)std::abs(y.data()[i] - y2.data()[i]));
    for (int i = 0; i < s1.number_of_elements(); ++i) ms = std::max(ms, (double)std::abs(s1.data()[i] - s2.data()[i]));
    std::sort(ta.begin(), ta.end()); std::sort(tb.begin(), tb.end());
    printf("A best %.3f med %.3f | B best %.3f med %.3f | A/B med %.3f | max|dY| %.2e max|dS| %.2e\n", ta[0], ta[ta.size()/2], tb[0], tb[tb.size()/2], ta[ta.size()/2]/tb[tb.size()/2], md, ms);
}
