// Long causal convolution (MIXERS.md, "Convolutions and structured matrices"): every built variant
// of `long_conv` this host can run (the direct default and the FFT buckets fft<n>, each on the
// shapes its condition admits) against the float64 direct sum tests/reference/long_conv.cpp;
// a filter spectrum made once with long_conv_filter and passed in == the one made inside.
//
// Tolerances: the direct form sums L fp32 products (random-walk growth with sqrt(L)); the FFT
// form's error is that of the transforms, ~u log2(n) relative to the signal's RMS (2e-6 at
// n <= 2^17 has ~2x headroom measured here). fp32_tolerance(2e-6, L) covers both; an indexing
// or twiddle error is O(1) relative.
#include "reference/long_conv.h"
#include "support/device.h"
#include "support/errors.h"
#include "support/metrics.h"
#include "support/random.h"
#include "support/variants.h"

#include <seqmix/seqmix.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace seqmix::test {
namespace {

constexpr double kBase = 2e-6;

struct LongConvCase {
    int64_t B = 1, D = 4, T = 1, L = 1;
    bool Dskip = true, gate = false, strided = false;

    std::string name() const {
        std::string n = "B" + std::to_string(B) + "_D" + std::to_string(D) + "_T" + std::to_string(T) + "_L" +
                        std::to_string(L);
        if (!Dskip) n += "_noD";
        if (gate) n += "_gate";
        if (strided) n += "_strided";
        return n;
    }
};

LongConvCase shape(int64_t B, int64_t D, int64_t T, int64_t L, bool gate = false) {
    LongConvCase c;
    c.B = B, c.D = D, c.T = T, c.L = L, c.gate = gate;
    return c;
}

struct Inputs {
    std::vector<float> u, kf, Dskip, gate;
    explicit Inputs(const LongConvCase &c) {
        Rng rng(seed_of(c.name()));
        u = rng.normal(c.B * c.D * c.T);
        // Hyena-like filters: decaying, scaled so the output stays O(1) whatever L.
        kf = rng.normal(c.D * c.L, 0.0, 1.0 / std::sqrt(static_cast<double>(c.L)));
        for (int64_t d = 0; d < c.D; d++) {
            for (int64_t s = 0; s < c.L; s++) kf[d * c.L + s] *= static_cast<float>(std::exp(-3.0 * s / c.L));
        }
        Dskip = rng.normal(c.D);
        gate = rng.uniform(c.B * c.D * c.T, 0.0, 1.0);
    }
};

std::vector<int64_t> strides_of(const LongConvCase &c, const std::vector<int64_t> &shape) {
    return c.strided ? padded_strides(shape, 3) : contiguous_strides(shape);
}

struct Buffers {
    Buffer u, kf, Dskip, gate, y;
    Buffers(const LongConvCase &c, Backend be, const Inputs &in)
        : u(be, {c.B, c.D, c.T}, strides_of(c, {c.B, c.D, c.T})), kf(be, {c.D, c.L}, strides_of(c, {c.D, c.L})),
          Dskip(be, {c.D}), gate(be, {c.B, c.D, c.T}, strides_of(c, {c.B, c.D, c.T})),
          y(be, {c.B, c.D, c.T}, strides_of(c, {c.B, c.D, c.T})) {
        u.upload(in.u);
        kf.upload(in.kf);
        Dskip.upload(in.Dskip);
        gate.upload(in.gate);
    }
    std::optional<Tensor> Dskip_of(const LongConvCase &c) { return c.Dskip ? std::optional<Tensor>(Dskip.tensor()) : std::nullopt; }
    std::optional<Tensor> gate_of(const LongConvCase &c) { return c.gate ? std::optional<Tensor>(gate.tensor()) : std::nullopt; }
};

std::vector<double> reference(const LongConvCase &c, const Inputs &in) {
    return ref::long_conv_ref(to_double(in.u), to_double(in.kf), c.Dskip ? to_double(in.Dskip) : std::vector<double>{},
                              c.gate ? to_double(in.gate) : std::vector<double>{}, c.B, c.D, c.T, c.L);
}

using Param = CaseVariant<LongConvCase>;

void check(const LongConvCase &c, const Variant &variant) {
    const Inputs in(c);
    Buffers buf(c, variant.backend, in);
    LongConvOptions opt;
    opt.variant = variant.forced();
    if (!run_forced([&] {
            seqmix::long_conv(buf.u.tensor(), buf.kf.tensor(), buf.y.tensor(), buf.Dskip_of(c), buf.gate_of(c), opt);
        })) {
        return;
    }
    EXPECT_EQ(seqmix::last_variant(), variant.forced());
    const std::vector<double> r = reference(c, in);
    EXPECT_TRUE(close("y", buf.y.download(), r, buf.y.shape(), fp32_tolerance(kBase, c.L, r)));
    if (c.strided) EXPECT_TRUE(buf.y.padding_untouched()) << "long_conv wrote into y's padding";
}

class LongConv : public ::testing::TestWithParam<Param> {};

TEST_P(LongConv, MatchesReference) {
    const Param &p = GetParam();
    if (const std::string why = skip_reason(p.variant); !why.empty()) GTEST_SKIP() << p.variant.forced() << ": " << why;
    check(p.c, p.variant);
}

std::vector<LongConvCase> cases() {
    std::vector<LongConvCase> cs = {shape(1, 4, 1, 1),         shape(2, 3, 63, 63),      shape(1, 5, 100, 40, true),
                                    shape(2, 6, 1000, 1000),   shape(1, 17, 1500, 600),  shape(1, 2, 3000, 17, true),
                                    shape(1, 3, 4000, 2000),   shape(1, 1, 255, 255),    shape(2, 4, 2049, 97)};
    LongConvCase c = shape(2, 7, 300, 120, true);
    c.strided = true;
    cs.push_back(c);
    c = shape(1, 8, 500, 500);
    c.Dskip = false;
    cs.push_back(c);
    return cs;
}

SEQMIX_ALLOW_NO_VARIANTS(LongConv);
INSTANTIATE_TEST_SUITE_P(Shapes, LongConv, ::testing::ValuesIn(cross(cases(), "long_conv")), CaseVariantName());

// T up to 65536 and the largest FFT lengths (fft131072, fft65536, fft12288, fft16384).
class LongConvLong : public ::testing::TestWithParam<Param> {};

TEST_P(LongConvLong, MatchesReference) {
    const Param &p = GetParam();
    if (const std::string why = skip_reason(p.variant); !why.empty()) GTEST_SKIP() << p.variant.forced() << ": " << why;
    check(p.c, p.variant);
}

SEQMIX_ALLOW_NO_VARIANTS(LongConvLong);
INSTANTIATE_TEST_SUITE_P(Shapes, LongConvLong,
                         ::testing::ValuesIn(cross(std::vector<LongConvCase>{shape(1, 2, 65536, 1000, true),
                                                                             shape(1, 2, 32768, 32768),
                                                                             shape(1, 3, 12000, 300),
                                                                             shape(1, 2, 10000, 5000)},
                                                   "long_conv")),
                         CaseVariantName());

// The filter's spectrum made once (long_conv_filter) and reused == made inside each call.
class LongConvSpectrumReuse : public ::testing::TestWithParam<Param> {};

TEST_P(LongConvSpectrumReuse, SameAsInside) {
    const Param &p = GetParam();
    const LongConvCase &c = p.c;
    if (const std::string why = skip_reason(p.variant); !why.empty()) GTEST_SKIP() << p.variant.forced() << ": " << why;
    const Inputs in(c);
    Buffers buf(c, p.variant.backend, in);
    LongConvOptions opt;
    opt.variant = p.variant.forced();
    int64_t n = 0;
    if (!run_forced([&] {
            n = seqmix::long_conv_fft_length(c.B, c.D, c.T, c.L, buf.u.tensor().device, opt.variant);
        })) {
        return;
    }
    if (n == 0) GTEST_SKIP() << opt.variant << " is the direct form";
    Buffer spec(p.variant.backend, {n / 2 + 1, 2, c.D}), y2(p.variant.backend, {c.B, c.D, c.T});
    seqmix::long_conv_filter(buf.kf.tensor(), c.B, c.T, spec.tensor(), opt);
    opt.kf_spectrum = spec.tensor();
    seqmix::long_conv(buf.u.tensor(), buf.kf.tensor(), y2.tensor(), buf.Dskip_of(c), buf.gate_of(c), opt);
    opt.kf_spectrum.reset();
    seqmix::long_conv(buf.u.tensor(), buf.kf.tensor(), buf.y.tensor(), buf.Dskip_of(c), buf.gate_of(c), opt);
    EXPECT_EQ(y2.download(), buf.y.download());
    const std::vector<double> r = reference(c, in);
    EXPECT_TRUE(close("y (reused spectrum)", y2.download(), r, y2.shape(), fp32_tolerance(kBase, c.L, r)));
}

SEQMIX_ALLOW_NO_VARIANTS(LongConvSpectrumReuse);
INSTANTIATE_TEST_SUITE_P(Shapes, LongConvSpectrumReuse,
                         ::testing::ValuesIn(cross(std::vector<LongConvCase>{shape(2, 5, 700, 300, true)}, "long_conv")),
                         CaseVariantName());

// Bad arguments: a clear seqmix::Error naming the argument.
TEST(LongConvValidation, Errors) {
    SEQMIX_SKIP_IF_LEFT_OUT("long_conv");
    const LongConvCase c = shape(1, 4, 256, 200);
    const Inputs in(c);
    Buffers buf(c, Backend::cpu, in);
    auto expect_error = [](const std::function<void()> &call, const std::string &needle) {
        EXPECT_THAT(error_message(call), ::testing::HasSubstr(needle));
    };
    Buffer long_kf(Backend::cpu, {4, 257});
    expect_error([&] { seqmix::long_conv(buf.u.tensor(), long_kf.tensor(), buf.y.tensor()); }, "L <= T");
    Buffer bad_gate(Backend::cpu, {1, 4, 255});
    expect_error([&] { seqmix::long_conv(buf.u.tensor(), buf.kf.tensor(), buf.y.tensor(), std::nullopt, bad_gate.tensor()); },
                 "gate");
    const int64_t n = seqmix::long_conv_fft_length(1, 4, 256, 200);
    ASSERT_GT(n, 0) << "L = 200 should take an FFT bucket";
    Buffer bad_spec(Backend::cpu, {n / 2, 2, 4});
    LongConvOptions opt;
    opt.kf_spectrum = bad_spec.tensor();
    expect_error([&] { seqmix::long_conv(buf.u.tensor(), buf.kf.tensor(), buf.y.tensor(), std::nullopt, std::nullopt, opt); },
                 "kf_spectrum");
    Buffer short_kf(Backend::cpu, {4, 8});
    EXPECT_EQ(seqmix::long_conv_fft_length(1, 4, 256, 8), 0) << "L = 8 should take the direct form";
    expect_error([&] { seqmix::long_conv_filter(short_kf.tensor(), 1, 256, bad_spec.tensor()); }, "direct form");
}

}  // namespace
}  // namespace seqmix::test
