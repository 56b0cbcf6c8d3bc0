#include "HalideBuffer.h"
#include "sd.h"
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
    for (int i = 0; i < 10; ++i) sd(x, dt, A, Bm, Cm, D, bias, s0, 1, y, s1);
}

