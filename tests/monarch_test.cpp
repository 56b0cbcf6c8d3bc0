// Monarch mixer (MIXERS.md, "Convolutions and structured matrices"): every built variant of
// `monarch` (channel axis) and `monarch_seq` (sequence axis) this host can run, against the
// float64 reference tests/reference/monarch.cpp, which multiplies by the dense n x n matrix
// P L P R (an independent path from the kernels' two block-diagonal passes). Square n, padded n
// (n < m*m), n = 1, both axes, strided views.
//
// Tolerance: every output is two chained fp32 dot products of m terms (m <= 64): ~sqrt(2m) ulp
// rel-RMS. fp32_tolerance grows the 2e-6 base with sqrt(2m / 64); a wrong block, a transposed
// factor or a misplaced permutation is an O(1) relative error.
#include "reference/monarch.h"
#include "support/device.h"
#include "support/metrics.h"
#include "support/random.h"
#include "support/variants.h"

#include <seqmix/seqmix.h>

#include <gtest/gtest.h>
#include <gmock/gmock.h>

#include <cmath>
#include <string>
#include <vector>

namespace seqmix::test {
namespace {

constexpr double kBase = 2e-6;

struct MonarchCase {
    int64_t B = 1, T = 1, C = 16;
    bool sequence = false, strided = false;

