// The scalar-decay linear recurrences (MIXERS.md, "Linear recurrences": linear attention,
// retention, simple GLA): every built variant of `linear_attn`, `retention`, `simple_gla` and
// their `_step` forms that this host can run, against the float64 recurrences of
// tests/reference/scalar_decay.cpp; the chunked form against repeated steps; one call against two
// calls carrying the state.
//
// Tolerances (fp32 inputs and state, fp32 accumulation), as gla_test's and for the same reasons:
// the chunked form reassociates the recurrence into intra-chunk matmuls with relative gate
// exponents exp(G_i - G_j), G an fp32 cumulative sum of up to 64 log-gates (its rounding,
// ~sqrt(64) ulp(|G|), is a relative error of the decay factors), and the state sums up to T
// rank-one terms (linear attention and gates near 1: barely decayed). Hence 5e-5 rel-RMS for
// T <= 64, growing like sqrt(T / 64) (random-walk rounding over the T-term state sum; see
// fp32_tolerance): 2e-4 at T = 1000, 8e-4 at T = 16384. The step form is one K-term reduction per
// output: 5e-5 flat. Measured errors are ~10x below these (e.g. ~3e-6 at T = 1000).
#include "reference/scalar_decay.h"
#include "support/device.h"
#include "support/metrics.h"
#include "support/random.h"
#include "support/recurrence_checks.h"
#include "support/variants.h"

#include <seqmix/seqmix.h>

#include <gtest/gtest.h>

#include <cmath>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace seqmix::test {
namespace {

constexpr double kChunkedBase = 5e-5;
constexpr double kStepBase = 5e-5;

enum class Mixer { linear_attn, retention, simple_gla };

const char *to_string(Mixer m) {
    switch (m) {
    case Mixer::linear_attn: return "linear_attn";
    case Mixer::retention: return "retention";
    case Mixer::simple_gla: return "simple_gla";
    }
    return "?";
}

constexpr Mixer kMixers[] = {Mixer::linear_attn, Mixer::retention, Mixer::simple_gla};

struct Case {
    Mixer mixer = Mixer::linear_attn;
    int64_t B = 1, T = 1, H = 1, K = 1, V = 1;
    Gates gates = Gates::normal;  // simple_gla's g (the other two have fixed decays)
    bool initial_state = false;
    bool final_state = true;
    std::optional<float> scale;
    bool strided = false;
    int64_t split = 0;  // state round trip: first call takes tokens [0, split)

