// SSD's chunked inputs at B1 T H8 P64 N128 G1 (random, A < 0), shared by ab_ssd.cpp and drv_ssd.cpp.
#pragma once
#include <cmath>
#include <malloc.h>
#include <random>
#include "HalideBuffer.h"
// As libseqmix's host cache: large scratch blocks reused, not mmapped and faulted in per call.
static int no_mmap = (mallopt(M_MMAP_MAX, 0), mallopt(M_TRIM_THRESHOLD, 1 << 30));
struct SsdInputs {
    int B = 1, T, H = 8, N = 128, P = 64, G = 1;
    Halide::Runtime::Buffer<float> x, dt, A, Bm, Cm, D, bias, s0;
    explicit SsdInputs(int t)
        : T(t), x(P, H, T, B), dt(H, T, B), A(H), Bm(N, G, T, B), Cm(N, G, T, B), D(H), bias(H), s0(N, P, H, B) {
        std::mt19937 r(1);
        std::normal_distribution<float> n(0, 0.5f);
        for (auto *b : {&x, &dt, &Bm, &Cm, &D, &bias, &s0}) b->for_each_value([&](float &v) { v = n(r); });
        A.for_each_value([&](float &v) { v = -std::exp(n(r)); });
    }
    Halide::Runtime::Buffer<float> y() const { return Halide::Runtime::Buffer<float>(P, H, T, B); }
    Halide::Runtime::Buffer<float> state() const { return Halide::Runtime::Buffer<float>(N, P, H, B); }
};
