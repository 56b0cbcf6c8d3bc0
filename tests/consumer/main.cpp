// Smallest use of an installed seqmix: one GLA call on CPU tensors; exit 0 if the output is finite.
#include <seqmix/seqmix.h>

#include <cmath>
#include <cstdio>
#include <vector>

int main() {
    const int64_t B = 1, T = 10, H = 2, K = 16, V = 8;
    std::vector<float> q(B * T * H * K), k(q.size()), g(q.size(), -0.05f), v(B * T * H * V), o(v.size());
    for (size_t i = 0; i < q.size(); i++) {
        q[i] = std::sin(0.1f * i);
        k[i] = std::cos(0.07f * i) * 0.25f;
    }
    for (size_t i = 0; i < v.size(); i++) {
        v[i] = std::sin(0.3f * i + 1.0f);
    }
    try {
        seqmix::gla(seqmix::Tensor::contiguous(q.data(), {B, T, H, K}), seqmix::Tensor::contiguous(k.data(), {B, T, H, K}),
                    seqmix::Tensor::contiguous(v.data(), {B, T, H, V}), seqmix::Tensor::contiguous(g.data(), {B, T, H, K}),
                    seqmix::Tensor::contiguous(o.data(), {B, T, H, V}));
    } catch (const seqmix::Error &e) {
        std::fprintf(stderr, "seqmix_consumer: %s\n", e.what());
        return 1;
    }
    for (float x : o) {
        if (!std::isfinite(x)) {
            std::fprintf(stderr, "seqmix_consumer: non-finite output\n");
            return 1;
        }
    }
    std::printf("seqmix %s: gla ran as %s, o[0] = %g\n", seqmix::version(), seqmix::last_variant().c_str(), o[0]);
    return 0;
}
