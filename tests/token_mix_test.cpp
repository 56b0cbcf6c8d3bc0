// Dense token mixing (MIXERS.md, "Convolutions and structured matrices"): every built variant of
// `token_mix` this host can run, against the float64 naive sum tests/reference/token_mix.cpp;
// causal and not, with and without bias, T not a multiple of any tile (T = 1, 63, 97), odd C,
// strided views. Causal calls fill W's upper triangle with NaN: the kernel must not read it.
//
// Tolerance: each output is an fp32 dot product of up to T terms; fp32_tolerance grows the 2e-6
// base (a few ulp) with sqrt(T / 64). A row or column off by one is an O(1) relative error.
#include "reference/token_mix.h"
#include "support/device.h"
#include "support/metrics.h"
#include "support/random.h"
#include "support/variants.h"

#include <seqmix/seqmix.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <optional>
#include <string>
#include <vector>

namespace seqmix::test {
namespace {

constexpr double kBase = 2e-6;

struct MixCase {
    int64_t B = 1, T = 1, C = 16;
    bool causal = false, bias = true, strided = false;

    std::string name() const {
        std::string s = "B" + std::to_string(B) + "_T" + std::to_string(T) + "_C" + std::to_string(C) +
                        (causal ? "_causal" : "_full");
        if (!bias) s += "_nobias";
        if (strided) s += "_strided";
        return s;
    }
};

MixCase shape(int64_t B, int64_t T, int64_t C, bool causal, bool bias = true, bool strided = false) {
    return {B, T, C, causal, bias, strided};
}

using MixParam = CaseVariant<MixCase>;

void check_token_mix(const MixCase &c, const Variant &variant) {
    Rng rng(seed_of(c.name()));
    const auto x = rng.normal(c.B * c.T * c.C), bias = rng.normal(c.T);
    // W scaled by 1/sqrt(T) so y stays O(1) whatever T is.
    auto W = rng.normal(c.T * c.T, 0.0, 1.0 / std::sqrt(double(c.T)));
    std::vector<float> W_sent = W;
    if (c.causal) {
        for (int64_t t = 0; t < c.T; t++)
            for (int64_t s = t + 1; s < c.T; s++) W_sent[size_t(t * c.T + s)] = std::numeric_limits<float>::quiet_NaN();
    }
    const Backend be = variant.backend;
    const std::vector<int64_t> xs{c.B, c.T, c.C}, ws{c.T, c.T};
    auto strides = [&](const std::vector<int64_t> &s) { return c.strided ? padded_strides(s, 3) : contiguous_strides(s); };
    Buffer xb(be, xs, strides(xs)), wb(be, ws, strides(ws)), bb(be, {c.T}), yb(be, xs, strides(xs));
    xb.upload(x), wb.upload(W_sent), bb.upload(bias);
    TokenMixOptions opt;
    opt.variant = variant.forced();
    opt.causal = c.causal;
    const std::optional<Tensor> bt = c.bias ? std::optional<Tensor>(bb.tensor()) : std::nullopt;
    if (!run_forced([&] { seqmix::token_mix(xb.tensor(), wb.tensor(), yb.tensor(), bt, opt); })) return;
    EXPECT_EQ(seqmix::last_variant(), variant.forced());
    const auto want = ref::token_mix_ref(to_double(x), to_double(W), c.bias ? to_double(bias) : std::vector<double>{},
                                         c.B, c.T, c.C, c.causal);
    EXPECT_TRUE(close("y", yb.download(), want, xs, fp32_tolerance(kBase, c.T, want)));
    if (c.strided) EXPECT_TRUE(yb.padding_untouched()) << "token_mix wrote into y's padding";
}

class TokenMix : public ::testing::TestWithParam<MixParam> {};

TEST_P(TokenMix, MatchesReference) {
    const MixParam &p = GetParam();
    if (const std::string why = skip_reason(p.variant); !why.empty()) GTEST_SKIP() << p.variant.forced() << ": " << why;
    check_token_mix(p.c, p.variant);
}

std::vector<MixCase> cases() {
    return {shape(1, 1, 16, false),         shape(1, 1, 5, true),           shape(2, 63, 64, false),
            shape(2, 63, 64, true),         shape(1, 97, 33, true, false),  shape(3, 40, 7, false, false),
            shape(1, 128, 130, true),       shape(1, 256, 96, false),       shape(2, 50, 48, true, true, true),
            shape(1, 17, 200, false, true, true)};
}

SEQMIX_ALLOW_NO_VARIANTS(TokenMix);
INSTANTIATE_TEST_SUITE_P(Shapes, TokenMix, ::testing::ValuesIn(cross(cases(), "token_mix")), CaseVariantName());

class TokenMixLong : public ::testing::TestWithParam<MixParam> {};

TEST_P(TokenMixLong, MatchesReference) {
    const MixParam &p = GetParam();
    if (const std::string why = skip_reason(p.variant); !why.empty()) GTEST_SKIP() << p.variant.forced() << ": " << why;
    check_token_mix(p.c, p.variant);
}

SEQMIX_ALLOW_NO_VARIANTS(TokenMixLong);
INSTANTIATE_TEST_SUITE_P(Shapes, TokenMixLong,
                         ::testing::ValuesIn(cross(std::vector<MixCase>{shape(1, 2048, 64, true), shape(2, 1000, 96, false),
                                                                  shape(1, 2050, 37, false)},
                                                   "token_mix")),
                         CaseVariantName());

// ---- validation --------------------------------------------------------------------------------

// The seqmix::Error message of seqmix::token_mix on host arrays ("" if it runs): x [2,3,4] with
// the given strides, W and bias of the given shapes, y [2,3,4] (or W's storage when y_is_W).
std::string token_mix_error(std::vector<int64_t> ws, std::optional<std::vector<int64_t>> bs = std::nullopt,
                            std::vector<int64_t> x_strides = {12, 4, 1}, bool y_is_W = false) {
    std::vector<float> x(64), W(64), b(16), y(24);
    const std::optional<Tensor> bias =
        bs ? std::optional<Tensor>(Tensor::contiguous(b.data(), *bs)) : std::nullopt;
    return error_message([&] {
        seqmix::token_mix(Tensor(x.data(), DType::f32, {2, 3, 4}, x_strides), Tensor::contiguous(W.data(), ws),
                          Tensor::contiguous(y_is_W ? W.data() : y.data(), {2, 3, 4}), bias);
    });
}

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::StartsWith;

TEST(TokenMixValidation, ValidArgumentsRun) {
    SEQMIX_SKIP_IF_LEFT_OUT("token_mix");
    EXPECT_EQ(token_mix_error({3, 3}), "");
    EXPECT_EQ(token_mix_error({3, 3}, std::vector<int64_t>{3}), "");
}

TEST(TokenMixValidation, MixingMatrixNotTxT) {
    EXPECT_THAT(token_mix_error({3, 4}), AllOf(StartsWith("seqmix::token_mix: W has shape [3,4]"), HasSubstr("expected")));
}

TEST(TokenMixValidation, BiasLength) {
    EXPECT_THAT(token_mix_error({3, 3}, std::vector<int64_t>{4}), HasSubstr("bias has shape [4]"));
}

TEST(TokenMixValidation, NonContiguousLastDim) {
    EXPECT_THAT(token_mix_error({3, 3}, std::nullopt, {24, 8, 2}), HasSubstr("x has stride 2 in its last dimension"));
}

TEST(TokenMixValidation, OutputOverlapsW) {
    EXPECT_THAT(token_mix_error({3, 3}, std::nullopt, {12, 4, 1}, true), HasSubstr("y overlaps W"));
}

}  // namespace
}  // namespace seqmix::test
