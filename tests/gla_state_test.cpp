// gla_state (the state side of GLA alone, generators/gla.cpp): every built variant this host can
// run, against the float64 recurrence tests/reference/gla.cpp from a zero state (final_state) and
// exp(sum_t g_t) per (b, h, kd) in float64 (decay); and the property sequence parallelism rests
// on: Diag(decay) S0 + final_state == gla's final state from S0.
//
// Tolerances as gla_test.cpp's chunked form (the same stages, the same fp32 rounding): 5e-5
// rel-RMS for T <= 64, growing with sqrt(T / 64). decay is exp of a T-term fp32 sum of gates:
// relative error ~ sqrt(T) u |sum g|, so the same growth; near0 gates underflow it to 0, which the
// reference does too (exp(-5 T) in double is 0 past T ~ 150; compared in absolute terms).
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

struct StateCase {
    int64_t B = 1, T = 1, H = 1, K = 1, V = 1;
    Gates gates = Gates::normal;
    bool strided = false;
    std::string name() const {
        std::string n = "B" + std::to_string(B) + "_T" + std::to_string(T) + "_H" + std::to_string(H) + "_K" +
                        std::to_string(K) + "_V" + std::to_string(V) + "_" + to_string(gates);
        if (strided) n += "_strided";
        return n;
    }
};

StateCase shape(int64_t B, int64_t T, int64_t H, int64_t K, int64_t V, Gates gates = Gates::normal, bool strided = false) {
    StateCase c;
    c.B = B, c.T = T, c.H = H, c.K = K, c.V = V, c.gates = gates, c.strided = strided;
    return c;
}

std::vector<int64_t> strides_of(const StateCase &c, const std::vector<int64_t> &shape) {
    return c.strided ? padded_strides(shape, 3) : contiguous_strides(shape);
}

using StateParam = CaseVariant<StateCase>;
class GlaState : public ::testing::TestWithParam<StateParam> {};

TEST_P(GlaState, MatchesReference) {
    const StateParam &p = GetParam();
    const StateCase &c = p.c;
    if (const std::string why = skip_reason(p.variant); !why.empty()) GTEST_SKIP() << p.variant.forced() << ": " << why;
    Rng rng(seed_of(c.name()));
    const std::vector<float> q = rng.normal(c.B * c.T * c.H * c.K);
    const std::vector<float> k = rng.normal(c.B * c.T * c.H * c.K, 0.0, 1.0 / std::sqrt(double(c.K)));
    const std::vector<float> v = rng.normal(c.B * c.T * c.H * c.V);
    const std::vector<float> g = gates(rng, c.B * c.T * c.H * c.K, c.gates);
    const Backend be = p.variant.backend;
    Buffer kb(be, {c.B, c.T, c.H, c.K}, strides_of(c, {c.B, c.T, c.H, c.K}));
    Buffer vb(be, {c.B, c.T, c.H, c.V}, strides_of(c, {c.B, c.T, c.H, c.V}));
    Buffer gb(be, {c.B, c.T, c.H, c.K}, strides_of(c, {c.B, c.T, c.H, c.K}));
    Buffer sb(be, {c.B, c.H, c.K, c.V}, strides_of(c, {c.B, c.H, c.K, c.V}));
    Buffer db(be, {c.B, c.H, c.K}, strides_of(c, {c.B, c.H, c.K}));
    kb.upload(k), vb.upload(v), gb.upload(g);
    GlaOptions opt;
    opt.variant = p.variant.forced();
    if (!run_forced([&] { seqmix::gla_state(kb.tensor(), vb.tensor(), gb.tensor(), sb.tensor(), db.tensor(), opt); })) {
        return;
    }
    EXPECT_EQ(seqmix::last_variant(), p.variant.forced());

    const ref::GlaResult r = ref::gla_ref(to_double(q), to_double(k), to_double(v), to_double(g), {}, c.B, c.T, c.H, c.K,
                                          c.V, 1.0);
    const std::vector<double> decay = ref::gla_decay_ref(to_double(g), c.B, c.T, c.H, c.K);
    const std::vector<float> state = sb.download(), dec = db.download();
    EXPECT_TRUE(all_finite("final_state", state));
    EXPECT_TRUE(close("final_state", state, r.final_state, sb.shape(), fp32_tolerance(kBase, c.T, r.final_state)));
    Tolerance dt = fp32_tolerance(kBase, c.T, decay);
    dt.max_abs = std::max(dt.max_abs, 1e-6);
    EXPECT_TRUE(close("decay", dec, decay, db.shape(), dt));
    if (c.strided) {
        EXPECT_TRUE(sb.padding_untouched()) << "gla_state wrote into final_state's padding";
        EXPECT_TRUE(db.padding_untouched()) << "gla_state wrote into decay's padding";
    }
}