    std::string name() const {
        // The mixer is part of the variant id (see cross_all); the gate kind only where it is read.
        std::string n = "B" + std::to_string(B) + "_T" + std::to_string(T) + "_H" + std::to_string(H) + "_K" +
                        std::to_string(K) + "_V" + std::to_string(V);
        if (mixer == Mixer::simple_gla) n += std::string("_") + test::to_string(gates);
        if (initial_state) n += "_h0";
        if (!final_state) n += "_nofinal";
        if (scale) n += "_scale" + identifier(std::to_string(*scale).substr(0, 5));
        if (strided) n += "_strided";
        if (split) n += "_split" + std::to_string(split);
        return n;
    }
};

Case shape(int64_t B, int64_t T, int64_t H, int64_t K, int64_t V, Gates gates = Gates::normal) {
    Case c;
    c.B = B, c.T = T, c.H = H, c.K = K, c.V = V, c.gates = gates;
    return c;
}

double scale_of(const Case &c) {
    return c.scale ? double(*c.scale) : 1.0 / std::sqrt(double(c.K));
}

// The inputs of one case, drawn once from the case's seed (the mixer included).
struct Inputs {
    std::vector<float> q, k, v, g, h0;
    explicit Inputs(const Case &c) {
        Rng rng(seed_of(std::string(to_string(c.mixer)) + c.name()));
        // Keys scaled by 1/sqrt(K) keep |k_t v_t^T| ~ 1 per state entry whatever K (gla_test).
        q = rng.normal(c.B * c.T * c.H * c.K);
        k = rng.normal(c.B * c.T * c.H * c.K, 0.0, 1.0 / std::sqrt(double(c.K)));
        v = rng.normal(c.B * c.T * c.H * c.V);
        g = gates(rng, c.B * c.T * c.H, c.gates);
        h0 = rng.normal(c.B * c.H * c.K * c.V);
    }
};

ref::RecurrenceResult reference(const Case &c, const Inputs &in) {
    const auto h0 = c.initial_state ? to_double(in.h0) : std::vector<double>{};
    const auto q = to_double(in.q), k = to_double(in.k), v = to_double(in.v);
    switch (c.mixer) {
    case Mixer::linear_attn: return ref::linear_attn_ref(q, k, v, h0, c.B, c.T, c.H, c.K, c.V, scale_of(c));
    case Mixer::retention: return ref::retention_ref(q, k, v, h0, c.B, c.T, c.H, c.K, c.V, scale_of(c));
    case Mixer::simple_gla:
        return ref::simple_gla_ref(q, k, v, to_double(in.g), h0, c.B, c.T, c.H, c.K, c.V, scale_of(c));
    }
    return {};
}

struct Buffers {
    Buffer q, k, v, g, o, h0, ht;
    Buffers(const Case &c, Backend be, const Inputs &in)
        : q(be, {c.B, c.T, c.H, c.K}, strides(c, {c.B, c.T, c.H, c.K})),
          k(be, {c.B, c.T, c.H, c.K}, strides(c, {c.B, c.T, c.H, c.K})),
          v(be, {c.B, c.T, c.H, c.V}, strides(c, {c.B, c.T, c.H, c.V})),
          g(be, {c.B, c.T, c.H}, strides(c, {c.B, c.T, c.H})),
          o(be, {c.B, c.T, c.H, c.V}, strides(c, {c.B, c.T, c.H, c.V})),
          h0(be, {c.B, c.H, c.K, c.V}, strides(c, {c.B, c.H, c.K, c.V})),
          ht(be, {c.B, c.H, c.K, c.V}, strides(c, {c.B, c.H, c.K, c.V})) {
        q.upload(in.q);
        k.upload(in.k);
        v.upload(in.v);
        g.upload(in.g);
        h0.upload(in.h0);
    }
    static std::vector<int64_t> strides(const Case &c, const std::vector<int64_t> &shape) {
        return c.strided ? padded_strides(shape, 3) : contiguous_strides(shape);
    }
};

RecurrenceOptions options_for(const Case &c, const std::string &variant) {
    RecurrenceOptions opt;
    opt.variant = variant;
    opt.scale = c.scale;
    return opt;
}

// The chunked API of c.mixer on tensors q, k, v, g (g read by simple_gla only).
void call_chunked(Mixer m, const Tensor &q, const Tensor &k, const Tensor &v, const Tensor &g, const Tensor &o,
                  const std::optional<Tensor> &h0, const std::optional<Tensor> &ht, const RecurrenceOptions &opt) {
    switch (m) {
    case Mixer::linear_attn: seqmix::linear_attn(q, k, v, o, h0, ht, opt); break;
    case Mixer::retention: seqmix::retention(q, k, v, o, h0, ht, opt); break;
    case Mixer::simple_gla: seqmix::simple_gla(q, k, v, g, o, h0, ht, opt); break;
    }
}

void call_step(Mixer m, const Tensor &q, const Tensor &k, const Tensor &v, const Tensor &g, const Tensor &state,
               const Tensor &o, const Tensor &new_state, const RecurrenceOptions &opt) {
    switch (m) {
    case Mixer::linear_attn: seqmix::linear_attn_step(q, k, v, state, o, new_state, opt); break;
    case Mixer::retention: seqmix::retention_step(q, k, v, state, o, new_state, opt); break;
    case Mixer::simple_gla: seqmix::simple_gla_step(q, k, v, g, state, o, new_state, opt); break;
    }
}

using Param = CaseVariant<Case>;

// Every case for every mixer, crossed with that mixer's (or its step form's) built variants. The
// gate kind is simple_gla's only: a case differing from an earlier one only there is dropped for
// the other two mixers.
std::vector<Param> cross_all(const std::vector<Case> &cases, const std::string &suffix = "") {
    std::vector<Param> out;
    for (Mixer m : kMixers) {
        std::vector<Case> mc;
        std::set<std::string> names;
        for (Case c : cases) {
            c.mixer = m;
            if (names.insert(c.name()).second) mc.push_back(c);
        }
        for (Param &p : cross(mc, to_string(m) + suffix)) out.push_back(std::move(p));
    }
    return out;
}

// "<mixer>_<shape>_<variant>", e.g. retention_B1_T63_H2_K64_V64_x86_64_avx2_default.
struct ParamName {
    std::string operator()(const ::testing::TestParamInfo<Param> &info) const {
        return identifier(std::string(to_string(info.param.c.mixer)) + "_" + info.param.c.name() + "_" +
                          info.param.variant.id());
    }
};

// One call on a forced variant against the reference: o and final_state.
void check_chunked(const Case &c, const Variant &variant) {
    const Inputs in(c);
    Buffers buf(c, variant.backend, in);
    const std::optional<Tensor> h0 = c.initial_state ? std::optional<Tensor>(buf.h0.tensor()) : std::nullopt;
    const std::optional<Tensor> ht = c.final_state ? std::optional<Tensor>(buf.ht.tensor()) : std::nullopt;
    if (!run_forced([&] {
            call_chunked(c.mixer, buf.q.tensor(), buf.k.tensor(), buf.v.tensor(), buf.g.tensor(), buf.o.tensor(), h0,
                         ht, options_for(c, variant.forced()));
        })) {
        return;  // this bucket's condition does not hold for this shape: not run (see variants.h)
    }
    EXPECT_EQ(seqmix::last_variant(), variant.forced());
    const ref::RecurrenceResult r = reference(c, in);
    expect_recurrence_outputs(c, "o", buf.o, r.o, buf, in, r, kChunkedBase);
}

class ScalarDecay : public ::testing::TestWithParam<Param> {};

TEST_P(ScalarDecay, MatchesReference) {
    const Param &p = GetParam();
    if (const std::string why = skip_reason(p.variant); !why.empty()) {
        GTEST_SKIP() << p.variant.forced() << ": " << why;
    }
    check_chunked(p.c, p.variant);
}

std::vector<Case> chunked_cases() {
    std::vector<Case> cs;
    cs.push_back(shape(1, 1, 1, 64, 64));    // T = 1
    cs.push_back(shape(2, 63, 2, 64, 64));   // one short chunk
    cs.push_back(shape(1, 64, 3, 64, 64));   // exactly one chunk of 64 (two of 32)
    cs.push_back(shape(1, 300, 8, 64, 32));  // not a multiple of the chunk, K != V; retention's
                                             // gamma_h from 1 - 2^-5 to 1 - 2^-12 (both branches of its log)
    cs.push_back(shape(1, 77, 3, 60, 33));   // odd head dims
    cs.push_back(shape(2, 65, 1, 16, 16));   // small head dims
    cs.push_back(shape(1, 1000, 2, 64, 64, Gates::near1));  // state sums ~T terms
    cs.push_back(shape(1, 1000, 2, 64, 64, Gates::near0));  // g <= -5 per token, G < -160 per chunk: must stay finite
    cs.push_back(shape(1, 1030, 2, 64, 64, Gates::near1));  // the @d64 buckets (T >= 1024), T not a multiple of the chunk
    cs.push_back(shape(1, 130, 2, 60, 33, Gates::near0));
    {
        Case c = shape(2, 63, 2, 64, 64);
        c.initial_state = true;
        cs.push_back(c);
        c = shape(1, 1, 2, 60, 33);
        c.initial_state = true;  // T = 1 from a given state
        cs.push_back(c);
        c = shape(1, 100, 2, 64, 64);
        c.final_state = false;  // final_state is optional
        cs.push_back(c);
        c = shape(1, 63, 2, 64, 64);
        c.scale = 1.0f;
        cs.push_back(c);
        c = shape(2, 70, 3, 64, 32);
        c.initial_state = true;
        c.strided = true;  // non-contiguous outer dims of every tensor, states and g included
        cs.push_back(c);
    }
    return cs;
}

SEQMIX_ALLOW_NO_VARIANTS(ScalarDecay);
INSTANTIATE_TEST_SUITE_P(Shapes, ScalarDecay, ::testing::ValuesIn(cross_all(chunked_cases())), ParamName());

// Long sequences, small heads: excluded from CI (ctest -E Long) and the sanitizer build.
class ScalarDecayLong : public ::testing::TestWithParam<Param> {};

TEST_P(ScalarDecayLong, MatchesReference) {
    const Param &p = GetParam();
    if (const std::string why = skip_reason(p.variant); !why.empty()) {
        GTEST_SKIP() << p.variant.forced() << ": " << why;
    }
    check_chunked(p.c, p.variant);
}

std::vector<Param> long_params() {
    std::vector<Param> out = cross_all({shape(1, 16384, 2, 16, 16)});
    // simple_gla's gates near 0 and near 1 over a long sequence (the others have fixed decays).
    for (Gates gk : {Gates::near0, Gates::near1}) {
        Case c = shape(1, 16384, 1, 16, 16, gk);
        c.mixer = Mixer::simple_gla;
        for (Param &p : cross(std::vector<Case>{c}, "simple_gla")) out.push_back(std::move(p));
    }
    return out;
}

SEQMIX_ALLOW_NO_VARIANTS(ScalarDecayLong);
INSTANTIATE_TEST_SUITE_P(Shapes, ScalarDecayLong, ::testing::ValuesIn(long_params()), ParamName());

// One call over T == two calls over [0, split) and [split, T), the first one's final_state passed
// as the second one's initial_state (on the variant's device).
class ScalarDecayStateRoundTrip : public ::testing::TestWithParam<Param> {};

TEST_P(ScalarDecayStateRoundTrip, TwoCallsEqualOne) {
    const Param &p = GetParam();
    const Case &c = p.c;
    if (const std::string why = skip_reason(p.variant); !why.empty()) {
        GTEST_SKIP() << p.variant.forced() << ": " << why;
    }
    const Inputs in(c);
    Buffers one(c, p.variant.backend, in), two(c, p.variant.backend, in);
    Buffer mid(p.variant.backend, {c.B, c.H, c.K, c.V});
    const RecurrenceOptions opt = options_for(c, p.variant.forced());
    const std::optional<Tensor> h0 = c.initial_state ? std::optional<Tensor>(one.h0.tensor()) : std::nullopt;
    if (!run_forced([&] {
            call_chunked(c.mixer, one.q.tensor(), one.k.tensor(), one.v.tensor(), one.g.tensor(), one.o.tensor(), h0,
                         one.ht.tensor(), opt);
            const int64_t a = c.split, b = c.T - c.split;
            call_chunked(c.mixer, two.q.slice(1, 0, a), two.k.slice(1, 0, a), two.v.slice(1, 0, a),
                         two.g.slice(1, 0, a), two.o.slice(1, 0, a), h0, mid.tensor(), opt);
            call_chunked(c.mixer, two.q.slice(1, a, b), two.k.slice(1, a, b), two.v.slice(1, a, b),
                         two.g.slice(1, a, b), two.o.slice(1, a, b), mid.tensor(), two.ht.tensor(), opt);
        })) {
        return;  // a bucket condition does not hold for one of the three shapes: not run
    }
    const ref::RecurrenceResult r = reference(c, in);
    const std::vector<float> o1 = one.o.download(), o2 = two.o.download();
    const std::vector<float> s1 = one.ht.download(), s2 = two.ht.download();
    const Tolerance tol_o = fp32_tolerance(kChunkedBase, c.T, r.o);
    const Tolerance tol_s = fp32_tolerance(kChunkedBase, c.T, r.final_state);
    EXPECT_TRUE(close("o (one call)", o1, r.o, one.o.shape(), tol_o));
    EXPECT_TRUE(close("o (two calls)", o2, r.o, two.o.shape(), tol_o));
    EXPECT_TRUE(close("o (two calls vs one)", o2, to_double(o1), two.o.shape(), tol_o));
    EXPECT_TRUE(close("final_state (one call)", s1, r.final_state, one.ht.shape(), tol_s));
    EXPECT_TRUE(close("final_state (two calls)", s2, r.final_state, two.ht.shape(), tol_s));
    EXPECT_TRUE(close("final_state (two calls vs one)", s2, to_double(s1), two.ht.shape(), tol_s));
}

std::vector<Case> round_trip_cases() {
    std::vector<Case> cs;
    Case c = shape(2, 100, 2, 64, 32);
    c.split = 37;  // neither part a multiple of the chunk
    cs.push_back(c);
    c = shape(1, 192, 2, 64, 64);
    c.split = 64;  // chunk-aligned split
    cs.push_back(c);
    c = shape(1, 64, 2, 60, 33, Gates::near1);
    c.initial_state = true;
    c.split = 1;  // a one-token first call
    cs.push_back(c);
    return cs;
}

SEQMIX_ALLOW_NO_VARIANTS(ScalarDecayStateRoundTrip);
INSTANTIATE_TEST_SUITE_P(Shapes, ScalarDecayStateRoundTrip, ::testing::ValuesIn(cross_all(round_trip_cases())),
                         ParamName());

// The chunked form (forced variant) == the step form repeated over the tokens (dispatched on the
// same device), the state ping-ponging between two buffers.
class ScalarDecayChunkedVsStep : public ::testing::TestWithParam<Param> {};

TEST_P(ScalarDecayChunkedVsStep, ChunkedEqualsRepeatedStep) {
    const Param &p = GetParam();
    const Case &c = p.c;
    if (const std::string why = skip_reason(p.variant); !why.empty()) {
        GTEST_SKIP() << p.variant.forced() << ": " << why;
    }
    const std::string step = std::string(to_string(c.mixer)) + "_step";
    if (const std::string why = partner_missing(step, p.variant.backend); !why.empty()) {
        GTEST_SKIP() << why;
    }
    const Inputs in(c);
    Buffers chunked(c, p.variant.backend, in), stepped(c, p.variant.backend, in);
    const std::optional<Tensor> h0 = c.initial_state ? std::optional<Tensor>(chunked.h0.tensor()) : std::nullopt;
    if (!run_forced([&] {
            call_chunked(c.mixer, chunked.q.tensor(), chunked.k.tensor(), chunked.v.tensor(), chunked.g.tensor(),
                         chunked.o.tensor(), h0, chunked.ht.tensor(), options_for(c, p.variant.forced()));
        })) {
        return;
    }
    Buffer states[2] = {Buffer(p.variant.backend, {c.B, c.H, c.K, c.V}),
                        Buffer(p.variant.backend, {c.B, c.H, c.K, c.V})};
    states[0].upload(c.initial_state ? in.h0 : std::vector<float>(c.B * c.H * c.K * c.V, 0.0f));
    const RecurrenceOptions step_opt = options_for(c, "");
    for (int64_t t = 0; t < c.T; t++) {
        call_step(c.mixer, stepped.q.select(1, t), stepped.k.select(1, t), stepped.v.select(1, t),
                  stepped.g.select(1, t), states[t % 2].tensor(), stepped.o.select(1, t),
                  states[(t + 1) % 2].tensor(), step_opt);
    }
    RecordProperty("step_variant", seqmix::last_variant());
    const ref::RecurrenceResult r = reference(c, in);
    const std::vector<float> oc = chunked.o.download(), os = stepped.o.download();
    const std::vector<float> sc = chunked.ht.download(), ss = states[c.T % 2].download();
    const Tolerance tol_o = fp32_tolerance(kChunkedBase, c.T, r.o);
    const Tolerance tol_s = fp32_tolerance(kChunkedBase, c.T, r.final_state);
    EXPECT_TRUE(close("o (steps vs chunked)", os, to_double(oc), chunked.o.shape(), tol_o));
    EXPECT_TRUE(close("o (steps vs reference)", os, r.o, chunked.o.shape(), tol_o));
    EXPECT_TRUE(close("final_state (steps vs chunked)", ss, to_double(sc), chunked.ht.shape(), tol_s));
    EXPECT_TRUE(close("final_state (steps vs reference)", ss, r.final_state, chunked.ht.shape(), tol_s));
}

std::vector<Case> chunked_vs_step_cases() {
    Case with_h0 = shape(2, 37, 3, 64, 48);
    with_h0.initial_state = true;
    return {shape(2, 37, 3, 64, 48), with_h0, shape(1, 37, 2, 60, 33, Gates::near0),
            shape(1, 37, 2, 64, 64, Gates::near1)};
}

SEQMIX_ALLOW_NO_VARIANTS(ScalarDecayChunkedVsStep);
INSTANTIATE_TEST_SUITE_P(Shapes, ScalarDecayChunkedVsStep, ::testing::ValuesIn(cross_all(chunked_vs_step_cases())),
                         ParamName());

// The step forms on a forced variant vs the one-token references.
class ScalarDecayStep : public ::testing::TestWithParam<Param> {};

TEST_P(ScalarDecayStep, MatchesReference) {
    const Param &p = GetParam();
    const Case &c = p.c;
    if (const std::string why = skip_reason(p.variant); !why.empty()) {
        GTEST_SKIP() << p.variant.forced() << ": " << why;
    }
    Rng rng(seed_of(std::string(to_string(c.mixer)) + "_step_" + c.name()));
    const auto q = rng.normal(c.B * c.H * c.K), k = rng.normal(c.B * c.H * c.K, 0.0, 1.0 / std::sqrt(double(c.K)));
    const auto v = rng.normal(c.B * c.H * c.V), g = gates(rng, c.B * c.H, c.gates);
    const auto s0 = rng.normal(c.B * c.H * c.K * c.V);
    const Backend be = p.variant.backend;
    auto strides = [&](const std::vector<int64_t> &s) { return c.strided ? padded_strides(s, 3) : contiguous_strides(s); };
    const std::vector<int64_t> qs{c.B, c.H, c.K}, vs{c.B, c.H, c.V}, gs{c.B, c.H}, ss{c.B, c.H, c.K, c.V};
    Buffer qb(be, qs, strides(qs)), kb(be, qs, strides(qs)), gb(be, gs, strides(gs)), vb(be, vs, strides(vs));
    Buffer sb(be, ss, strides(ss)), ob(be, vs, strides(vs)), nb(be, ss, strides(ss));
    qb.upload(q), kb.upload(k), gb.upload(g), vb.upload(v), sb.upload(s0);
    if (!run_forced([&] {
            call_step(c.mixer, qb.tensor(), kb.tensor(), vb.tensor(), gb.tensor(), sb.tensor(), ob.tensor(),
                      nb.tensor(), options_for(c, p.variant.forced()));
        })) {
        return;
    }
    EXPECT_EQ(seqmix::last_variant(), p.variant.forced());
    const auto qd = to_double(q), kd = to_double(k), vd = to_double(v), sd = to_double(s0);
    ref::RecurrenceResult r;
    switch (c.mixer) {
    case Mixer::linear_attn: r = ref::linear_attn_step_ref(qd, kd, vd, sd, c.B, c.H, c.K, c.V, scale_of(c)); break;
    case Mixer::retention: r = ref::retention_step_ref(qd, kd, vd, sd, c.B, c.H, c.K, c.V, scale_of(c)); break;
    case Mixer::simple_gla:
        r = ref::simple_gla_step_ref(qd, kd, vd, to_double(g), sd, c.B, c.H, c.K, c.V, scale_of(c));
        break;
    }
    expect_step_outputs(c, ob, nb, sb, s0, r, kStepBase);
}

std::vector<Case> step_cases() {
    std::vector<Case> cs = {shape(3, 1, 2, 64, 48), shape(1, 1, 1, 64, 64), shape(2, 1, 8, 60, 33),
                            shape(1, 1, 2, 16, 16), shape(3, 1, 2, 64, 48, Gates::near0),
                            shape(3, 1, 2, 64, 48, Gates::near1)};
    Case c = shape(3, 1, 2, 64, 48);
    c.scale = 0.5f;
    cs.push_back(c);
    c = shape(3, 1, 2, 64, 48);
    c.strided = true;
    cs.push_back(c);
    return cs;
}

SEQMIX_ALLOW_NO_VARIANTS(ScalarDecayStep);
INSTANTIATE_TEST_SUITE_P(Shapes, ScalarDecayStep, ::testing::ValuesIn(cross_all(step_cases(), "_step")), ParamName());

TEST(ScalarDecayVariants, CpuDefaultIsBuilt) {
    for (Mixer m : kMixers) expect_cpu_default_built({to_string(m), std::string(to_string(m)) + "_step"});
}

}  // namespace
}  // namespace seqmix::test
