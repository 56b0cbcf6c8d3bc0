// Mamba (S6) selective scan (MIXERS.md, "State-space models"): every built variant of
// `selective_scan` and `selective_scan_step` this host can run, against the float64 recurrence
// tests/reference/selective_scan.cpp; the chunked (two-level) form == repeated steps; one call ==
// two calls carrying the state.
//
// Inputs as Mamba draws them: A = -(n+1) * U[0.5, 1.5) (S4D-real), dt in [1e-3, 1e-1] (before
// softplus when delta_softplus: delta = log(expm1(dt))); "dt near 0": dt ~ 1e-6 (the state barely
// moves, sums ~T inputs); "dt large": dt in [5, 20] (exp(dt A) underflows to 0 at once).
// Tolerances (fp32 everywhere): the two-level scan rescales each chunk's state by
// exp(A * sum dt) computed from an fp32 cumulative sum of up to `chunk` dt values, and the state
// sums up to T decayed terms: 5e-5 rel-RMS for T <= 64, growing like sqrt(T / 64) (random-walk
// rounding, as tests/gla_test.cpp argues); y adds an N-term dot product. The step form: one
// N-term dot, 5e-5 flat.
#include "reference/selective_scan.h"
#include "support/device.h"
#include "support/metrics.h"
#include "support/random.h"
#include "support/variants.h"

#include <seqmix/seqmix.h>

#include <gtest/gtest.h>

#include <cmath>
#include <optional>
#include <string>
#include <vector>

namespace seqmix::test {
namespace {

constexpr double kBase = 5e-5;

enum class Dt { normal, near0, large };
const char *to_string(Dt d) {
    return d == Dt::normal ? "dtnormal" : d == Dt::near0 ? "dtnear0" : "dtlarge";
}

struct ScanCase {
    int64_t B = 1, D = 8, T = 1, N = 16;
    int64_t groups_B = 1, groups_C = 1;  // 0: time-invariant [D,N]
    Dt dt = Dt::normal;
    bool softplus = true, z = true, Dskip = true, bias = true, initial_state = false, strided = false;
    int64_t split = 0;

