// LMU memory (MIXERS.md, "Convolutions and structured matrices"): every built variant of `lmu`
// (the direct default and the FFT buckets) and `lmu_step` this host can run, against the float64
// recurrence tests/reference/long_conv.cpp (Abar, Bbar by a different route than the runtime's);
// the parallel form == T repeated steps; one call == two calls with the state carried.
//
// Tolerances: the parallel form sums T fp32 terms per output (direct) or goes through fp32 FFTs,
// with the impulse response rounded to fp32 once; fp32_tolerance(2e-6, T) as long_conv's. The
// step form rounds once per step and its error grows like a random walk over the T steps too.
#include "reference/long_conv.h"
#include "support/device.h"
#include "support/errors.h"
#include "support/metrics.h"
#include "support/random.h"
#include "support/variants.h"

#include <seqmix/seqmix.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace seqmix::test {
namespace {

constexpr double kBase = 2e-6;

struct LmuCase {
    int64_t B = 1, T = 1, C = 4, d = 4;
    double theta = 16;
    bool initial_state = false;
    int64_t split = 0;  // round trip: first call takes tokens [0, split)

    std::string name() const {
        std::string n = "B" + std::to_string(B) + "_T" + std::to_string(T) + "_C" + std::to_string(C) + "_d" +
                        std::to_string(d) + "_theta" + std::to_string(static_cast<int>(theta));
        if (initial_state) n += "_h0";
        if (split) n += "_split" + std::to_string(split);
        return n;
    }
};

LmuCase shape(int64_t B, int64_t T, int64_t C, int64_t d, double theta, bool h0 = false) {
    LmuCase c;
    c.B = B, c.T = T, c.C = C, c.d = d, c.theta = theta, c.initial_state = h0;
    return c;
}

struct Inputs {
    std::vector<float> u, h0;
    explicit Inputs(const LmuCase &c) {
        Rng rng(seed_of(c.name()));
        u = rng.normal(c.B * c.T * c.C);
        h0 = rng.normal(c.B * c.C * c.d);
    }
};

ref::LmuResult reference(const LmuCase &c, const Inputs &in) {
    return ref::lmu_ref(to_double(in.u), c.initial_state ? to_double(in.h0) : std::vector<double>{}, c.B, c.T, c.C,
                        static_cast<int>(c.d), c.theta);
}

LmuOptions options_for(const LmuCase &c, const std::string &variant) {
    LmuOptions opt;
    opt.variant = variant;
    opt.theta = c.theta;
    return opt;
}

using Param = CaseVariant<LmuCase>;

// Token t of u [B,T,C] as a [B,C] view.
Tensor token(const Buffer &u, int64_t t) {
    Tensor x = u.slice(1, t, 1);
    x.shape.erase(x.shape.begin() + 1);
    x.strides.erase(x.strides.begin() + 1);
    return x;
}

void check_parallel(const LmuCase &c, const Variant &v) {
    const Inputs in(c);
    Buffer u(v.backend, {c.B, c.T, c.C}), m(v.backend, {c.B, c.T, c.C, c.d}), h0(v.backend, {c.B, c.C, c.d}),
        ht(v.backend, {c.B, c.C, c.d});
    u.upload(in.u);
    h0.upload(in.h0);
    const std::optional<Tensor> init = c.initial_state ? std::optional<Tensor>(h0.tensor()) : std::nullopt;
    if (!run_forced([&] { seqmix::lmu(u.tensor(), m.tensor(), init, ht.tensor(), options_for(c, v.forced())); })) return;
    EXPECT_EQ(seqmix::last_variant(), v.forced());
    const ref::LmuResult r = reference(c, in);
    EXPECT_TRUE(close("m", m.download(), r.m, m.shape(), fp32_tolerance(kBase, c.T, r.m)));
    EXPECT_TRUE(close("final_state", ht.download(), r.final_state, ht.shape(), fp32_tolerance(kBase, c.T, r.final_state)));
}

class Lmu : public ::testing::TestWithParam<Param> {};

TEST_P(Lmu, MatchesReference) {
    const Param &p = GetParam();
    if (const std::string why = skip_reason(p.variant); !why.empty()) GTEST_SKIP() << p.variant.forced() << ": " << why;
    check_parallel(p.c, p.variant);
}

std::vector<LmuCase> cases() {
    return {shape(1, 1, 4, 4, 16),       shape(2, 63, 5, 4, 20, true), shape(1, 200, 6, 8, 50),
            shape(2, 700, 3, 6, 300, true), shape(1, 1500, 4, 12, 1000), shape(1, 40, 1, 1, 8)};
}

SEQMIX_ALLOW_NO_VARIANTS(Lmu);
INSTANTIATE_TEST_SUITE_P(Shapes, Lmu, ::testing::ValuesIn(cross(cases(), "lmu")), CaseVariantName());

class LmuLong : public ::testing::TestWithParam<Param> {};

TEST_P(LmuLong, MatchesReference) {
    const Param &p = GetParam();
    if (const std::string why = skip_reason(p.variant); !why.empty()) GTEST_SKIP() << p.variant.forced() << ": " << why;
    check_parallel(p.c, p.variant);
}

SEQMIX_ALLOW_NO_VARIANTS(LmuLong);
INSTANTIATE_TEST_SUITE_P(Shapes, LmuLong,
                         ::testing::ValuesIn(cross(std::vector<LmuCase>{shape(1, 16384, 4, 8, 4000, true)}, "lmu")),
                         CaseVariantName());

// The step form against the reference, T steps from an initial state; and the parallel form
// (dispatched) == those steps.
class LmuStep : public ::testing::TestWithParam<Param> {};

TEST_P(LmuStep, ParallelEqualsSteps) {
    const Param &p = GetParam();
    const LmuCase &c = p.c;
    if (const std::string why = skip_reason(p.variant); !why.empty()) GTEST_SKIP() << p.variant.forced() << ": " << why;
    if (const std::string why = partner_missing("lmu_step", p.variant.backend); !why.empty()) {
        GTEST_SKIP() << why;
    }
    const Inputs in(c);
    const Backend be = p.variant.backend;
    Buffer u(be, {c.B, c.T, c.C}), s0(be, {c.B, c.C, c.d}), s1(be, {c.B, c.C, c.d}), m(be, {c.B, c.T, c.C, c.d});
    u.upload(in.u);
    s0.upload(in.h0);
    std::vector<float> steps(c.B * c.T * c.C * c.d);
    const LmuOptions opt = options_for(c, p.variant.forced());
    for (int64_t t = 0; t < c.T; t++) {
        Buffer &from = t % 2 == 0 ? s0 : s1, &to = t % 2 == 0 ? s1 : s0;
        seqmix::lmu_step(token(u, t), from.tensor(), to.tensor(), opt);
        const std::vector<float> st = to.download();
        for (int64_t b = 0; b < c.B; b++) {
            std::copy(st.begin() + b * c.C * c.d, st.begin() + (b + 1) * c.C * c.d,
                      steps.begin() + (b * c.T + t) * c.C * c.d);
        }
    }
    const ref::LmuResult r = reference(c, in);
    EXPECT_TRUE(close("m (steps)", steps, r.m, m.shape(), fp32_tolerance(kBase, c.T, r.m)));
    LmuOptions par;
    par.theta = c.theta;
    Buffer h0(be, {c.B, c.C, c.d});
    h0.upload(in.h0);
    seqmix::lmu(u.tensor(), m.tensor(), h0.tensor(), std::nullopt, par);
    EXPECT_TRUE(close("m (parallel vs steps)", m.download(), to_double(steps), m.shape(), fp32_tolerance(kBase, c.T, r.m)));
}

SEQMIX_ALLOW_NO_VARIANTS(LmuStep);
INSTANTIATE_TEST_SUITE_P(Shapes, LmuStep,
                         ::testing::ValuesIn(cross(std::vector<LmuCase>{shape(2, 1, 3, 4, 10, true),
                                                                        shape(1, 300, 5, 6, 100, true),
                                                                        shape(2, 63, 4, 16, 30, true)},
                                                   "lmu_step")),
                         CaseVariantName());

// One call over T == two calls with the state carried between (dispatched variants).
class LmuStateRoundTrip : public ::testing::TestWithParam<Param> {};

TEST_P(LmuStateRoundTrip, TwoCallsEqualOne) {
    const Param &p = GetParam();
    const LmuCase &c = p.c;
    if (const std::string why = skip_reason(p.variant); !why.empty()) GTEST_SKIP() << p.variant.forced() << ": " << why;
    const Inputs in(c);
    const Backend be = p.variant.backend;
    Buffer u(be, {c.B, c.T, c.C}), m(be, {c.B, c.T, c.C, c.d}), h0(be, {c.B, c.C, c.d}), mid(be, {c.B, c.C, c.d}),
        ht(be, {c.B, c.C, c.d});
    u.upload(in.u);
    h0.upload(in.h0);
    LmuOptions opt;
    opt.theta = c.theta;
    const int64_t a = c.split, b = c.T - c.split;
    seqmix::lmu(u.slice(1, 0, a), m.slice(1, 0, a), h0.tensor(), mid.tensor(), opt);
    seqmix::lmu(u.slice(1, a, b), m.slice(1, a, b), mid.tensor(), ht.tensor(), opt);
    const ref::LmuResult r = reference(c, in);
    EXPECT_TRUE(close("m (two calls)", m.download(), r.m, m.shape(), fp32_tolerance(kBase, c.T, r.m)));
    EXPECT_TRUE(close("final_state (two calls)", ht.download(), r.final_state, ht.shape(),
                      fp32_tolerance(kBase, c.T, r.final_state)));
}

LmuCase split_case(int64_t T, int64_t split) {
    LmuCase c = shape(2, T, 3, 8, 64, true);
    c.split = split;
    return c;
}

SEQMIX_ALLOW_NO_VARIANTS(LmuStateRoundTrip);
INSTANTIATE_TEST_SUITE_P(Shapes, LmuStateRoundTrip,
                         ::testing::ValuesIn(cross(std::vector<LmuCase>{split_case(100, 1), split_case(600, 250)}, "lmu")),
                         CaseVariantName());

TEST(LmuValidation, Errors) {
    Buffer u(Backend::cpu, {1, 8, 4}), m(Backend::cpu, {1, 8, 4, 3}), bad_m(Backend::cpu, {1, 8, 5, 3}),
        s(Backend::cpu, {1, 4, 3}), s2(Backend::cpu, {1, 4, 3}), us(Backend::cpu, {1, 4});
    auto expect_error = [](const std::function<void()> &call, const std::string &needle) {
        EXPECT_THAT(error_message(call), ::testing::HasSubstr(needle));
    };
    LmuOptions opt;
    expect_error([&] { seqmix::lmu(u.tensor(), m.tensor(), std::nullopt, std::nullopt, opt); }, "theta");
    opt.theta = 10;
    expect_error([&] { seqmix::lmu(u.tensor(), bad_m.tensor(), std::nullopt, std::nullopt, opt); }, "m has shape");
    opt.theta = -1;
    expect_error([&] { seqmix::lmu_step(us.tensor(), s.tensor(), s2.tensor(), opt); }, "theta");
}

}  // namespace
}  // namespace seqmix::test
