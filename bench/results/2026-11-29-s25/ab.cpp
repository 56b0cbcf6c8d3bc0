// The CPU A/B of session 25 (ab.sh): two gla pipelines called alternately, best and median of
// each, and the max |difference| of their outputs.
#include "A.h"
#include "B.h"
#include "HalideBuffer.h"
#include <random>
#include <cstdio>
#include <cstdlib>
#include <chrono>
#include <algorithm>
#include <vector>
#include <cmath>
using Halide::Runtime::Buffer;
int main(int argc, char** argv) {
  int T = argc > 2 ? atoi(argv[2]) : 4096, H = 8, K = 64, V = 64, B = 1, iters = argc > 1 ? atoi(argv[1]) : 50;
  Buffer<float,4> q(K,H,T,B), k(K,H,T,B), v(V,H,T,B), g(K,H,T,B), s0(V,K,H,B), oa(V,H,T,B), fa(V,K,H,B), ob(V,H,T,B), fb(V,K,H,B);
  std::mt19937 rng(1); std::normal_distribution<float> n; std::uniform_real_distribution<float> u(0.3f, 1.0f);
  q.for_each_value([&](float &x){x=n(rng);}); k.for_each_value([&](float &x){x=n(rng)*0.125f;});
  v.for_each_value([&](float &x){x=n(rng);}); g.for_each_value([&](float &x){x=std::log(u(rng));}); s0.for_each_value([&](float &x){x=n(rng)*0.1f;});
  std::vector<double> ta, tb;
  auto now = [] { return std::chrono::steady_clock::now(); };
  for (int i = 0; i < iters; i++) {
    auto t0 = now(); gla_A(q, k, v, g, s0, 0.125f, oa, fa); auto t1 = now(); gla_B(q, k, v, g, s0, 0.125f, ob, fb); auto t2 = now();
    ta.push_back(std::chrono::duration<double>(t1 - t0).count() * 1e3); tb.push_back(std::chrono::duration<double>(t2 - t1).count() * 1e3);
  }
  double d = 0, m = 0;
  ob.for_each_element([&](int x, int y, int z, int w){ d = std::max(d, (double)std::fabs(oa(x,y,z,w) - ob(x,y,z,w))); m = std::max(m, (double)std::fabs(oa(x,y,z,w))); });
  fb.for_each_element([&](int x, int y, int z, int w){ d = std::max(d, (double)std::fabs(fa(x,y,z,w) - fb(x,y,z,w))); });
  std::sort(ta.begin(), ta.end()); std::sort(tb.begin(), tb.end());
  printf("A best %.3f med %.3f | B best %.3f med %.3f | B/A best %.3f med %.3f | maxdiff %.2e (max|o| %.2f)\n", ta[0], ta[iters/2], tb[0], tb[iters/2], tb[0]/ta[0], tb[iters/2]/ta[iters/2], d, m);
}
