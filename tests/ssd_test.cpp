// Mamba-2 SSD (MIXERS.md, "State-space models"): every built variant of `ssd`, `ssd_step` and
// `ssd_bidirectional` that this host can run, against the float64 recurrences of
// tests/reference/ssd.cpp; the chunked form against repeated steps; one call against two calls
// carrying the state.
//
// Tolerances: SSD runs the scalar-decay block (scalar_decay_test.cpp), so the same reasoning and
// numbers hold: 5e-5 rel-RMS for T <= 64, growing like sqrt(T / 64) (random-walk rounding of the
// T-term state sum; fp32_tolerance), and 5e-5 flat for the step (one N-term reduction per
// output). What SSD adds is elementwise fp32 work per token (dt + bias, softplus, dt * A,
// dt * x, D x): a few ulp each, far below these bounds. dt near 0 (decay ~1) is the
// state-sums-T-terms case; large dt (dt * A down to -800 per token) must stay finite.
#include "reference/ssd.h"
#include "support/device.h"
#include "support/metrics.h"
#include "support/random.h"
#include "support/recurrence_checks.h"
#include "support/variants.h"

#include <seqmix/seqmix.h>

#include <gtest/gtest.h>

#include <cmath>
#include <optional>
#include <string>
#include <vector>

namespace seqmix::test {
namespace {

constexpr double kChunkedBase = 5e-5;
constexpr double kStepBase = 5e-5;

// How dt is drawn (A = -U[1, 16), as Mamba-2 initialises A = -exp(A_log), A_log ~ log U[1, 16)).
enum class Dt {
    normal,  // dt ~ U[1e-3, 0.1) (Mamba-2's dt range): dt * A in (-1.6, -1e-3]
    small,   // dt ~ U[1e-6, 1e-4): decay ~1, the state sums ~T terms
    large,   // dt ~ U[5, 50): dt * A down to -800 per token, -25600 per chunk of 32
    softplus,  // raw dt ~ N(-3, 2) through options.dt_softplus, with a dt_bias ~ N(0, 1)
};

const char *to_string(Dt d) {
    switch (d) {
    case Dt::normal: return "dtnormal";
    case Dt::small: return "dtsmall";
    case Dt::large: return "dtlarge";
    case Dt::softplus: return "softplus";
    }
    return "?";
}

struct Case {
    int64_t B = 1, T = 1, H = 1, P = 1, N = 1, G = 1;
    Dt dt = Dt::normal;
    bool D = true;  // Dskip given
    bool initial_state = false;
    bool final_state = true;
    bool strided = false;
    int64_t split = 0;

