// Causal depthwise conv1d (MIXERS.md, "State-space models"): every built variant of
// `causal_conv1d` and `causal_conv1d_step` this host can run, against the float64 reference
// tests/reference/causal_conv1d.cpp; one call == two calls carrying conv_state; the sequence
// form == repeated steps.
//
// Tolerances: every output is a W-term (W <= 4) fp32 dot product plus a bias, then at most one
// fp32 exp (SiLU): a few ulp, ~1e-7 relative. 2e-6 rel-RMS is ~30 ulp of headroom and still far
// below any indexing error (a tap off by one position is ~1e-1 relative); it does not grow with T
// (no accumulation along the sequence). The states are copies of inputs: exact.
#include "reference/causal_conv1d.h"
#include "support/device.h"
#include "support/metrics.h"
#include "support/random.h"
#include "support/variants.h"

#include <seqmix/seqmix.h>

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

namespace seqmix::test {
namespace {

constexpr double kBase = 2e-6;

struct ConvCase {
    int64_t B = 1, T = 1, D = 64, W = 4;
    bool silu = true, bias = true, initial_state = false, final_state = true, strided = false;
    int64_t split = 0;  // round trip: first call takes tokens [0, split)

    std::string name() const {
        std::string n = "B" + std::to_string(B) + "_T" + std::to_string(T) + "_D" + std::to_string(D) + "_W" +
                        std::to_string(W) + (silu ? "_silu" : "_identity");
        if (!bias) n += "_nobias";
        if (initial_state) n += "_h0";
        if (!final_state) n += "_nofinal";
        if (strided) n += "_strided";
        if (split) n += "_split" + std::to_string(split);
        return n;
    }
};

ConvCase shape(int64_t B, int64_t T, int64_t D, int64_t W, bool silu = true) {
    ConvCase c;
    c.B = B, c.T = T, c.D = D, c.W = W, c.silu = silu;
    return c;
}

struct ConvInputs {
    std::vector<float> x, weight, bias, h0;
    explicit ConvInputs(const ConvCase &c) {
        Rng rng(seed_of(c.name()));
        x = rng.normal(c.B * c.T * c.D);
        weight = rng.normal(c.D * c.W, 0.0, 0.5);
        bias = rng.normal(c.D);
        h0 = rng.normal(c.B * c.D * (c.W - 1));
    }
};

ref::ConvResult reference(const ConvCase &c, const ConvInputs &in, bool with_h0) {
    return ref::causal_conv1d_ref(to_double(in.x), to_double(in.weight), c.bias ? to_double(in.bias) : std::vector<double>{},
                                  with_h0 ? to_double(in.h0) : std::vector<double>{}, c.B, c.T, c.D, c.W, c.silu);
}

std::vector<int64_t> strides_of(const ConvCase &c, const std::vector<int64_t> &shape) {
    return c.strided ? padded_strides(shape, 3) : contiguous_strides(shape);
}

struct ConvBuffers {
    Buffer x, weight, bias, y, h0, ht;
    ConvBuffers(const ConvCase &c, Backend be, const ConvInputs &in)
        : x(be, {c.B, c.T, c.D}, strides_of(c, {c.B, c.T, c.D})), weight(be, {c.D, c.W}, strides_of(c, {c.D, c.W})),
          bias(be, {c.D}), y(be, {c.B, c.T, c.D}, strides_of(c, {c.B, c.T, c.D})),
          h0(be, {c.B, c.D, c.W - 1}, strides_of(c, {c.B, c.D, c.W - 1})),
          ht(be, {c.B, c.D, c.W - 1}, strides_of(c, {c.B, c.D, c.W - 1})) {
        x.upload(in.x);
        weight.upload(in.weight);
        bias.upload(in.bias);
        h0.upload(in.h0);
    }
};

CausalConv1dOptions options_for(const ConvCase &c, const std::string &variant) {
    CausalConv1dOptions opt;
    opt.variant = variant;
    opt.activation = c.silu ? Activation::silu : Activation::identity;
    return opt;
}

using ConvParam = CaseVariant<ConvCase>;

void check_conv(const ConvCase &c, const Variant &variant) {
    const ConvInputs in(c);
    ConvBuffers buf(c, variant.backend, in);
    const std::optional<Tensor> bias = c.bias ? std::optional<Tensor>(buf.bias.tensor()) : std::nullopt;
    const std::optional<Tensor> h0 = c.initial_state ? std::optional<Tensor>(buf.h0.tensor()) : std::nullopt;
    const std::optional<Tensor> ht = c.final_state ? std::optional<Tensor>(buf.ht.tensor()) : std::nullopt;
    if (!run_forced([&] {
            seqmix::causal_conv1d(buf.x.tensor(), buf.weight.tensor(), buf.y.tensor(), bias, h0, ht,
                                  options_for(c, variant.forced()));
        })) {
        return;
    }
    EXPECT_EQ(seqmix::last_variant(), variant.forced());
    const ref::ConvResult r = reference(c, in, c.initial_state);
    EXPECT_TRUE(close("y", buf.y.download(), r.y, buf.y.shape(), fp32_tolerance(kBase, 1, r.y)));
    if (c.final_state) {
        EXPECT_TRUE(close("final_state", buf.ht.download(), r.final_state, buf.ht.shape(),
                          fp32_tolerance(kBase, 1, r.final_state)));
    }
    if (c.strided) {
        EXPECT_TRUE(buf.y.padding_untouched()) << "causal_conv1d wrote into y's padding";
        EXPECT_TRUE(buf.ht.padding_untouched()) << "causal_conv1d wrote into final_state's padding";
    }
}

class CausalConv1d : public ::testing::TestWithParam<ConvParam> {};

TEST_P(CausalConv1d, MatchesReference) {
    const ConvParam &p = GetParam();
    if (const std::string why = skip_reason(p.variant); !why.empty()) GTEST_SKIP() << p.variant.forced() << ": " << why;
    check_conv(p.c, p.variant);
}

std::vector<ConvCase> conv_cases() {
    std::vector<ConvCase> cs = {shape(1, 1, 64, 4),       shape(2, 63, 64, 4),     shape(2, 100, 67, 3),
                                shape(1, 77, 48, 2),      shape(3, 1000, 40, 4),   shape(2, 65, 130, 4, false),
                                shape(1, 5, 16, 3, false), shape(2, 2, 33, 4)};
    ConvCase c = shape(2, 1, 64, 4);
    c.initial_state = true;  // T = 1 from a state
    cs.push_back(c);
    c = shape(2, 2, 20, 4);
    c.initial_state = true;  // T < W - 1: final_state keeps entries of initial_state
    cs.push_back(c);
    c = shape(2, 70, 50, 3);
    c.initial_state = true;
    c.bias = false;
    cs.push_back(c);
    c = shape(1, 30, 64, 4);
    c.final_state = false;
    cs.push_back(c);
    c = shape(2, 37, 24, 4);
    c.initial_state = true;
    c.strided = true;
    cs.push_back(c);
    return cs;
}

SEQMIX_ALLOW_NO_VARIANTS(CausalConv1d);
INSTANTIATE_TEST_SUITE_P(Shapes, CausalConv1d, ::testing::ValuesIn(cross(conv_cases(), "causal_conv1d")),
                         CaseVariantName());

class CausalConv1dLong : public ::testing::TestWithParam<ConvParam> {};

TEST_P(CausalConv1dLong, MatchesReference) {
    const ConvParam &p = GetParam();
    if (const std::string why = skip_reason(p.variant); !why.empty()) GTEST_SKIP() << p.variant.forced() << ": " << why;
    check_conv(p.c, p.variant);
}

SEQMIX_ALLOW_NO_VARIANTS(CausalConv1dLong);
INSTANTIATE_TEST_SUITE_P(Shapes, CausalConv1dLong,
                         ::testing::ValuesIn(cross(std::vector<ConvCase>{shape(1, 16384, 32, 4)}, "causal_conv1d")),
                         CaseVariantName());

// One call over T == two calls over [0, split) and [split, T) with the state carried between.
class CausalConv1dStateRoundTrip : public ::testing::TestWithParam<ConvParam> {};

TEST_P(CausalConv1dStateRoundTrip, TwoCallsEqualOne) {
    const ConvParam &p = GetParam();
    const ConvCase &c = p.c;
    if (const std::string why = skip_reason(p.variant); !why.empty()) GTEST_SKIP() << p.variant.forced() << ": " << why;
    const ConvInputs in(c);
    ConvBuffers buf(c, p.variant.backend, in);
    Buffer mid(p.variant.backend, {c.B, c.D, c.W - 1});
    const CausalConv1dOptions opt = options_for(c, p.variant.forced());
    const std::optional<Tensor> bias = buf.bias.tensor(), h0 = buf.h0.tensor();
    if (!run_forced([&] {
            const int64_t a = c.split, b = c.T - c.split;
            seqmix::causal_conv1d(buf.x.slice(1, 0, a), buf.weight.tensor(), buf.y.slice(1, 0, a), bias, h0,
                                  mid.tensor(), opt);
            seqmix::causal_conv1d(buf.x.slice(1, a, b), buf.weight.tensor(), buf.y.slice(1, a, b), bias, mid.tensor(),
                                  buf.ht.tensor(), opt);
        })) {
        return;
    }
    const ref::ConvResult r = reference(c, in, true);
    EXPECT_TRUE(close("y (two calls)", buf.y.download(), r.y, buf.y.shape(), fp32_tolerance(kBase, 1, r.y)));
    EXPECT_TRUE(close("final_state (two calls)", buf.ht.download(), r.final_state, buf.ht.shape(),
                      fp32_tolerance(kBase, 1, r.final_state)));
}

std::vector<ConvCase> round_trip_cases() {
    ConvCase a = shape(2, 50, 40, 4);
    a.split = 1;  // a one-token first call
    ConvCase b = shape(1, 64, 33, 3);
    b.split = 2;  // the middle state mixes initial_state and x
    ConvCase d = shape(2, 100, 64, 4, false);
    d.split = 37;
    return {a, b, d};
}

SEQMIX_ALLOW_NO_VARIANTS(CausalConv1dStateRoundTrip);
INSTANTIATE_TEST_SUITE_P(Shapes, CausalConv1dStateRoundTrip,
                         ::testing::ValuesIn(cross(round_trip_cases(), "causal_conv1d")), CaseVariantName());

// The sequence form (forced variant) == causal_conv1d_step repeated (dispatched, same device).
class CausalConv1dVsStep : public ::testing::TestWithParam<ConvParam> {};

TEST_P(CausalConv1dVsStep, SequenceEqualsRepeatedStep) {
    const ConvParam &p = GetParam();
    const ConvCase &c = p.c;
    if (const std::string why = skip_reason(p.variant); !why.empty()) GTEST_SKIP() << p.variant.forced() << ": " << why;
    if (const std::string why = partner_missing("causal_conv1d_step", p.variant.backend); !why.empty()) {
        GTEST_SKIP() << why;
    }
    const ConvInputs in(c);
    ConvBuffers seq(c, p.variant.backend, in), stepped(c, p.variant.backend, in);
    const std::optional<Tensor> bias = seq.bias.tensor();
    if (!run_forced([&] {
            seqmix::causal_conv1d(seq.x.tensor(), seq.weight.tensor(), seq.y.tensor(), bias, seq.h0.tensor(),
                                  seq.ht.tensor(), options_for(c, p.variant.forced()));
        })) {
        return;
    }
    Buffer states[2] = {Buffer(p.variant.backend, {c.B, c.D, c.W - 1}), Buffer(p.variant.backend, {c.B, c.D, c.W - 1})};
    states[0].upload(in.h0);
    for (int64_t t = 0; t < c.T; t++) {
        seqmix::causal_conv1d_step(stepped.x.select(1, t), stepped.weight.tensor(), states[t % 2].tensor(),
                                   stepped.y.select(1, t), states[(t + 1) % 2].tensor(), stepped.bias.tensor(),
                                   options_for(c, ""));
    }
    const ref::ConvResult r = reference(c, in, true);
    const Tolerance tol = fp32_tolerance(kBase, 1, r.y);
    EXPECT_TRUE(close("y (steps vs sequence)", stepped.y.download(), to_double(seq.y.download()), seq.y.shape(), tol));
    EXPECT_TRUE(close("y (steps vs reference)", stepped.y.download(), r.y, seq.y.shape(), tol));
    EXPECT_EQ(states[c.T % 2].download(), seq.ht.download()) << "final states differ (both are copies of inputs)";
}

SEQMIX_ALLOW_NO_VARIANTS(CausalConv1dVsStep);
INSTANTIATE_TEST_SUITE_P(Shapes, CausalConv1dVsStep,
                         ::testing::ValuesIn(cross(std::vector<ConvCase>{shape(2, 9, 40, 4), shape(1, 5, 17, 2, false)},
                                                   "causal_conv1d")),
                         CaseVariantName());

class CausalConv1dStep : public ::testing::TestWithParam<ConvParam> {};

TEST_P(CausalConv1dStep, MatchesReference) {
    const ConvParam &p = GetParam();
    const ConvCase &c = p.c;
    if (const std::string why = skip_reason(p.variant); !why.empty()) GTEST_SKIP() << p.variant.forced() << ": " << why;
    Rng rng(seed_of(c.name()));
    const auto x = rng.normal(c.B * c.D), w = rng.normal(c.D * c.W, 0.0, 0.5), bias = rng.normal(c.D);
    const auto s0 = rng.normal(c.B * c.D * (c.W - 1));
    const Backend be = p.variant.backend;
    const std::vector<int64_t> xs{c.B, c.D}, ws{c.D, c.W}, ss{c.B, c.D, c.W - 1};
    Buffer xb(be, xs, strides_of(c, xs)), wb(be, ws), bb(be, {c.D}), sb(be, ss, strides_of(c, ss));
    Buffer yb(be, xs, strides_of(c, xs)), nb(be, ss, strides_of(c, ss));
    xb.upload(x), wb.upload(w), bb.upload(bias), sb.upload(s0);
    const std::optional<Tensor> bt = c.bias ? std::optional<Tensor>(bb.tensor()) : std::nullopt;
    if (!run_forced([&] {
            seqmix::causal_conv1d_step(xb.tensor(), wb.tensor(), sb.tensor(), yb.tensor(), nb.tensor(), bt,
                                       options_for(c, p.variant.forced()));
        })) {
        return;
    }
    EXPECT_EQ(seqmix::last_variant(), p.variant.forced());
    const ref::ConvResult r = ref::causal_conv1d_step_ref(to_double(x), to_double(w),
                                                          c.bias ? to_double(bias) : std::vector<double>{},
                                                          to_double(s0), c.B, c.D, c.W, c.silu);
    EXPECT_TRUE(close("y", yb.download(), r.y, xs, fp32_tolerance(kBase, 1, r.y)));
    EXPECT_TRUE(close("new_state", nb.download(), r.final_state, ss, fp32_tolerance(kBase, 1, r.final_state)));
    EXPECT_EQ(sb.download(), s0) << "causal_conv1d_step modified state";
}

std::vector<ConvCase> step_cases() {
    std::vector<ConvCase> cs = {shape(3, 1, 64, 4), shape(1, 1, 67, 3), shape(2, 1, 16, 2, false)};
    ConvCase c = shape(2, 1, 40, 4);
    c.bias = false;
    cs.push_back(c);
    c = shape(3, 1, 24, 3);
    c.strided = true;
    cs.push_back(c);
    return cs;
}

SEQMIX_ALLOW_NO_VARIANTS(CausalConv1dStep);
INSTANTIATE_TEST_SUITE_P(Shapes, CausalConv1dStep, ::testing::ValuesIn(cross(step_cases(), "causal_conv1d_step")),
                         CaseVariantName());

}  // namespace
}  // namespace seqmix::test
