// seqmix::gla at B1_T16384_H8_K64_V64 with gates drawn from [argv[1], argv[2]], best of 5 calls (session 25,
// the denormal check): g++ -O2 -std=c++17 ftz_gla.cpp -Iruntime/include -Lbuild-dev/runtime -lseqmix
// -Wl,-rpath,build-dev/runtime && ./a.out -8 -5 && ./a.out -1.2 0
#include <seqmix/seqmix.h>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <vector>
#include <algorithm>
int main(int argc, char **argv) {
  const int64_t B = 1, T = 16384, H = 8, K = 64, V = 64;
  float glo = atof(argv[1]), ghi = atof(argv[2]);
  std::mt19937 rng(1); std::normal_distribution<float> n; std::uniform_real_distribution<float> u(glo, ghi);
  std::vector<float> q(B*T*H*K), k(B*T*H*K), v(B*T*H*V), g(B*T*H*K), o(B*T*H*V);
  for (auto &x : q) x = n(rng); for (auto &x : k) x = n(rng) * 0.125f; for (auto &x : v) x = n(rng); for (auto &x : g) x = u(rng);
  using seqmix::Tensor;
  double best = 1e9;
  for (int i = 0; i < 5; i++) {
    auto t0 = std::chrono::steady_clock::now();
    seqmix::gla(Tensor::contiguous(q.data(), {B, T, H, K}), Tensor::contiguous(k.data(), {B, T, H, K}), Tensor::contiguous(v.data(), {B, T, H, V}),
                Tensor::contiguous(g.data(), {B, T, H, K}), Tensor::contiguous(o.data(), {B, T, H, V}), std::nullopt, std::nullopt);
    best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  }
  printf("g in [%g, %g]: best %.1f ms (%s)\n", glo, ghi, best * 1e3, seqmix::last_variant().c_str());
}
