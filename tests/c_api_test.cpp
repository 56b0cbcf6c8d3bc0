// The C API (seqmix/seqmix_c.h): the same kernels and validation as the C++ API, reported as
// status codes with a thread-local last-error message.
#include "support/variants.h"

#include <seqmix/seqmix_c.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <thread>
#include <vector>

namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

seqmix_tensor contiguous(float *data, std::vector<int64_t> shape) {
    seqmix_tensor t{};
    t.data = data;
    t.dtype = SEQMIX_F32;
    t.rank = static_cast<int32_t>(shape.size());
    int64_t stride = 1;
    for (int i = t.rank - 1; i >= 0; i--) {
        t.shape[i] = shape[i];
        t.strides[i] = stride;
        stride *= shape[i];
    }
    t.device_type = SEQMIX_CPU;
    return t;
}

struct GlaStep {
    static constexpr int B = 2, H = 3, K = 16, V = 8;
    std::vector<float> q = std::vector<float>(B * H * K, 0.5f), k = std::vector<float>(B * H * K, 0.25f);
    std::vector<float> v = std::vector<float>(B * H * V, 1.0f), g = std::vector<float>(B * H * K, -0.1f);
    std::vector<float> s = std::vector<float>(B * H * K * V, 1.0f), o = std::vector<float>(B * H * V, NAN);
    std::vector<float> ns = std::vector<float>(B * H * K * V, NAN);
    seqmix_tensor tq = contiguous(q.data(), {B, H, K}), tk = contiguous(k.data(), {B, H, K});
    seqmix_tensor tv = contiguous(v.data(), {B, H, V}), tg = contiguous(g.data(), {B, H, K});
    seqmix_tensor ts = contiguous(s.data(), {B, H, K, V}), to = contiguous(o.data(), {B, H, V});
    seqmix_tensor tn = contiguous(ns.data(), {B, H, K, V});
    seqmix_status call(const seqmix_options *opt = nullptr) {
        return seqmix_gla_step(&tq, &tk, &tv, &tg, &ts, &to, &tn, opt);
    }
};

TEST(CApi, GlaStepComputesTheRecurrence) {
    SEQMIX_SKIP_IF_LEFT_OUT("gla_step");
    GlaStep a;
    ASSERT_EQ(a.call(), SEQMIX_OK) << seqmix_last_error();
    EXPECT_STREQ(seqmix_last_error(), "");
    // S' = exp(g) S + k v^T = exp(-0.1) + 0.25 everywhere; o = scale * sum_kd q S' with scale 1/4.
    const double s_new = std::exp(-0.1) + 0.25;
    EXPECT_NEAR(a.ns[0], s_new, 1e-6);
    EXPECT_NEAR(a.o[0], 0.25 * GlaStep::K * 0.5 * s_new, 1e-5);
}

TEST(CApi, ScaleOptionAndDefault) {
    SEQMIX_SKIP_IF_LEFT_OUT("gla_step");
    GlaStep a;
    seqmix_options opt{};
    opt.scale = 1.0f;
    ASSERT_EQ(a.call(&opt), SEQMIX_OK) << seqmix_last_error();
    const double s_new = std::exp(-0.1) + 0.25;
    EXPECT_NEAR(a.o[0], GlaStep::K * 0.5 * s_new, 1e-4);
    opt.scale = 0.0f;  // <= 0 selects the default 1/sqrt(K)
    ASSERT_EQ(a.call(&opt), SEQMIX_OK);
    EXPECT_NEAR(a.o[0], 0.25 * GlaStep::K * 0.5 * s_new, 1e-5);
}

TEST(CApi, InvalidArgumentSetsTheLastError) {
    GlaStep a;
    a.tk.shape[2] = 12;
    EXPECT_EQ(a.call(), SEQMIX_INVALID_ARGUMENT);
    EXPECT_THAT(seqmix_last_error(), StartsWith("seqmix::gla_step: k has shape [2,3,12]"));
    GlaStep b;
    EXPECT_EQ(seqmix_gla_step(&b.tq, nullptr, &b.tv, &b.tg, &b.ts, &b.to, &b.tn, nullptr), SEQMIX_INVALID_ARGUMENT);
    EXPECT_THAT(seqmix_last_error(), HasSubstr("k is NULL"));
    GlaStep c;
    c.tq.rank = 9;
    EXPECT_EQ(c.call(), SEQMIX_INVALID_ARGUMENT);
    EXPECT_THAT(seqmix_last_error(), HasSubstr("q has rank 9"));
}

TEST(CApi, UnknownVariantIsAnInvalidArgument) {
    GlaStep a;
    seqmix_options opt{};
    opt.variant = "x86-64-avx2/nonexistent";
    EXPECT_EQ(a.call(&opt), SEQMIX_INVALID_ARGUMENT);
    EXPECT_THAT(seqmix_last_error(), HasSubstr("not built"));
}

TEST(CApi, LastErrorIsPerThread) {
    GlaStep a;
    a.tg.dtype = SEQMIX_F16;
    ASSERT_EQ(a.call(), SEQMIX_INVALID_ARGUMENT);
    std::string other;
    std::thread([&] { other = seqmix_last_error(); }).join();
    EXPECT_EQ(other, "");
    EXPECT_THAT(seqmix_last_error(), HasSubstr("g has dtype f16, expected f32"));
}

TEST(CApi, AttentionAndGla) {
    SEQMIX_SKIP_IF_LEFT_OUT("attention", "gla");
    const int B = 1, T = 5, H = 2, K = 8, V = 4;
    std::vector<float> q(B * T * H * K, 0.1f), k(B * T * H * K, 0.2f), v(B * T * H * V, 1.0f), g(B * T * H * K, -0.5f);
    std::vector<float> o(B * T * H * V, NAN), lse(B * H * T, NAN);
    auto tq = contiguous(q.data(), {B, T, H, K}), tk = contiguous(k.data(), {B, T, H, K});
    auto tv = contiguous(v.data(), {B, T, H, V}), tg = contiguous(g.data(), {B, T, H, K});
    auto to = contiguous(o.data(), {B, T, H, V}), tl = contiguous(lse.data(), {B, H, T});
    seqmix_options opt{};
    opt.causal = 1;
    ASSERT_EQ(seqmix_attention(&tq, &tk, &tv, &to, &tl, &opt), SEQMIX_OK) << seqmix_last_error();
    EXPECT_NEAR(o[0], 1.0, 1e-6);  // every v is 1: any softmax average is 1
    // Equal scores: lse of row t is score + log(t + 1).
    const double score = K * 0.1 * 0.2 / std::sqrt(double(K));
    EXPECT_NEAR(lse[T - 1], score + std::log(double(T)), 1e-5);
    ASSERT_EQ(seqmix_gla(&tq, &tk, &tv, &tg, &to, nullptr, nullptr, nullptr), SEQMIX_OK) << seqmix_last_error();
    EXPECT_TRUE(std::isfinite(o[B * T * H * V - 1]));
}

}  // namespace
