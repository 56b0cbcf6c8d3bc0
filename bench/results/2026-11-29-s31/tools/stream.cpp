#include <chrono>
#include <cstdio>
#include <cstring>
#include <memory>
#include <thread>
#include <vector>
int main() {
    size_t n = (520u << 20) / 4 / 2; int T = 2;
    std::unique_ptr<float[]> a(new float[n]), b(new float[n]);
    auto par = [&](auto f) { std::vector<std::thread> ts; for (int t = 0; t < T; ++t) ts.emplace_back([&, t] { f(n * t / T, n * (t + 1) / T); }); for (auto &x : ts) x.join(); };
    par([&](size_t lo, size_t hi) { for (size_t i = lo; i < hi; ++i) a[i] = 1.0f * (i & 1023); std::memset(b.get() + lo, 0, (hi - lo) * 4); });
    for (int k = 0; k < 3; ++k) {
        double best = 1e9;
        for (int r = 0; r < 5; ++r) {
            auto t0 = std::chrono::steady_clock::now();
            if (k == 0) par([&](size_t lo, size_t hi) { float s = 3.0f; float *__restrict d = b.get(); const float *__restrict c = a.get(); for (size_t i = lo; i < hi; ++i) d[i] = s * c[i]; });
            else if (k == 1) par([&](size_t lo, size_t hi) { std::memcpy(b.get() + lo, a.get() + lo, (hi - lo) * 4); });
            else par([&](size_t lo, size_t hi) { float *__restrict d = b.get(); const float *__restrict c = a.get(); for (size_t i = lo; i < hi; ++i) d[i] = c[i] + 1.0f; });
            best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
        }
        printf("%s: %.1f GB/s\n", k == 0 ? "stream scale" : k == 1 ? "memcpy" : "add1", 2.0 * n * 4 / best / 1e9);
    }
}
