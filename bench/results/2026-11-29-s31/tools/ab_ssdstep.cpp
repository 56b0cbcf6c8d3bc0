// A/B of two ssd_step pipelines, cold caches (buffers rotate over `sets` copies), interleaved, medians.
#include "HalideBuffer.h"
#include "a.h"
#include "b.h"
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <random>
#include <vector>
using Halide::Runtime::Buffer;
int main(int argc, char** argv) {
    int B = 64, H = 8, N = argc > 2 ? atoi(argv[2]) : 128, P = 64, G = 1, rounds = argc > 1 ? atoi(argv[1]) : 30, sets = 6;
    Buffer<float> x(P, H, B), dt(H, B), A(H), Bm(N, G, B), Cm(N, G, B), D(H), bias(H);
    std::mt19937 r(1); std::normal_distribution<float> n(0, 0.5f);
    for (auto* b : {&x, &dt, &Bm, &Cm, &D, &bias}) b->for_each_value([&](float& v) { v = n(r); });
    A.for_each_value([&](float& v) { v = -std::exp(n(r)); });
    std::vector<Buffer<float>> st, ya, yb, sa, sb;
    for (int s = 0; s < sets; ++s) {
        st.emplace_back(N, P, H, B); st.back().for_each_value([&](float& v) { v = n(r); });
        ya.emplace_back(P, H, B); yb.emplace_back(P, H, B); sa.emplace_back(N, P, H, B); sb.emplace_back(N, P, H, B);
        sa.back().fill(0.f); sb.back().fill(0.f);
    }
    std::vector<double> ta, tb;
    auto time = [](auto f) { auto a = std::chrono::steady_clock::now(); f(); return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - a).count(); };
    int it = 0;
    for (int i = 0; i < rounds; ++i) {
        for (int j = 0; j < sets; ++j, ++it) ta.push_back(time([&] { fa(x, dt, A, Bm, Cm, D, bias, st[it % sets], 1, ya[it % sets], sa[it % sets]); }));
        for (int j = 0; j < sets; ++j, ++it) tb.push_back(time([&] { fb(x, dt, A, Bm, Cm, D, bias, st[it % sets], 1, yb[it % sets], sb[it % sets]); }));
    }
    double md = 0, ms = 0;
    for (int s = 0; s < sets; ++s) {
        for (int i = 0; i < ya[s].number_of_elements(); ++i) md = std::max(md, (double)std::abs(ya[s].data()[i] - yb[s].data()[i]));
        for (int i = 0; i < sa[s].number_of_elements(); ++i) ms = std::max(ms, (double)std::abs(sa[s].data()[i] - sb[s].data()[i]));
    }
    std::sort(ta.begin(), ta.end()); std::sort(tb.begin(), tb.end());
    double bytes = 2.0 * 4 * N * P * H * B;
    printf("A best %.3f med %.3f (%.1f GB/s) | B best %.3f med %.3f (%.1f GB/s) | A/B med %.3f | max|dY| %.2e max|dS| %.2e\n", ta[0], ta[ta.size()/2], bytes / ta[ta.size()/2] / 1e6, tb[0], tb[tb.size()/2], bytes / tb[tb.size()/2] / 1e6, ta[ta.size()/2]/tb[tb.size()/2], md, ms);
}