    std::string name() const {
        std::string n = "B" + std::to_string(B) + "_D" + std::to_string(D) + "_T" + std::to_string(T) + "_N" +
                        std::to_string(N) + "_GB" + std::to_string(groups_B) + "_GC" + std::to_string(groups_C) + "_" +
                        to_string(dt);
        if (!softplus) n += "_nosoftplus";
        if (!z) n += "_noz";
        if (!Dskip) n += "_noD";
        if (!bias) n += "_nobias";
        if (initial_state) n += "_h0";
        if (strided) n += "_strided";
        if (split) n += "_split" + std::to_string(split);
        return n;
    }
};

ScanCase shape(int64_t B, int64_t D, int64_t T, int64_t N, int64_t gb = 1, int64_t gc = 1, Dt dt = Dt::normal) {
    ScanCase c;
    c.B = B, c.D = D, c.T = T, c.N = N, c.groups_B = gb, c.groups_C = gc, c.dt = dt;
    return c;
}

std::vector<int64_t> bc_shape(const ScanCase &c, int64_t groups, bool step) {
    if (groups == 0) return {c.D, c.N};
    return step ? std::vector<int64_t>{c.B, groups, c.N} : std::vector<int64_t>{c.B, groups, c.N, c.T};
}

int64_t numel(const std::vector<int64_t> &s) {
    int64_t n = 1;
    for (int64_t e : s) n *= e;
    return n;
}

// Inputs of a case; `step` draws one token ([B,D] tensors) instead of [B,D,T].
struct ScanInputs {
    std::vector<float> x, delta, A, Bm, Cm, Dskip, z, bias, h0;
    ScanInputs(const ScanCase &c, bool step = false) {
        Rng rng(seed_of(c.name() + (step ? "_step" : "")));
        const int64_t n = c.B * c.D * (step ? 1 : c.T);
        x = rng.normal(n);
        z = rng.normal(n);
        const double lo = c.dt == Dt::normal ? 1e-3 : c.dt == Dt::near0 ? 1e-7 : 5.0;
        const double hi = c.dt == Dt::normal ? 1e-1 : c.dt == Dt::near0 ? 2e-6 : 20.0;
        // dt = delta + bias (then softplus): bias carries half of dt's log-range, as in Mamba.
        bias = c.bias ? rng.uniform(c.D, -0.01 * lo, 0.0) : std::vector<float>(c.D, 0.0f);
        const std::vector<float> dtv = rng.uniform(n, lo, hi);
        delta.resize(n);
        for (int64_t i = 0; i < n; i++) {
            const int64_t d = (i / (step ? 1 : c.T)) % c.D;
            const double target = dtv[i];
            const double pre = c.softplus ? (target > 20 ? target : std::log(std::expm1(target))) : target;
            delta[i] = float(pre - bias[d]);
        }
        A.resize(c.D * c.N);
        const std::vector<float> u = rng.uniform(c.D * c.N, 0.5, 1.5);
        for (int64_t i = 0; i < c.D * c.N; i++) A[i] = -float((i % c.N) + 1) * u[i];
        Bm = rng.normal(numel(bc_shape(c, c.groups_B, step)));
        Cm = rng.normal(numel(bc_shape(c, c.groups_C, step)));
        Dskip = rng.normal(c.D);
        h0 = rng.normal(c.B * c.D * c.N);
    }
};

ref::ScanResult reference(const ScanCase &c, const ScanInputs &in, bool with_h0) {
    ref::ScanInputs r;
    r.x = to_double(in.x), r.delta = to_double(in.delta), r.A = to_double(in.A);
    r.Bm = to_double(in.Bm), r.Cm = to_double(in.Cm);
    if (c.Dskip) r.Dskip = to_double(in.Dskip);
    if (c.z) r.z = to_double(in.z);
    if (c.bias) r.delta_bias = to_double(in.bias);
    if (with_h0) r.initial_state = to_double(in.h0);
    r.B = c.B, r.D = c.D, r.T = int64_t(in.x.size()) / (c.B * c.D), r.N = c.N;
    r.groups_B = c.groups_B, r.groups_C = c.groups_C, r.delta_softplus = c.softplus;
    return ref::selective_scan_ref(r);
}

std::vector<int64_t> strides_of(const ScanCase &c, const std::vector<int64_t> &shape) {
    return c.strided ? padded_strides(shape, 5) : contiguous_strides(shape);
}

struct ScanBuffers {
    Buffer x, delta, z, y, A, Bm, Cm, Dskip, bias, h0, ht;
    ScanBuffers(const ScanCase &c, Backend be, const ScanInputs &in, bool step = false)
        : x(be, seq(c, step), strides_of(c, seq(c, step))), delta(be, seq(c, step), strides_of(c, seq(c, step))),
          z(be, seq(c, step), strides_of(c, seq(c, step))), y(be, seq(c, step), strides_of(c, seq(c, step))),
          A(be, {c.D, c.N}, strides_of(c, {c.D, c.N})),
          Bm(be, bc_shape(c, c.groups_B, step), strides_of(c, bc_shape(c, c.groups_B, step))),
          Cm(be, bc_shape(c, c.groups_C, step), strides_of(c, bc_shape(c, c.groups_C, step))), Dskip(be, {c.D}),
          bias(be, {c.D}), h0(be, {c.B, c.D, c.N}, strides_of(c, {c.B, c.D, c.N})),
          ht(be, {c.B, c.D, c.N}, strides_of(c, {c.B, c.D, c.N})) {
        x.upload(in.x), delta.upload(in.delta), z.upload(in.z), A.upload(in.A), Bm.upload(in.Bm), Cm.upload(in.Cm);
        Dskip.upload(in.Dskip), bias.upload(in.bias), h0.upload(in.h0);
    }
    static std::vector<int64_t> seq(const ScanCase &c, bool step) {
        return step ? std::vector<int64_t>{c.B, c.D} : std::vector<int64_t>{c.B, c.D, c.T};
    }
    std::optional<Tensor> opt(const Buffer &b, bool on) const { return on ? std::optional<Tensor>(b.tensor()) : std::nullopt; }
};

SelectiveScanOptions options_for(const ScanCase &c, const std::string &variant) {
    SelectiveScanOptions opt;
    opt.variant = variant;
    opt.delta_softplus = c.softplus;
    return opt;
}

using ScanParam = CaseVariant<ScanCase>;

void check_scan(const ScanCase &c, const Variant &variant) {
    const ScanInputs in(c);
    ScanBuffers buf(c, variant.backend, in);
    if (!run_forced([&] {
            seqmix::selective_scan(buf.x.tensor(), buf.delta.tensor(), buf.A.tensor(), buf.Bm.tensor(),
                                   buf.Cm.tensor(), buf.y.tensor(), buf.opt(buf.Dskip, c.Dskip), buf.opt(buf.z, c.z),
                                   buf.opt(buf.bias, c.bias), buf.opt(buf.h0, c.initial_state), buf.ht.tensor(),
                                   options_for(c, variant.forced()));
        })) {
        return;
    }
    EXPECT_EQ(seqmix::last_variant(), variant.forced());
    const ref::ScanResult r = reference(c, in, c.initial_state);
    const std::vector<float> y = buf.y.download(), ht = buf.ht.download();
    EXPECT_TRUE(all_finite("y", y));
    EXPECT_TRUE(close("y", y, r.y, buf.y.shape(), fp32_tolerance(kBase, c.T, r.y)));
    EXPECT_TRUE(close("final_state", ht, r.final_state, buf.ht.shape(), fp32_tolerance(kBase, c.T, r.final_state)));
    if (c.strided) {
        EXPECT_TRUE(buf.y.padding_untouched()) << "selective_scan wrote into y's padding";
        EXPECT_TRUE(buf.ht.padding_untouched()) << "selective_scan wrote into final_state's padding";
    }
}

class SelectiveScan : public ::testing::TestWithParam<ScanParam> {};

TEST_P(SelectiveScan, MatchesReference) {
    const ScanParam &p = GetParam();
    if (const std::string why = skip_reason(p.variant); !why.empty()) GTEST_SKIP() << p.variant.forced() << ": " << why;
    check_scan(p.c, p.variant);
}

std::vector<ScanCase> scan_cases() {
    std::vector<ScanCase> cs = {
        shape(1, 8, 1, 16),                   // T = 1
        shape(2, 12, 63, 16, 1, 1),           // one short chunk
        shape(2, 8, 300, 16, 2, 4),           // several chunks at every chunk size shipped, G_B != G_C
        shape(1, 6, 1000, 16, 3, 3),          // not a multiple of any chunk
        shape(2, 8, 100, 16, 0, 0),           // time-invariant Bm and Cm
        shape(1, 8, 77, 16, 0, 2),            // invariant Bm, selective Cm
        shape(1, 5, 70, 7, 1, 0),             // odd N, selective Bm, invariant Cm
        shape(1, 4, 130, 40, 1, 1),           // N > 16 (several vectors)
        shape(1, 8, 600, 16, 1, 1, Dt::near0),
        shape(1, 8, 600, 16, 1, 1, Dt::large),
        shape(2, 6, 65, 16, 2, 2, Dt::large),
        shape(2, 20, 300, 16, 1, 1),            // one group, D not a multiple of a channel vector
        shape(1, 3, 2048, 16, 1, 1),            // the longest of the CUDA bucket staged
        shape(1, 6, 2049, 16, 2, 3),            // one past it
        shape(1, 16, 5000, 16, 1, 1, Dt::near0),  // one group, one scan past 4096 tokens, decays near 1
        shape(1, 16, 8193, 16, 1, 1),           // one group, an odd length in the whole-sequence buckets
        shape(1, 16, 32769, 16, 1, 1),          // one group, just past them
    };
    ScanCase c = shape(2, 8, 100, 16);
    c.initial_state = true;
    cs.push_back(c);
    c = shape(1, 8, 1, 16);
    c.initial_state = true;  // T = 1 from a state
    cs.push_back(c);
    c = shape(1, 16, 1, 16, 1, 1);
    c.initial_state = true;  // T = 1 from a state, one group
    cs.push_back(c);
    c = shape(1, 8, 90, 16);
    c.softplus = false, c.z = false, c.Dskip = false, c.bias = false;  // every option off
    cs.push_back(c);
    c = shape(2, 6, 70, 16, 3, 0);
    c.initial_state = true, c.strided = true;
    cs.push_back(c);
    return cs;
}

SEQMIX_ALLOW_NO_VARIANTS(SelectiveScan);
INSTANTIATE_TEST_SUITE_P(Shapes, SelectiveScan, ::testing::ValuesIn(cross(scan_cases(), "selective_scan")),
                         CaseVariantName());

class SelectiveScanLong : public ::testing::TestWithParam<ScanParam> {};

TEST_P(SelectiveScanLong, MatchesReference) {
    const ScanParam &p = GetParam();
    if (const std::string why = skip_reason(p.variant); !why.empty()) GTEST_SKIP() << p.variant.forced() << ": " << why;
    check_scan(p.c, p.variant);
}

SEQMIX_ALLOW_NO_VARIANTS(SelectiveScanLong);
INSTANTIATE_TEST_SUITE_P(Shapes, SelectiveScanLong,
                         // B8 D2048 T2048: more than 65535 blocks in the fused (chunk, channel,
                         // batch) loops, which must be blockIdx.x (failed to launch on the H200).
                         ::testing::ValuesIn(cross(std::vector<ScanCase>{shape(1, 4, 16384, 16, 1, 1),
                                                                         shape(1, 4, 16384, 16, 1, 1, Dt::near0),
                                                                         shape(8, 2048, 2048, 16)},
                                                   "selective_scan")),
                         CaseVariantName());

// One call == two calls with the state carried between them.
class SelectiveScanStateRoundTrip : public ::testing::TestWithParam<ScanParam> {};

TEST_P(SelectiveScanStateRoundTrip, TwoCallsEqualOne) {
    const ScanParam &p = GetParam();
    const ScanCase &c = p.c;
    if (const std::string why = skip_reason(p.variant); !why.empty()) GTEST_SKIP() << p.variant.forced() << ": " << why;
    const ScanInputs in(c);
    ScanBuffers buf(c, p.variant.backend, in);
    Buffer mid(p.variant.backend, {c.B, c.D, c.N});
    const SelectiveScanOptions opt = options_for(c, p.variant.forced());
    if (!run_forced([&] {
            const int64_t a = c.split, b = c.T - c.split;
            // Selective Bm/Cm [B,G,N,T] are sliced along T (dimension 3).
            auto bc = [&](const Buffer &m, int64_t groups, int64_t s, int64_t l) {
                return groups == 0 ? m.tensor() : m.slice(3, s, l);
            };
            seqmix::selective_scan(buf.x.slice(2, 0, a), buf.delta.slice(2, 0, a), buf.A.tensor(),
                                   bc(buf.Bm, c.groups_B, 0, a), bc(buf.Cm, c.groups_C, 0, a), buf.y.slice(2, 0, a),
                                   buf.Dskip.tensor(), buf.z.slice(2, 0, a), buf.bias.tensor(), buf.h0.tensor(),
                                   mid.tensor(), opt);
            seqmix::selective_scan(buf.x.slice(2, a, b), buf.delta.slice(2, a, b), buf.A.tensor(),
                                   bc(buf.Bm, c.groups_B, a, b), bc(buf.Cm, c.groups_C, a, b), buf.y.slice(2, a, b),
                                   buf.Dskip.tensor(), buf.z.slice(2, a, b), buf.bias.tensor(), mid.tensor(),
                                   buf.ht.tensor(), opt);
        })) {
        return;
    }
    const ref::ScanResult r = reference(c, in, true);
    EXPECT_TRUE(close("y (two calls)", buf.y.download(), r.y, buf.y.shape(), fp32_tolerance(kBase, c.T, r.y)));
    EXPECT_TRUE(close("final_state (two calls)", buf.ht.download(), r.final_state, buf.ht.shape(),
                      fp32_tolerance(kBase, c.T, r.final_state)));
}

std::vector<ScanCase> round_trip_cases() {
    ScanCase a = shape(2, 8, 300, 16, 2, 1);
    a.split = 1;
    ScanCase b = shape(1, 6, 700, 16, 0, 3);
    b.split = 333;
    return {a, b};
}

SEQMIX_ALLOW_NO_VARIANTS(SelectiveScanStateRoundTrip);
INSTANTIATE_TEST_SUITE_P(Shapes, SelectiveScanStateRoundTrip,
                         ::testing::ValuesIn(cross(round_trip_cases(), "selective_scan")), CaseVariantName());

// The chunked scan (forced variant) == selective_scan_step repeated (dispatched, same device).
class SelectiveScanVsStep : public ::testing::TestWithParam<ScanParam> {};

TEST_P(SelectiveScanVsStep, ChunkedEqualsRepeatedStep) {
    const ScanParam &p = GetParam();
    const ScanCase &c = p.c;
    if (const std::string why = skip_reason(p.variant); !why.empty()) GTEST_SKIP() << p.variant.forced() << ": " << why;
    if (const std::string why = partner_missing("selective_scan_step", p.variant.backend); !why.empty()) {
        GTEST_SKIP() << why;
    }
    const ScanInputs in(c);
    ScanBuffers seq(c, p.variant.backend, in), stepped(c, p.variant.backend, in);
    if (!run_forced([&] {
            seqmix::selective_scan(seq.x.tensor(), seq.delta.tensor(), seq.A.tensor(), seq.Bm.tensor(),
                                   seq.Cm.tensor(), seq.y.tensor(), seq.Dskip.tensor(), seq.z.tensor(),
                                   seq.bias.tensor(), seq.h0.tensor(), seq.ht.tensor(),
                                   options_for(c, p.variant.forced()));
        })) {
        return;
    }
    // Channel-major token slices are not contiguous in their last dimension (the API rejects
    // them): each step's [B,D] and [B,G,N] inputs are gathered on the host and uploaded.
    const Backend be = p.variant.backend;
    Buffer states[2] = {Buffer(be, {c.B, c.D, c.N}), Buffer(be, {c.B, c.D, c.N})};
    states[0].upload(in.h0);
    Buffer xs(be, {c.B, c.D}), ds(be, {c.B, c.D}), zs(be, {c.B, c.D}), ys(be, {c.B, c.D});
    Buffer bs(be, bc_shape(c, c.groups_B, true)), cs(be, bc_shape(c, c.groups_C, true));
    // Element t of every [..., T] row of a row-major tensor.
    auto token = [&](const std::vector<float> &all, int64_t t) {
        std::vector<float> out(all.size() / size_t(c.T));
        for (size_t r = 0; r < out.size(); r++) out[r] = all[r * size_t(c.T) + size_t(t)];
        return out;
    };
    std::vector<float> y_steps(size_t(c.B * c.D * c.T));
    for (int64_t t = 0; t < c.T; t++) {
        xs.upload(token(in.x, t)), ds.upload(token(in.delta, t)), zs.upload(token(in.z, t));
        bs.upload(c.groups_B == 0 ? in.Bm : token(in.Bm, t));
        cs.upload(c.groups_C == 0 ? in.Cm : token(in.Cm, t));
        seqmix::selective_scan_step(xs.tensor(), ds.tensor(), stepped.A.tensor(), bs.tensor(), cs.tensor(),
                                    states[t % 2].tensor(), ys.tensor(), states[(t + 1) % 2].tensor(),
                                    stepped.Dskip.tensor(), zs.tensor(), stepped.bias.tensor(), options_for(c, ""));
        const std::vector<float> y = ys.download();
        for (size_t r = 0; r < y.size(); r++) y_steps[r * size_t(c.T) + size_t(t)] = y[r];
    }
    const ref::ScanResult r = reference(c, in, true);
    const Tolerance ty = fp32_tolerance(kBase, c.T, r.y), ts = fp32_tolerance(kBase, c.T, r.final_state);
    EXPECT_TRUE(close("y (steps vs chunked)", y_steps, to_double(seq.y.download()), seq.y.shape(), ty));
    EXPECT_TRUE(close("y (steps vs reference)", y_steps, r.y, seq.y.shape(), ty));
    EXPECT_TRUE(close("final_state (steps vs chunked)", states[c.T % 2].download(), to_double(seq.ht.download()),
                      seq.ht.shape(), ts));
}

SEQMIX_ALLOW_NO_VARIANTS(SelectiveScanVsStep);
INSTANTIATE_TEST_SUITE_P(Shapes, SelectiveScanVsStep,
                         ::testing::ValuesIn(cross(std::vector<ScanCase>{shape(2, 6, 40, 16, 2, 0),
                                                                         shape(1, 4, 300, 16, 1, 1, Dt::large)},
                                                   "selective_scan")),
                         CaseVariantName());

class SelectiveScanStep : public ::testing::TestWithParam<ScanParam> {};

TEST_P(SelectiveScanStep, MatchesReference) {
    const ScanParam &p = GetParam();
    const ScanCase &c = p.c;
    if (const std::string why = skip_reason(p.variant); !why.empty()) GTEST_SKIP() << p.variant.forced() << ": " << why;
    const ScanInputs in(c, true);
    ScanBuffers buf(c, p.variant.backend, in, true);
    if (!run_forced([&] {
            seqmix::selective_scan_step(buf.x.tensor(), buf.delta.tensor(), buf.A.tensor(), buf.Bm.tensor(),
                                        buf.Cm.tensor(), buf.h0.tensor(), buf.y.tensor(), buf.ht.tensor(),
                                        buf.opt(buf.Dskip, c.Dskip), buf.opt(buf.z, c.z), buf.opt(buf.bias, c.bias),
                                        options_for(c, p.variant.forced()));
        })) {
        return;
    }
    EXPECT_EQ(seqmix::last_variant(), p.variant.forced());
    // The reference takes [B,D,T] and [B,G,N,T] with T = 1: the same element order as the step's.
    ScanCase one = c;
    one.T = 1;
    const ref::ScanResult r = reference(one, in, true);
    EXPECT_TRUE(close("y", buf.y.download(), r.y, buf.y.shape(), fp32_tolerance(kBase, 1, r.y)));
    EXPECT_TRUE(close("new_state", buf.ht.download(), r.final_state, buf.ht.shape(), fp32_tolerance(kBase, 1, r.final_state)));
    EXPECT_EQ(buf.h0.download(), in.h0) << "selective_scan_step modified state";
}

std::vector<ScanCase> step_cases() {
    std::vector<ScanCase> cs = {shape(3, 8, 1, 16, 2, 1), shape(2, 6, 1, 7, 0, 0), shape(2, 4, 1, 40, 4, 2),
                                shape(2, 8, 1, 16, 1, 1, Dt::near0), shape(2, 8, 1, 16, 1, 1, Dt::large),
                                shape(2, 3, 1, 16, 1, 1),    // fewer channels than a CUDA n16 thread's rows
                                shape(2, 70, 1, 16, 1, 1)};  // a partial CUDA n16 block (128 channels)
    ScanCase c = shape(2, 8, 1, 16);
    c.softplus = false, c.z = false, c.Dskip = false, c.bias = false;
    cs.push_back(c);
    c = shape(3, 6, 1, 16, 3, 0);
    c.strided = true;
    cs.push_back(c);
    return cs;
}

SEQMIX_ALLOW_NO_VARIANTS(SelectiveScanStep);
INSTANTIATE_TEST_SUITE_P(Shapes, SelectiveScanStep, ::testing::ValuesIn(cross(step_cases(), "selective_scan_step")),
                         CaseVariantName());

}  // namespace
}  // namespace seqmix::test
