// gla_decay and gla_inter (generators/gla_inter.cpp): every built variant this host can run,
// against float64: gla_decay vs exp(sum_t g_t); gla_inter as the step it is in sequence
// parallelism, o = (float64 gla from zero) then gla_inter(S0) == float64 gla from S0.
//
// Tolerances as gla_state_test.cpp: 5e-5 rel-RMS for T <= 64, growing with sqrt(T / 64) (the
// cumulative gate is a T-term fp32 sum); near0 gates underflow the decay to 0 in both.
#include "reference/gla.h"
#include "support/device.h"
#include "support/metrics.h"
#include "support/random.h"
#include "support/variants.h"

#include <seqmix/seqmix.h>

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

namespace seqmix::test {
namespace {

constexpr double kBase = 5e-5;

struct InterCase {
    int64_t B = 1, T = 1, H = 1, K = 1, V = 1;
    Gates gates = Gates::normal;
    bool strided = false;
    bool head_gate = false;  // g [B,T,H,1]: one gate per head, broadcast over K
    int64_t Kg() const { return head_gate ? 1 : K; }
    std::string name() const {
        std::string n = "B" + std::to_string(B) + "_T" + std::to_string(T) + "_H" + std::to_string(H) + "_K" +
                        std::to_string(K) + "_V" + std::to_string(V) + "_" + to_string(gates);
        if (strided) n += "_strided";
        if (head_gate) n += "_headgate";
        return n;
    }
    // g over every key channel (the reference's [B,T,H,K]).
    std::vector<double> gate_per_key(const std::vector<float> &g) const {
        std::vector<double> out(B * T * H * K);
        for (int64_t row = 0; row < B * T * H; ++row) {
            for (int64_t x = 0; x < K; ++x) out[row * K + x] = g[row * Kg() + (head_gate ? 0 : x)];
        }
        return out;
    }
    std::vector<int64_t> strides(const std::vector<int64_t> &shape) const {
        return strided ? padded_strides(shape, 3) : contiguous_strides(shape);
    }
};

InterCase shape(int64_t B, int64_t T, int64_t H, int64_t K, int64_t V, Gates gates = Gates::normal, bool strided = false) {
    InterCase c;
    c.B = B, c.T = T, c.H = H, c.K = K, c.V = V, c.gates = gates, c.strided = strided;
    return c;
}

InterCase head_gate(InterCase c) {
    c.head_gate = true;
    return c;
}

// T = 1, T = 63 and 1000 (not multiples of the chunk or of gla_decay's part), K = 60, V = 48,
// gates near 1 and near 0, strided views.
std::vector<InterCase> cases() {
    return {shape(1, 1, 1, 64, 64),          shape(2, 63, 2, 64, 64),   shape(1, 64, 3, 64, 64),
            shape(1, 1000, 2, 64, 32),       shape(1, 77, 3, 60, 48),   shape(2, 300, 1, 16, 16),
            shape(1, 1000, 2, 64, 64, Gates::near1), shape(1, 1000, 2, 64, 64, Gates::near0),
            shape(2, 70, 3, 64, 32, Gates::normal, true), head_gate(shape(2, 63, 2, 64, 32)),
            head_gate(shape(1, 1000, 2, 60, 48, Gates::near1))};
}

using Param = CaseVariant<InterCase>;
class GlaDecay : public ::testing::TestWithParam<Param> {};

TEST_P(GlaDecay, MatchesReference) {
    const Param &p = GetParam();
    const InterCase &c = p.c;
    if (const std::string why = skip_reason(p.variant); !why.empty()) GTEST_SKIP() << p.variant.forced() << ": " << why;
    Rng rng(seed_of("decay_" + c.name()));
    const std::vector<float> g = gates(rng, c.B * c.T * c.H * c.Kg(), c.gates);
    Buffer gb(p.variant.backend, {c.B, c.T, c.H, c.Kg()}, c.strides({c.B, c.T, c.H, c.Kg()}));
    Buffer db(p.variant.backend, {c.B, c.H, c.Kg()}, c.strides({c.B, c.H, c.Kg()}));
    gb.upload(g);
    GlaOptions opt;
    opt.variant = p.variant.forced();
    if (!run_forced([&] { seqmix::gla_decay(gb.tensor(), db.tensor(), opt); })) return;
    EXPECT_EQ(seqmix::last_variant(), p.variant.forced());
    const std::vector<double> want = ref::gla_decay_ref(to_double(g), c.B, c.T, c.H, c.Kg());
    Tolerance tol = fp32_tolerance(kBase, c.T, want);
    tol.max_abs = std::max(tol.max_abs, 1e-6);
    EXPECT_TRUE(close("decay", db.download(), want, db.shape(), tol));
    if (c.strided) EXPECT_TRUE(db.padding_untouched()) << "gla_decay wrote into decay's padding";
}

SEQMIX_ALLOW_NO_VARIANTS(GlaDecay);
INSTANTIATE_TEST_SUITE_P(Shapes, GlaDecay, ::testing::ValuesIn(cross(cases(), "gla_decay")), CaseVariantName());

class GlaInter : public ::testing::TestWithParam<Param> {};

TEST_P(GlaInter, FromZeroPlusInterEqualsFromState) {
    const Param &p = GetParam();
    const InterCase &c = p.c;
    if (const std::string why = skip_reason(p.variant); !why.empty()) GTEST_SKIP() << p.variant.forced() << ": " << why;
    Rng rng(seed_of("inter_" + c.name()));
    const std::vector<float> q = rng.normal(c.B * c.T * c.H * c.K);
    const std::vector<float> k = rng.normal(c.B * c.T * c.H * c.K, 0.0, 1.0 / std::sqrt(double(c.K)));
    const std::vector<float> v = rng.normal(c.B * c.T * c.H * c.V);
    const std::vector<float> g = gates(rng, c.B * c.T * c.H * c.Kg(), c.gates);
    const std::vector<float> s0 = rng.normal(c.B * c.H * c.K * c.V);
    const double scale = 0.3;  // not the default: the kernel must use the one given
    const auto qd = to_double(q), kd = to_double(k), vd = to_double(v), gd = c.gate_per_key(g);
    const ref::GlaResult from_zero = ref::gla_ref(qd, kd, vd, gd, {}, c.B, c.T, c.H, c.K, c.V, scale);
    const ref::GlaResult from_s0 = ref::gla_ref(qd, kd, vd, gd, to_double(s0), c.B, c.T, c.H, c.K, c.V, scale);

    const Backend be = p.variant.backend;
    Buffer qb(be, {c.B, c.T, c.H, c.K}, c.strides({c.B, c.T, c.H, c.K}));
    Buffer gb(be, {c.B, c.T, c.H, c.Kg()}, c.strides({c.B, c.T, c.H, c.Kg()}));
    Buffer sb(be, {c.B, c.H, c.K, c.V}, c.strides({c.B, c.H, c.K, c.V}));
    Buffer ob(be, {c.B, c.T, c.H, c.V}, c.strides({c.B, c.T, c.H, c.V}));
    qb.upload(q), gb.upload(g), sb.upload(s0), ob.upload(to_float(from_zero.o));
    GlaOptions opt;
    opt.variant = p.variant.forced();
    opt.scale = static_cast<float>(scale);
    if (!run_forced([&] { seqmix::gla_inter(qb.tensor(), gb.tensor(), sb.tensor(), ob.tensor(), opt); })) return;
    EXPECT_EQ(seqmix::last_variant(), p.variant.forced());
    const std::vector<float> o = ob.download();
    EXPECT_TRUE(all_finite("o", o));
    EXPECT_TRUE(close("o", o, from_s0.o, ob.shape(), fp32_tolerance(kBase, c.T, from_s0.o)));
    if (c.strided) EXPECT_TRUE(ob.padding_untouched()) << "gla_inter wrote into o's padding";
}

SEQMIX_ALLOW_NO_VARIANTS(GlaInter);
INSTANTIATE_TEST_SUITE_P(Shapes, GlaInter, ::testing::ValuesIn(cross(cases(), "gla_inter")), CaseVariantName());

// o is read and written: an o that overlaps q, g or state is an error, not a race.
TEST(GlaInterValidation, OverlappingOAndOddGateShapesAreErrors) {
    const int64_t B = 1, T = 4, H = 1, K = 8, V = 8;
    std::vector<float> buf(B * T * H * K * 2 + B * H * K * V, 0.0f);
    const Tensor q = Tensor::contiguous(buf.data(), {B, T, H, K});
    const Tensor g = Tensor::contiguous(buf.data() + B * T * H * K, {B, T, H, K});
    const Tensor s = Tensor::contiguous(buf.data() + 2 * B * T * H * K, {B, H, K, V});
    EXPECT_THROW(seqmix::gla_inter(q, g, s, Tensor::contiguous(buf.data(), {B, T, H, V})), Error);
    std::vector<float> g2(B * T * H * 2), o(B * T * H * V);
    try {
        seqmix::gla_inter(q, Tensor::contiguous(g2.data(), {B, T, H, 2}), s, Tensor::contiguous(o.data(), {B, T, H, V}));
        FAIL() << "no error";
    } catch (const Error &e) {
        EXPECT_NE(std::string(e.what()).find("[B,T,H,1] (one gate per head)"), std::string::npos) << e.what();
    }
    EXPECT_THROW(seqmix::gla_decay(g, Tensor::contiguous(buf.data() + B * T * H * K, {B, H, K})), Error);
}

}  // namespace
}  // namespace seqmix::test