std::vector<StateCase> state_cases() {
    return {shape(1, 1, 1, 64, 64),          shape(2, 63, 2, 64, 64),   shape(1, 64, 3, 64, 64),
            shape(1, 1000, 2, 64, 32),       shape(1, 77, 3, 60, 48),   shape(2, 65, 1, 16, 16),
            shape(1, 1000, 2, 64, 64, Gates::near1), shape(1, 1000, 2, 64, 64, Gates::near0),
            shape(1, 130, 2, 60, 48, Gates::near1),  shape(2, 70, 3, 64, 32, Gates::normal, true)};
}

SEQMIX_ALLOW_NO_VARIANTS(GlaState);
INSTANTIATE_TEST_SUITE_P(Shapes, GlaState, ::testing::ValuesIn(cross(state_cases(), "gla_state")), CaseVariantName());

// Diag(decay) S0 + final_state (gla_state) == gla's final_state from S0: the slice composition
// seqmix::dist::gla relies on, on the dispatched variants.
TEST(GlaStateComposition, B2_T150_H2_K64_V48) {
    SEQMIX_SKIP_IF_LEFT_OUT("gla_state", "gla");
    const int64_t B = 2, T = 150, H = 2, K = 64, V = 48;
    Rng rng(seed_of("GlaStateComposition"));
    const std::vector<float> q = rng.normal(B * T * H * K), k = rng.normal(B * T * H * K, 0.0, 0.125),
                             v = rng.normal(B * T * H * V), g = gates(rng, B * T * H * K, Gates::normal),
                             s0 = rng.normal(B * H * K * V);
    std::vector<float> o(B * T * H * V), ht(B * H * K * V), st(B * H * K * V), dec(B * H * K);
    seqmix::gla(Tensor::contiguous(q.data(), {B, T, H, K}), Tensor::contiguous(k.data(), {B, T, H, K}),
                Tensor::contiguous(v.data(), {B, T, H, V}), Tensor::contiguous(g.data(), {B, T, H, K}),
                Tensor::contiguous(o.data(), {B, T, H, V}), Tensor::contiguous(s0.data(), {B, H, K, V}),
                Tensor::contiguous(ht.data(), {B, H, K, V}));
    seqmix::gla_state(Tensor::contiguous(k.data(), {B, T, H, K}), Tensor::contiguous(v.data(), {B, T, H, V}),
                      Tensor::contiguous(g.data(), {B, T, H, K}), Tensor::contiguous(st.data(), {B, H, K, V}),
                      Tensor::contiguous(dec.data(), {B, H, K}));
    std::vector<double> composed(B * H * K * V);
    for (int64_t row = 0; row < B * H * K; ++row) {
        for (int64_t x = 0; x < V; ++x) composed[row * V + x] = double(dec[row]) * s0[row * V + x] + st[row * V + x];
    }
    EXPECT_TRUE(close("final_state", ht, composed, {B, H, K, V}, fp32_tolerance(kBase, T, composed)));
}

}  // namespace
}  // namespace seqmix::test
