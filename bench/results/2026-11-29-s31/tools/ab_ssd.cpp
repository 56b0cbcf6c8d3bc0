// A/B of two SSD pipelines (fa, fb: ab.sh's a.a and b.a), interleaved, medians, outputs compared.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <vector>
#include "a.h"
#include "b.h"
#include "ssd_inputs.h"
int main(int argc, char **argv) {
    SsdInputs in(argc > 2 ? atoi(argv[2]) : 4096);
    int rounds = argc > 1 ? atoi(argv[1]) : 30;
    auto y = in.y(), y2 = in.y(), s1 = in.state(), s2 = in.state();
    std::vector<double> ta, tb;
    auto time = [](auto f) {
        auto a = std::chrono::steady_clock::now();
        f();
        return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - a).count();
    };
    for (int i = 0; i < rounds; ++i) {
        for (int j = 0; j < 3; ++j) ta.push_back(time([&] { fa(in.x, in.dt, in.A, in.Bm, in.Cm, in.D, in.bias, in.s0, 1, y, s1); }));
        for (int j = 0; j < 3; ++j) tb.push_back(time([&] { fb(in.x, in.dt, in.A, in.Bm, in.Cm, in.D, in.bias, in.s0, 1, y2, s2); }));
    }
    double md = 0, ms = 0;
    for (int i = 0; i < y.number_of_elements(); ++i) md = std::max(md, (double)std::abs(y.data()[i] - y2.data()[i]));
    for (int i = 0; i < s1.number_of_elements(); ++i) ms = std::max(ms, (double)std::abs(s1.data()[i] - s2.data()[i]));
    std::sort(ta.begin(), ta.end());
    std::sort(tb.begin(), tb.end());
    printf("A best %.3f med %.3f | B best %.3f med %.3f | A/B med %.3f | max|dY| %.2e max|dS| %.2e\n", ta[0],
           ta[ta.size() / 2], tb[0], tb[tb.size() / 2], ta[ta.size() / 2] / tb[tb.size() / 2], md, ms);
}