    int64_t n() const { return sequence ? T : C; }
    int64_t m() const { return ref::monarch_m(n()); }
    std::string name() const {
        std::string s = "B" + std::to_string(B) + "_T" + std::to_string(T) + "_C" + std::to_string(C) + "_M" +
                        std::to_string(m()) + (sequence ? "_seq" : "_channel");
        if (m() * m() != n()) s += "_padded";
        if (strided) s += "_strided";
        return s;
    }
    std::string mixer() const { return sequence ? "monarch_seq" : "monarch"; }
};

MonarchCase shape(int64_t B, int64_t T, int64_t C, bool sequence, bool strided = false) {
    return {B, T, C, sequence, strided};
}

std::vector<int64_t> strides_of(const MonarchCase &c, const std::vector<int64_t> &shape) {
    return c.strided ? padded_strides(shape, 5) : contiguous_strides(shape);
}

using MonarchParam = CaseVariant<MonarchCase>;

void check_monarch(const MonarchCase &c, const Variant &variant) {
    Rng rng(seed_of(c.name()));
    const int64_t m = c.m();
    // Blocks scaled by 1/sqrt(m) so y stays O(1) whatever m is.
    const auto x = rng.normal(c.B * c.T * c.C), L = rng.normal(m * m * m, 0.0, 1.0 / std::sqrt(double(m)));
    const auto R = rng.normal(m * m * m, 0.0, 1.0 / std::sqrt(double(m)));
    const Backend be = variant.backend;
    const std::vector<int64_t> xs{c.B, c.T, c.C}, ws{m, m, m};
    Buffer xb(be, xs, strides_of(c, xs)), lb(be, ws, strides_of(c, ws)), rb(be, ws), yb(be, xs, strides_of(c, xs));
    xb.upload(x), lb.upload(L), rb.upload(R);
    MonarchOptions opt;
    opt.variant = variant.forced();
    opt.axis = c.sequence ? MonarchAxis::sequence : MonarchAxis::channel;
    if (!run_forced([&] { seqmix::monarch(xb.tensor(), lb.tensor(), rb.tensor(), yb.tensor(), opt); })) return;
    EXPECT_EQ(seqmix::last_variant(), variant.forced());
    const auto want = ref::monarch_ref(to_double(x), to_double(L), to_double(R), c.B, c.T, c.C, c.sequence);
    EXPECT_TRUE(close("y", yb.download(), want, xs, fp32_tolerance(kBase, 2 * m, want)));
    if (c.strided) EXPECT_TRUE(yb.padding_untouched()) << "monarch wrote into y's padding";
}

std::vector<MonarchParam> params(const std::vector<MonarchCase> &cases) {
    std::vector<MonarchParam> out;
    for (const MonarchCase &c : cases) {
        for (const MonarchParam &p : cross(std::vector<MonarchCase>{c}, c.mixer())) out.push_back(p);
    }
    return out;
}

class Monarch : public ::testing::TestWithParam<MonarchParam> {};

TEST_P(Monarch, MatchesDenseMatrix) {
    const MonarchParam &p = GetParam();
    if (const std::string why = skip_reason(p.variant); !why.empty()) GTEST_SKIP() << p.variant.forced() << ": " << why;
    check_monarch(p.c, p.variant);
}

std::vector<MonarchCase> cases() {
    return {
        // channel axis: squares, padded, n = 1, odd token counts
        shape(1, 1, 16, false), shape(2, 63, 64, false), shape(1, 7, 60, false), shape(2, 5, 17, false),
        shape(1, 3, 1, false), shape(1, 9, 1024, false), shape(2, 13, 200, false, true), shape(1, 5, 250, false),
        // sequence axis: squares, padded, T = 1, channel counts not a multiple of any vector
        shape(1, 64, 40, true), shape(2, 63, 16, true), shape(1, 1, 8, true), shape(2, 100, 3, true),
        shape(1, 1024, 24, true), shape(1, 30, 33, true, true),
        // m = 64 with T = m * m (the CUDA bucket m64), C not a multiple of its 64-channel tile
        shape(1, 4096, 65, true)};
}

SEQMIX_ALLOW_NO_VARIANTS(Monarch);
INSTANTIATE_TEST_SUITE_P(Shapes, Monarch, ::testing::ValuesIn(params(cases())), CaseVariantName());

class MonarchLong : public ::testing::TestWithParam<MonarchParam> {};

TEST_P(MonarchLong, MatchesDenseMatrix) {
    const MonarchParam &p = GetParam();
    if (const std::string why = skip_reason(p.variant); !why.empty()) GTEST_SKIP() << p.variant.forced() << ": " << why;
    check_monarch(p.c, p.variant);
}

SEQMIX_ALLOW_NO_VARIANTS(MonarchLong);
INSTANTIATE_TEST_SUITE_P(Shapes, MonarchLong,
                         ::testing::ValuesIn(params({shape(1, 4, 4096, false), shape(1, 4000, 8, true)})),
                         CaseVariantName());

// ---- validation --------------------------------------------------------------------------------

// The seqmix::Error message of seqmix::monarch on host arrays of these shapes ("" if it runs).
// Validation comes before any data access; y_is_x passes x's storage as y.
std::string monarch_error(std::vector<int64_t> xs, std::vector<int64_t> ls, std::vector<int64_t> rs,
                          std::vector<int64_t> ys, MonarchAxis axis = MonarchAxis::channel, bool y_is_x = false) {
    auto numel = [](const std::vector<int64_t> &s) {
        int64_t n = 1;
        for (int64_t d : s) n *= d;
        return size_t(n);
    };
    std::vector<float> x(numel(xs)), L(numel(ls)), R(numel(rs)), y(numel(ys));
    MonarchOptions opt;
    opt.axis = axis;
    return error_message([&] {
        seqmix::monarch(Tensor::contiguous(x.data(), xs), Tensor::contiguous(L.data(), ls),
                        Tensor::contiguous(R.data(), rs), Tensor::contiguous(y_is_x ? x.data() : y.data(), ys), opt);
    });
}

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::StartsWith;

TEST(MonarchValidation, ValidArgumentsRun) {
    SEQMIX_SKIP_IF_LEFT_OUT("monarch");
    EXPECT_EQ(monarch_error({1, 4, 9}, {3, 3, 3}, {3, 3, 3}, {1, 4, 9}), "");
    EXPECT_EQ(monarch_error({1, 4, 9}, {2, 2, 2}, {2, 2, 2}, {1, 4, 9}, MonarchAxis::sequence), "");
}

TEST(MonarchValidation, BlockSizeMustBeCeilSqrtOfN) {
    // C = 10 needs m = 4.
    EXPECT_THAT(monarch_error({1, 4, 10}, {3, 3, 3}, {3, 3, 3}, {1, 4, 10}),
                AllOf(StartsWith("seqmix::monarch: "), HasSubstr("m = 3, expected m = ceil(sqrt(10)) = 4")));
}

TEST(MonarchValidation, SequenceAxisUsesT) {
    // The sequence axis has n = T = 4: m = 2, not C's 3.
    EXPECT_THAT(monarch_error({1, 4, 9}, {3, 3, 3}, {3, 3, 3}, {1, 4, 9}, MonarchAxis::sequence),
                HasSubstr("expected m = ceil(sqrt(4)) = 2 for the sequence axis"));
}

TEST(MonarchValidation, BlocksNotCubic) {
    EXPECT_THAT(monarch_error({1, 4, 9}, {3, 3, 3}, {3, 9}, {1, 4, 9}), HasSubstr("R has rank 2"));
    EXPECT_THAT(monarch_error({1, 4, 9}, {3, 3, 3}, {3, 3, 4}, {1, 4, 9}), HasSubstr("R has shape [3,3,4]"));
}

TEST(MonarchValidation, OutputShapeDiffers) {
    EXPECT_THAT(monarch_error({1, 4, 9}, {3, 3, 3}, {3, 3, 3}, {1, 3, 9}), HasSubstr("y has shape [1,3,9]"));
}

TEST(MonarchValidation, OutputOverlapsInput) {
    EXPECT_THAT(monarch_error({1, 4, 9}, {3, 3, 3}, {3, 3, 3}, {1, 4, 9}, MonarchAxis::channel, true),
                HasSubstr("y overlaps x"));
}

}  // namespace
}  // namespace seqmix::test