    std::string name() const {
        std::string n = "B" + std::to_string(B) + "_T" + std::to_string(T) + "_H" + std::to_string(H) + "_P" +
                        std::to_string(P) + "_N" + std::to_string(N) + "_G" + std::to_string(G) + "_" +
                        to_string(dt);
        if (!D) n += "_noD";
        if (initial_state) n += "_h0";
        if (!final_state) n += "_nofinal";
        if (strided) n += "_strided";
        if (split) n += "_split" + std::to_string(split);
        return n;
    }
    ref::SsdShape shape() const { return {B, T, H, P, N, G}; }
    bool softplus() const { return dt == Dt::softplus; }
};

Case shape(int64_t B, int64_t T, int64_t H, int64_t P, int64_t N, int64_t G, Dt dt = Dt::normal) {
    Case c;
    c.B = B, c.T = T, c.H = H, c.P = P, c.N = N, c.G = G, c.dt = dt;
    return c;
}

std::vector<float> draw_dt(Rng &rng, int64_t n, Dt kind) {
    switch (kind) {
    case Dt::normal: return rng.uniform(n, 1e-3, 0.1);
    case Dt::small: return rng.uniform(n, 1e-6, 1e-4);
    case Dt::large: return rng.uniform(n, 5.0, 50.0);
    case Dt::softplus: return rng.normal(n, -3.0, 2.0);
    }
    return {};
}

// The inputs of one case (one direction; the bidirectional tests draw a second set).
struct Inputs {
    std::vector<float> x, dt, A, Bm, Cm, D, bias, h0;
    Inputs(const Case &c, const std::string &salt) {
        Rng rng(seed_of(salt + c.name()));
        x = rng.normal(c.B * c.T * c.H * c.P);
        dt = draw_dt(rng, c.B * c.T * c.H, c.dt);
        A = rng.uniform(c.H, -16.0, -1.0);
        // Bm scaled by 1/sqrt(N) keeps |h_t Cm_t| ~ |x| whatever N.
        Bm = rng.normal(c.B * c.T * c.G * c.N, 0.0, 1.0 / std::sqrt(double(c.N)));
        Cm = rng.normal(c.B * c.T * c.G * c.N);
        D = rng.normal(c.H);
        bias = rng.normal(c.H);
        h0 = rng.normal(c.B * c.H * c.P * c.N);
    }
};

ref::SsdResult reference(const Case &c, const Inputs &in) {
    return ref::ssd_ref(to_double(in.x), to_double(in.dt), to_double(in.A), to_double(in.Bm), to_double(in.Cm),
                        c.D ? to_double(in.D) : std::vector<double>{},
                        c.softplus() ? to_double(in.bias) : std::vector<double>{},
                        c.initial_state ? to_double(in.h0) : std::vector<double>{}, c.shape(), c.softplus());
}

std::vector<int64_t> strides_of(const Case &c, const std::vector<int64_t> &shape) {
    return c.strided ? padded_strides(shape, 3) : contiguous_strides(shape);
}

struct Buffers {
    Buffer x, dt, A, Bm, Cm, D, bias, y, h0, ht;
    Buffers(const Case &c, Backend be, const Inputs &in)
        : x(be, {c.B, c.T, c.H, c.P}, strides_of(c, {c.B, c.T, c.H, c.P})),
          dt(be, {c.B, c.T, c.H}, strides_of(c, {c.B, c.T, c.H})), A(be, {c.H}),
          Bm(be, {c.B, c.T, c.G, c.N}, strides_of(c, {c.B, c.T, c.G, c.N})),
          Cm(be, {c.B, c.T, c.G, c.N}, strides_of(c, {c.B, c.T, c.G, c.N})), D(be, {c.H}), bias(be, {c.H}),
          y(be, {c.B, c.T, c.H, c.P}, strides_of(c, {c.B, c.T, c.H, c.P})),
          h0(be, {c.B, c.H, c.P, c.N}, strides_of(c, {c.B, c.H, c.P, c.N})),
          ht(be, {c.B, c.H, c.P, c.N}, strides_of(c, {c.B, c.H, c.P, c.N})) {
        x.upload(in.x), dt.upload(in.dt), A.upload(in.A), Bm.upload(in.Bm), Cm.upload(in.Cm);
        D.upload(in.D), bias.upload(in.bias), h0.upload(in.h0);
    }
};

SsdOptions options_for(const Case &c, const std::string &variant) {
    SsdOptions opt;
    opt.variant = variant;
    opt.dt_softplus = c.softplus();
    return opt;
}

// seqmix::ssd over tokens [t0, t0 + len) of `buf`.
void call_ssd(const Case &c, Buffers &buf, int64_t t0, int64_t len, const std::optional<Tensor> &h0,
              const std::optional<Tensor> &ht, const std::string &variant) {
    seqmix::ssd(buf.x.slice(1, t0, len), buf.dt.slice(1, t0, len), buf.A.tensor(), buf.Bm.slice(1, t0, len),
                buf.Cm.slice(1, t0, len), buf.y.slice(1, t0, len),
                c.D ? std::optional<Tensor>(buf.D.tensor()) : std::nullopt,
                c.softplus() ? std::optional<Tensor>(buf.bias.tensor()) : std::nullopt, h0, ht,
                options_for(c, variant));
}

using Param = CaseVariant<Case>;

struct ParamName {
    std::string operator()(const ::testing::TestParamInfo<Param> &info) const {
        return identifier(info.param.c.name() + "_" + info.param.variant.id());
    }
};

#define SEQMIX_SKIP_UNRUNNABLE(p)                                         \
    if (const std::string why = skip_reason((p).variant); !why.empty()) { \
        GTEST_SKIP() << (p).variant.forced() << ": " << why;              \
    }

void check_chunked(const Case &c, const Variant &variant) {
    const Inputs in(c, "ssd");
    Buffers buf(c, variant.backend, in);
    const std::optional<Tensor> h0 = c.initial_state ? std::optional<Tensor>(buf.h0.tensor()) : std::nullopt;
    const std::optional<Tensor> ht = c.final_state ? std::optional<Tensor>(buf.ht.tensor()) : std::nullopt;
    if (!run_forced([&] { call_ssd(c, buf, 0, c.T, h0, ht, variant.forced()); })) return;
    EXPECT_EQ(seqmix::last_variant(), variant.forced());
    const ref::SsdResult r = reference(c, in);
    expect_recurrence_outputs(c, "y", buf.y, r.y, buf, in, r, kChunkedBase);
}

class Ssd : public ::testing::TestWithParam<Param> {};

TEST_P(Ssd, MatchesReference) {
    SEQMIX_SKIP_UNRUNNABLE(GetParam());
    check_chunked(GetParam().c, GetParam().variant);
}

std::vector<Case> chunked_cases() {
    std::vector<Case> cs;
    cs.push_back(shape(1, 1, 2, 16, 32, 1));     // T = 1
    cs.push_back(shape(2, 63, 4, 16, 32, 1));    // one short chunk, G = 1 (all heads one group)
    cs.push_back(shape(1, 100, 4, 16, 32, 4));   // G = H, T not a multiple of the chunk
    cs.push_back(shape(1, 77, 6, 24, 16, 2));    // 1 < G < H (3 heads a group), P > N
    cs.push_back(shape(2, 65, 3, 13, 17, 3));    // odd sizes
    cs.push_back(shape(1, 130, 2, 64, 128, 1));  // the bench's head dims (P = 64, N = 128)
    cs.push_back(shape(1, 1030, 2, 64, 128, 1, Dt::small));  // the @p64n128 buckets (T >= 1024)
    cs.push_back(shape(1, 300, 2, 16, 32, 1, Dt::small));  // decay ~1: the state sums ~T terms
    cs.push_back(shape(1, 300, 2, 16, 32, 1, Dt::large));  // dt A to -800: must stay finite
    cs.push_back(shape(2, 90, 4, 16, 32, 2, Dt::softplus));
    {
        Case c = shape(1, 200, 2, 16, 32, 1, Dt::small);
        c.D = false;  // y is the recurrence alone (no D x to hide its error)
        cs.push_back(c);
        c = shape(2, 63, 2, 16, 24, 1);
        c.initial_state = true;
        cs.push_back(c);
        c = shape(1, 1, 2, 13, 17, 1, Dt::softplus);
        c.initial_state = true;  // T = 1 from a given state
        cs.push_back(c);
        c = shape(1, 70, 2, 16, 32, 1);
        c.final_state = false;
        cs.push_back(c);
        c = shape(1, 1030, 8, 64, 128, 1);
        c.D = false;  // absent Dskip [H], initial_state [..,N] and final_state in one call: the
        c.final_state = false;  // runtime's zero rows of different sizes must all stay valid
        cs.push_back(c);
        c = shape(2, 70, 4, 16, 24, 2);
        c.initial_state = true;
        c.strided = true;  // non-contiguous outer dims of every [B,T,...] tensor and the states
        cs.push_back(c);
    }
    return cs;
}

SEQMIX_ALLOW_NO_VARIANTS(Ssd);
INSTANTIATE_TEST_SUITE_P(Shapes, Ssd, ::testing::ValuesIn(cross(chunked_cases(), "ssd")), ParamName());

// Long sequences, small heads: excluded from CI (ctest -E Long).
class SsdLong : public ::testing::TestWithParam<Param> {};

TEST_P(SsdLong, MatchesReference) {
    SEQMIX_SKIP_UNRUNNABLE(GetParam());
    check_chunked(GetParam().c, GetParam().variant);
}

std::vector<Case> long_cases() {
    Case small = shape(1, 16384, 2, 16, 16, 1, Dt::small);
    small.D = false;
    return {shape(1, 16384, 2, 16, 16, 1), small, shape(1, 16384, 2, 16, 16, 2, Dt::large)};
}

SEQMIX_ALLOW_NO_VARIANTS(SsdLong);
INSTANTIATE_TEST_SUITE_P(Shapes, SsdLong, ::testing::ValuesIn(cross(long_cases(), "ssd")), ParamName());

// One call over T == two calls over [0, split) and [split, T) carrying the state.
class SsdStateRoundTrip : public ::testing::TestWithParam<Param> {};

TEST_P(SsdStateRoundTrip, TwoCallsEqualOne) {
    const Param &p = GetParam();
    SEQMIX_SKIP_UNRUNNABLE(p);
    const Case &c = p.c;
    const Inputs in(c, "ssd");
    Buffers one(c, p.variant.backend, in), two(c, p.variant.backend, in);
    Buffer mid(p.variant.backend, {c.B, c.H, c.P, c.N});
    const std::optional<Tensor> h0 = c.initial_state ? std::optional<Tensor>(one.h0.tensor()) : std::nullopt;
    if (!run_forced([&] {
            call_ssd(c, one, 0, c.T, h0, one.ht.tensor(), p.variant.forced());
            call_ssd(c, two, 0, c.split, h0, mid.tensor(), p.variant.forced());
            call_ssd(c, two, c.split, c.T - c.split, mid.tensor(), two.ht.tensor(), p.variant.forced());
        })) {
        return;
    }
    const ref::SsdResult r = reference(c, in);
    const Tolerance tol_y = fp32_tolerance(kChunkedBase, c.T, r.y);
    const Tolerance tol_s = fp32_tolerance(kChunkedBase, c.T, r.final_state);
    EXPECT_TRUE(close("y (one call)", one.y.download(), r.y, one.y.shape(), tol_y));
    EXPECT_TRUE(close("y (two calls)", two.y.download(), r.y, two.y.shape(), tol_y));
    EXPECT_TRUE(close("final_state (one call)", one.ht.download(), r.final_state, one.ht.shape(), tol_s));
    EXPECT_TRUE(close("final_state (two calls)", two.ht.download(), r.final_state, two.ht.shape(), tol_s));
}

std::vector<Case> round_trip_cases() {
    Case a = shape(2, 100, 4, 16, 32, 2);
    a.split = 37;  // neither part a multiple of the chunk
    Case b = shape(1, 64, 2, 13, 17, 1, Dt::small);
    b.initial_state = true;
    b.split = 1;  // a one-token first call
    return {a, b};
}

SEQMIX_ALLOW_NO_VARIANTS(SsdStateRoundTrip);
INSTANTIATE_TEST_SUITE_P(Shapes, SsdStateRoundTrip, ::testing::ValuesIn(cross(round_trip_cases(), "ssd")),
                         ParamName());

// The chunked form (forced variant) == ssd_step repeated over the tokens (dispatched).
class SsdChunkedVsStep : public ::testing::TestWithParam<Param> {};

TEST_P(SsdChunkedVsStep, ChunkedEqualsRepeatedStep) {
    const Param &p = GetParam();
    SEQMIX_SKIP_UNRUNNABLE(p);
    if (const std::string why = partner_missing("ssd_step", p.variant.backend); !why.empty()) {
        GTEST_SKIP() << why;
    }
    const Case &c = p.c;
    const Inputs in(c, "ssd");
    Buffers chunked(c, p.variant.backend, in), stepped(c, p.variant.backend, in);
    const std::optional<Tensor> h0 = c.initial_state ? std::optional<Tensor>(chunked.h0.tensor()) : std::nullopt;
    if (!run_forced([&] { call_ssd(c, chunked, 0, c.T, h0, chunked.ht.tensor(), p.variant.forced()); })) return;
    Buffer states[2] = {Buffer(p.variant.backend, {c.B, c.H, c.P, c.N}),
                        Buffer(p.variant.backend, {c.B, c.H, c.P, c.N})};
    states[0].upload(c.initial_state ? in.h0 : std::vector<float>(c.B * c.H * c.P * c.N, 0.0f));
    for (int64_t t = 0; t < c.T; t++) {
        seqmix::ssd_step(stepped.x.select(1, t), stepped.dt.select(1, t), stepped.A.tensor(),
                         stepped.Bm.select(1, t), stepped.Cm.select(1, t), states[t % 2].tensor(),
                         stepped.y.select(1, t), states[(t + 1) % 2].tensor(),
                         c.D ? std::optional<Tensor>(stepped.D.tensor()) : std::nullopt,
                         c.softplus() ? std::optional<Tensor>(stepped.bias.tensor()) : std::nullopt,
                         options_for(c, ""));
    }
    RecordProperty("step_variant", seqmix::last_variant());
    const ref::SsdResult r = reference(c, in);
    const Tolerance tol_y = fp32_tolerance(kChunkedBase, c.T, r.y);
    const Tolerance tol_s = fp32_tolerance(kChunkedBase, c.T, r.final_state);
    const std::vector<float> yc = chunked.y.download(), ys = stepped.y.download();
    EXPECT_TRUE(close("y (steps vs chunked)", ys, to_double(yc), chunked.y.shape(), tol_y));
    EXPECT_TRUE(close("y (steps vs reference)", ys, r.y, chunked.y.shape(), tol_y));
    EXPECT_TRUE(close("final_state (steps vs chunked)", states[c.T % 2].download(),
                      to_double(chunked.ht.download()), chunked.ht.shape(), tol_s));
}

std::vector<Case> chunked_vs_step_cases() {
    Case with_h0 = shape(2, 37, 4, 16, 24, 2, Dt::softplus);
    with_h0.initial_state = true;
    return {shape(2, 37, 3, 13, 17, 1), with_h0, shape(1, 37, 2, 16, 32, 2, Dt::large)};
}

SEQMIX_ALLOW_NO_VARIANTS(SsdChunkedVsStep);
INSTANTIATE_TEST_SUITE_P(Shapes, SsdChunkedVsStep, ::testing::ValuesIn(cross(chunked_vs_step_cases(), "ssd")),
                         ParamName());

// ssd_step on a forced variant vs the reference with T = 1 ([B,1,H,P] is [B,H,P] in memory).
class SsdStep : public ::testing::TestWithParam<Param> {};

TEST_P(SsdStep, MatchesReference) {
    const Param &p = GetParam();
    SEQMIX_SKIP_UNRUNNABLE(p);
    Case c = p.c;
    c.initial_state = true;
    const Inputs in(c, "ssd_step");
    const Backend be = p.variant.backend;
    const std::vector<int64_t> xs{c.B, c.H, c.P}, ds{c.B, c.H}, bs{c.B, c.G, c.N}, ss{c.B, c.H, c.P, c.N};
    Buffer x(be, xs, strides_of(c, xs)), dt(be, ds, strides_of(c, ds)), Bm(be, bs, strides_of(c, bs));
    Buffer Cm(be, bs, strides_of(c, bs)), A(be, {c.H}), D(be, {c.H}), bias(be, {c.H});
    Buffer s0(be, ss, strides_of(c, ss)), y(be, xs, strides_of(c, xs)), s1(be, ss, strides_of(c, ss));
    x.upload(in.x), dt.upload(in.dt), Bm.upload(in.Bm), Cm.upload(in.Cm), A.upload(in.A), D.upload(in.D);
    bias.upload(in.bias), s0.upload(in.h0);
    if (!run_forced([&] {
            seqmix::ssd_step(x.tensor(), dt.tensor(), A.tensor(), Bm.tensor(), Cm.tensor(), s0.tensor(), y.tensor(),
                             s1.tensor(), c.D ? std::optional<Tensor>(D.tensor()) : std::nullopt,
                             c.softplus() ? std::optional<Tensor>(bias.tensor()) : std::nullopt,
                             options_for(c, p.variant.forced()));
        })) {
        return;
    }
    EXPECT_EQ(seqmix::last_variant(), p.variant.forced());
    const ref::SsdResult r = reference(c, in);
    EXPECT_TRUE(close("y", y.download(), r.y, xs, fp32_tolerance(kStepBase, 1, r.y)));
    EXPECT_TRUE(close("new_state", s1.download(), r.final_state, ss, fp32_tolerance(kStepBase, 1, r.final_state)));
    EXPECT_EQ(s0.download(), in.h0) << "modified state";
    if (c.strided) {
        EXPECT_TRUE(y.padding_untouched()) << "wrote into y's padding";
        EXPECT_TRUE(s1.padding_untouched()) << "wrote into new_state's padding";
    }
}

std::vector<Case> step_cases() {
    // P22_N160: the rows and kd tails of the CUDA n128 bucket (shifted inwards) and default (guarded).
    std::vector<Case> cs = {shape(3, 1, 4, 64, 128, 1), shape(2, 1, 3, 22, 160, 3), shape(2, 1, 6, 24, 16, 2),
                            shape(2, 1, 3, 13, 17, 3), shape(1, 1, 2, 16, 32, 1, Dt::small), shape(3, 1, 4, 16, 32, 4, Dt::large),
                            shape(3, 1, 4, 16, 32, 2, Dt::softplus)};
    Case c = shape(2, 1, 4, 16, 32, 2);
    c.D = false;
    cs.push_back(c);
    c.D = true;
    c.strided = true;
    cs.push_back(c);
    return cs;
}

SEQMIX_ALLOW_NO_VARIANTS(SsdStep);
INSTANTIATE_TEST_SUITE_P(Shapes, SsdStep, ::testing::ValuesIn(cross(step_cases(), "ssd_step")), ParamName());

// ssd_bidirectional vs its reference (two references of ssd, shifted and flipped).
void check_bidirectional(const Param &p) {
    const Case &c = p.c;
    const Inputs f(c, "ssd_bidir_f"), b(c, "ssd_bidir_b");  // x, A, D, bias from f
    Buffers bf(c, p.variant.backend, f), bb(c, p.variant.backend, b);
    if (!run_forced([&] {
            seqmix::ssd_bidirectional(bf.x.tensor(), bf.dt.tensor(), bf.Bm.tensor(), bf.Cm.tensor(), bb.dt.tensor(),
                                      bb.Bm.tensor(), bb.Cm.tensor(), bf.A.tensor(), bf.y.tensor(),
                                      c.D ? std::optional<Tensor>(bf.D.tensor()) : std::nullopt,
                                      c.softplus() ? std::optional<Tensor>(bf.bias.tensor()) : std::nullopt,
                                      options_for(c, p.variant.forced()));
        })) {
        return;
    }
    EXPECT_EQ(seqmix::last_variant(), p.variant.forced());
    const std::vector<double> r = ref::ssd_bidirectional_ref(
        to_double(f.x), to_double(f.dt), to_double(f.Bm), to_double(f.Cm), to_double(b.dt), to_double(b.Bm),
        to_double(b.Cm), to_double(f.A), c.D ? to_double(f.D) : std::vector<double>{},
        c.softplus() ? to_double(f.bias) : std::vector<double>{}, c.shape(), c.softplus());
    const std::vector<float> y = bf.y.download();
    EXPECT_TRUE(all_finite("y", y));
    EXPECT_TRUE(close("y", y, r, bf.y.shape(), fp32_tolerance(kChunkedBase, c.T, r)));
    if (c.strided) EXPECT_TRUE(bf.y.padding_untouched()) << "wrote into y's padding";
}

class SsdBidirectional : public ::testing::TestWithParam<Param> {};

TEST_P(SsdBidirectional, MatchesReference) {
    SEQMIX_SKIP_UNRUNNABLE(GetParam());
    check_bidirectional(GetParam());
}

std::vector<Case> bidirectional_cases() {
    std::vector<Case> cs = {shape(1, 1, 2, 16, 32, 1),  shape(1, 2, 2, 16, 32, 1),
                            shape(2, 63, 4, 16, 32, 2), shape(2, 77, 3, 13, 17, 3, Dt::softplus),
                            shape(1, 130, 2, 64, 128, 1, Dt::large)};
    Case c = shape(2, 100, 4, 16, 24, 1, Dt::small);
    c.D = false;
    cs.push_back(c);
    c = shape(2, 70, 4, 16, 24, 2);
    c.strided = true;
    cs.push_back(c);
    return cs;
}

SEQMIX_ALLOW_NO_VARIANTS(SsdBidirectional);
INSTANTIATE_TEST_SUITE_P(Shapes, SsdBidirectional,
                         ::testing::ValuesIn(cross(bidirectional_cases(), "ssd_bidirectional")), ParamName());

// Mamba-2's shape (B4 T4096 H32 P64 N128): a CUDA schedule that fused the chunk index into a block
// loop sized a thread-level Func over every chunk and wrote out of bounds there (H200).
class SsdBidirectionalLong : public ::testing::TestWithParam<Param> {};
TEST_P(SsdBidirectionalLong, MatchesReference) {
    SEQMIX_SKIP_UNRUNNABLE(GetParam());
    check_bidirectional(GetParam());
}
SEQMIX_ALLOW_NO_VARIANTS(SsdBidirectionalLong);
INSTANTIATE_TEST_SUITE_P(Shapes, SsdBidirectionalLong,
                         ::testing::ValuesIn(cross(std::vector<Case>{shape(4, 4096, 32, 64, 128, 1)}, "ssd_bidirectional")),
                         ParamName());

TEST(SsdVariants, CpuDefaultIsBuilt) {
    expect_cpu_default_built({"ssd", "ssd_step", "ssd_bidirectional"});
}

}  // namespace
}  // namespace seqmix::test
