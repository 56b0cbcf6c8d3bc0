// The delta-rule mixers and RWKV-7 (MIXERS.md, "Linear recurrences"; generators/delta.cpp): every
// built variant of delta_rule, gated_delta_rule, kda, gated_delta_rule2, rwkv7 and their _step
// forms that this host can run, against the float64 recurrences of tests/reference/delta.cpp; one
// call against two calls carrying the state; the chunked form against repeated steps; the two
// limits of gated_delta_rule2 (to kda, and to gated_delta_rule).
//
// Inputs: keys L2-normalised (MIXERS.md: with unnormalised k the delta rule itself can blow up),
// or drawn N(0,1) and normalised inside the kernel with qk_l2norm; beta, b, w ~ U(0,1); RWKV-7
// with a = -kappa, b = kappa * lr (kappa a unit vector, lr ~ U(0,1) per channel) as RWKV-7 forms
// them, and k ~ N(0, 1/K).
//
// Tolerances (fp32 inputs, state and accumulation; rel-RMS and 10x that as max-abs, see
// metrics.h): the chunked form reassociates the recurrence more than GLA's: per chunk two C x C
// products with relative-gate exponents, a forward substitution over C rows (W = (I - L)^-1 Bg,
// each row a sum of up to C earlier rows), then a K x K transition product per chunk. Measured on
// AVX-512 (2026-11-26, every case of this file incl. the Long ones, T up to 8192, gates near 0
// and near 1): at most 1.2e-6 rel-RMS (kda, T = 63 and 4096). The base 2e-5 leaves ~15x margin and
// is still far below the ~1e-2 of one wrong or missing term; it grows with sqrt(T / 64)
// (random-walk rounding over the state sum) as for GLA. The step form: two K-term reductions per
// output, GLA's 5e-5 flat.
#include "reference/delta.h"
#include "support/device.h"
#include "support/metrics.h"
#include "support/random.h"
#include "support/recurrence_checks.h"
#include "support/variants.h"

#include <seqmix/seqmix.h>

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace seqmix::test {
namespace {

constexpr double kChunkedBase = 2e-5;
constexpr double kStepBase = 5e-5;

enum class Mixer { delta_rule, gated_delta_rule, kda, gated_delta_rule2, rwkv7 };

const char *name_of(Mixer m) {
    switch (m) {
    case Mixer::delta_rule: return "delta_rule";
    case Mixer::gated_delta_rule: return "gated_delta_rule";
    case Mixer::kda: return "kda";
    case Mixer::gated_delta_rule2: return "gated_delta_rule2";
    case Mixer::rwkv7: return "rwkv7";
    }
    return "";
}

struct DplrCase {
    Mixer mixer = Mixer::delta_rule;
    int64_t B = 1, T = 1, H = 1, K = 1, V = 1;
    Gates gates = Gates::normal;
    bool initial_state = false;
    bool final_state = true;
    bool qk_l2norm = false;
    std::optional<float> scale;
    bool strided = false;
    int64_t split = 0;  // state round trip: the first call takes tokens [0, split)

    std::string name() const {
        std::string n = std::string(name_of(mixer)) + "_B" + std::to_string(B) + "_T" + std::to_string(T) + "_H" +
                        std::to_string(H) + "_K" + std::to_string(K) + "_V" + std::to_string(V) + "_" +
                        to_string(gates);
        if (initial_state) n += "_h0";
        if (!final_state) n += "_nofinal";
        if (qk_l2norm) n += "_l2norm";
        if (scale) n += "_scale" + identifier(std::to_string(*scale).substr(0, 5));
        if (strided) n += "_strided";
        if (split) n += "_split" + std::to_string(split);
        return n;
    }
};

DplrCase shape(Mixer m, int64_t B, int64_t T, int64_t H, int64_t K, int64_t V, Gates gates = Gates::normal) {
    DplrCase c;
    c.mixer = m, c.B = B, c.T = T, c.H = H, c.K = K, c.V = V, c.gates = gates;
    return c;
}

double scale_of(const DplrCase &c) {
    if (c.scale) return *c.scale;
    return c.mixer == Mixer::rwkv7 ? 1.0 : 1.0 / std::sqrt(double(c.K));
}

// One input tensor: its API name, its shape, and whether it is per token ([B,T,H]).
struct Named {
    std::string name;
    std::vector<int64_t> shape;  // chunked shape [B,T,...]
    std::vector<float> values;
};

// The inputs of a case in the API's order, drawn once from the case's seed.
struct DplrInputs {
    std::vector<Named> in;
    std::vector<float> h0;

    explicit DplrInputs(const DplrCase &c) {
        Rng rng(seed_of(c.name()));
        const int64_t B = c.B, T = c.T, H = c.H, K = c.K, V = c.V, n = B * T * H;
        const std::vector<int64_t> sk{B, T, H, K}, sv{B, T, H, V}, st{B, T, H};
        if (c.mixer == Mixer::rwkv7) {
            auto kappa = unit_rows(rng, n, K);
            auto lr = rng.uniform(n * K, 0.0, 1.0);
            std::vector<float> a(n * K), b(n * K);
            for (int64_t i = 0; i < n * K; i++) a[i] = -kappa[i], b[i] = kappa[i] * lr[i];
            in.push_back({"r", sk, rng.normal(n * K)});
            in.push_back({"w", sk, gates(rng, n * K, c.gates)});
            in.push_back({"k", sk, rng.normal(n * K, 0.0, 1.0 / std::sqrt(double(K)))});
            in.push_back({"v", sv, rng.normal(n * V)});
            in.push_back({"a", sk, a});
            in.push_back({"b", sk, b});
        } else {
            in.push_back({"q", sk, rng.normal(n * K)});
            in.push_back({"k", sk, c.qk_l2norm ? rng.normal(n * K) : unit_rows(rng, n, K)});
            in.push_back({"v", sv, rng.normal(n * V)});
            if (c.mixer == Mixer::gated_delta_rule) in.push_back({"g", st, gates(rng, n, c.gates)});
            if (c.mixer == Mixer::kda || c.mixer == Mixer::gated_delta_rule2) {
                in.push_back({"g", sk, gates(rng, n * K, c.gates)});
            }
            if (c.mixer == Mixer::gated_delta_rule2) {
                in.push_back({"b", sk, rng.uniform(n * K, 0.0, 1.0)});
                in.push_back({"w", sv, rng.uniform(n * V, 0.0, 1.0)});
            } else {
                in.push_back({"beta", st, rng.uniform(n, 0.0, 1.0)});
            }
        }
        h0 = rng.normal(B * H * K * V);
    }
    const std::vector<float> &operator[](const std::string &name) const {
        for (const Named &x : in) {
            if (x.name == name) return x.values;
        }
        throw std::runtime_error("no input " + name);
    }
};

ref::DeltaResult reference(const DplrCase &c, const DplrInputs &in, int64_t T = -1, const std::vector<double> &s0 = {}) {
    const ref::DeltaShape s{c.B, T < 0 ? c.T : T, c.H, c.K, c.V};
    const std::vector<double> h0 = !s0.empty() ? s0 : c.initial_state ? to_double(in.h0) : std::vector<double>{};
    auto d = [&](const char *name) { return to_double(in[name]); };
    const double sc = scale_of(c);
    switch (c.mixer) {
    case Mixer::delta_rule: return ref::delta_rule_ref(d("q"), d("k"), d("v"), d("beta"), h0, s, sc, c.qk_l2norm);
    case Mixer::gated_delta_rule:
        return ref::gated_delta_rule_ref(d("q"), d("k"), d("v"), d("g"), d("beta"), h0, s, sc, c.qk_l2norm);
    case Mixer::kda: return ref::kda_ref(d("q"), d("k"), d("v"), d("g"), d("beta"), h0, s, sc, c.qk_l2norm);
    case Mixer::gated_delta_rule2:
        return ref::gated_delta_rule2_ref(d("q"), d("k"), d("v"), d("g"), d("b"), d("w"), h0, s, sc, c.qk_l2norm);
    case Mixer::rwkv7: return ref::rwkv7_ref(d("r"), d("w"), d("k"), d("v"), d("a"), d("b"), h0, s, sc);
    }
    return {};
}

std::vector<int64_t> strides_of(const DplrCase &c, const std::vector<int64_t> &shape) {
    return c.strided ? padded_strides(shape, 3) : contiguous_strides(shape);
}

// Device buffers of one case: the inputs (API order), o, h0, ht.
struct DplrBuffers {
    std::vector<Buffer> in;
    Buffer o, h0, ht;
    DplrBuffers(const DplrCase &c, Backend be, const DplrInputs &x)
        : o(be, {c.B, c.T, c.H, c.V}, strides_of(c, {c.B, c.T, c.H, c.V})),
          h0(be, {c.B, c.H, c.K, c.V}, strides_of(c, {c.B, c.H, c.K, c.V})),
          ht(be, {c.B, c.H, c.K, c.V}, strides_of(c, {c.B, c.H, c.K, c.V})) {
        for (const Named &n : x.in) {
            in.emplace_back(be, n.shape, strides_of(c, n.shape));
            in.back().upload(n.values);
        }
        h0.upload(x.h0);
    }
};

// The chunked API of c.mixer on tensors in the API order.
void call_chunked(const DplrCase &c, const std::vector<Tensor> &t, const Tensor &o, const std::optional<Tensor> &h0,
                  const std::optional<Tensor> &ht, const std::string &variant) {
    if (c.mixer == Mixer::rwkv7) {
        Rwkv7Options opt;
        opt.variant = variant;
        opt.scale = c.scale;
        seqmix::rwkv7(t[0], t[1], t[2], t[3], t[4], t[5], o, h0, ht, opt);
        return;
    }
    DeltaRuleOptions opt;
    opt.variant = variant;
    opt.scale = c.scale;
    opt.qk_l2norm = c.qk_l2norm;
    switch (c.mixer) {
    case Mixer::delta_rule: seqmix::delta_rule(t[0], t[1], t[2], t[3], o, h0, ht, opt); break;
    case Mixer::gated_delta_rule: seqmix::gated_delta_rule(t[0], t[1], t[2], t[3], t[4], o, h0, ht, opt); break;
    case Mixer::kda: seqmix::kda(t[0], t[1], t[2], t[3], t[4], o, h0, ht, opt); break;
    case Mixer::gated_delta_rule2: seqmix::gated_delta_rule2(t[0], t[1], t[2], t[3], t[4], t[5], o, h0, ht, opt); break;
    case Mixer::rwkv7: break;
    }
}

void call_step(const DplrCase &c, const std::vector<Tensor> &t, const Tensor &state, const Tensor &o,
               const Tensor &new_state, const std::string &variant) {
    if (c.mixer == Mixer::rwkv7) {
        Rwkv7Options opt;
        opt.variant = variant;
        opt.scale = c.scale;
        seqmix::rwkv7_step(t[0], t[1], t[2], t[3], t[4], t[5], state, o, new_state, opt);
        return;
    }
    DeltaRuleOptions opt;
    opt.variant = variant;
    opt.scale = c.scale;
    opt.qk_l2norm = c.qk_l2norm;
    switch (c.mixer) {
    case Mixer::delta_rule: seqmix::delta_rule_step(t[0], t[1], t[2], t[3], state, o, new_state, opt); break;
    case Mixer::gated_delta_rule:
        seqmix::gated_delta_rule_step(t[0], t[1], t[2], t[3], t[4], state, o, new_state, opt);
        break;
    case Mixer::kda: seqmix::kda_step(t[0], t[1], t[2], t[3], t[4], state, o, new_state, opt); break;
    case Mixer::gated_delta_rule2:
        seqmix::gated_delta_rule2_step(t[0], t[1], t[2], t[3], t[4], t[5], state, o, new_state, opt);
        break;
    case Mixer::rwkv7: break;
    }
}

std::vector<Tensor> whole(const std::vector<Buffer> &b) {
    std::vector<Tensor> t;
    for (const Buffer &x : b) t.push_back(x.tensor());
    return t;
}
std::vector<Tensor> sliced(const std::vector<Buffer> &b, int64_t start, int64_t len) {
    std::vector<Tensor> t;
    for (const Buffer &x : b) t.push_back(x.slice(1, start, len));
    return t;
}
std::vector<Tensor> token(const std::vector<Buffer> &b, int64_t t) {
    std::vector<Tensor> out;
    for (const Buffer &x : b) out.push_back(x.select(1, t));
    return out;
}

using DplrParam = CaseVariant<DplrCase>;

// The cases of every mixer, each crossed with that mixer's (or its step form's) variants.
std::vector<DplrParam> cross_all(const std::function<std::vector<DplrCase>(Mixer)> &cases, const std::string &suffix = "") {
    std::vector<DplrParam> out;
    for (Mixer m : {Mixer::delta_rule, Mixer::gated_delta_rule, Mixer::kda, Mixer::gated_delta_rule2, Mixer::rwkv7}) {
        for (auto &p : cross(cases(m), std::string(name_of(m)) + suffix)) out.push_back(p);
    }
    return out;
}

void check_chunked(const DplrCase &c, const Variant &variant) {
    const DplrInputs in(c);
    DplrBuffers buf(c, variant.backend, in);
    const std::optional<Tensor> h0 = c.initial_state ? std::optional<Tensor>(buf.h0.tensor()) : std::nullopt;
    const std::optional<Tensor> ht = c.final_state ? std::optional<Tensor>(buf.ht.tensor()) : std::nullopt;
    if (!run_forced([&] { call_chunked(c, whole(buf.in), buf.o.tensor(), h0, ht, variant.forced()); })) return;
    EXPECT_EQ(seqmix::last_variant(), variant.forced());
    const ref::DeltaResult r = reference(c, in);
    expect_recurrence_outputs(c, "o", buf.o, r.o, buf, in, r, kChunkedBase);
}

class Dplr : public ::testing::TestWithParam<DplrParam> {};

TEST_P(Dplr, MatchesReference) {
    const DplrParam &p = GetParam();
    if (const std::string why = skip_reason(p.variant); !why.empty()) GTEST_SKIP() << p.variant.forced() << ": " << why;
    check_chunked(p.c, p.variant);
}

std::vector<DplrCase> chunked_cases(Mixer m) {
    std::vector<DplrCase> cs;
    cs.push_back(shape(m, 1, 1, 1, 64, 64));     // T = 1
    cs.push_back(shape(m, 2, 63, 2, 64, 64));    // one short chunk
    cs.push_back(shape(m, 1, 128, 2, 64, 64));   // exactly two chunks (64) / four (32)
    cs.push_back(shape(m, 1, 300, 2, 64, 64));   // not a multiple of the chunk
    cs.push_back(shape(m, 2, 100, 2, 64, 32));   // K != V
    cs.push_back(shape(m, 1, 77, 3, 60, 48));    // odd head dims
    DplrCase odd = shape(m, 1, 90, 2, 33, 17);   // K, V not multiples of a vector, a group or a tile
    odd.initial_state = true;
    cs.push_back(odd);
    cs.push_back(shape(m, 2, 65, 1, 16, 16));    // small head dims
    cs.push_back(shape(m, 1, 300, 2, 64, 64, Gates::near1));  // barely decaying state
    cs.push_back(shape(m, 1, 300, 2, 64, 64, Gates::near0));  // G reaches -640 in a chunk: finite
    cs.push_back(shape(m, 1, 130, 2, 60, 48, Gates::near0));
    DplrCase c = shape(m, 2, 63, 2, 64, 64);
    c.initial_state = true;
    cs.push_back(c);
    c = shape(m, 1, 1, 2, 60, 48);
    c.initial_state = true;  // T = 1 from a given state
    cs.push_back(c);
    c = shape(m, 1, 100, 2, 64, 64);
    c.final_state = false;
    cs.push_back(c);
    c = shape(m, 1, 63, 2, 64, 64);
    c.scale = 0.5f;
    cs.push_back(c);
    c = shape(m, 2, 70, 3, 64, 32);
    c.initial_state = true;
    c.strided = true;  // non-contiguous outer dims of every tensor, states included
    cs.push_back(c);
    if (m != Mixer::rwkv7) {
        c = shape(m, 2, 100, 2, 64, 48);
        c.qk_l2norm = true;
        c.initial_state = true;
        cs.push_back(c);
        c = shape(m, 1, 70, 2, 60, 32);
        c.qk_l2norm = true;
        cs.push_back(c);
    }
    return cs;
}

SEQMIX_ALLOW_NO_VARIANTS(Dplr);
INSTANTIATE_TEST_SUITE_P(Shapes, Dplr, ::testing::ValuesIn(cross_all(chunked_cases)), CaseVariantName());

// Long sequences with small heads: gates near 0 and near 1 over 8192 tokens.
class DplrLong : public ::testing::TestWithParam<DplrParam> {};

TEST_P(DplrLong, MatchesReference) {
    const DplrParam &p = GetParam();
    if (const std::string why = skip_reason(p.variant); !why.empty()) GTEST_SKIP() << p.variant.forced() << ": " << why;
    check_chunked(p.c, p.variant);
}

std::vector<DplrCase> long_cases(Mixer m) {
    DplrCase c = shape(m, 1, 8192, 1, 16, 16, Gates::near1);
    c.initial_state = true;
    return {shape(m, 1, 8192, 1, 16, 16, Gates::near0), c, shape(m, 1, 4096, 2, 64, 64, Gates::normal)};
}

SEQMIX_ALLOW_NO_VARIANTS(DplrLong);
INSTANTIATE_TEST_SUITE_P(Shapes, DplrLong, ::testing::ValuesIn(cross_all(long_cases)), CaseVariantName());

// One call over T == two calls over [0, split) and [split, T) with the state carried on the
// variant's device.
class DplrStateRoundTrip : public ::testing::TestWithParam<DplrParam> {};

TEST_P(DplrStateRoundTrip, TwoCallsEqualOne) {
    const DplrParam &p = GetParam();
    const DplrCase &c = p.c;
    if (const std::string why = skip_reason(p.variant); !why.empty()) GTEST_SKIP() << p.variant.forced() << ": " << why;
    const DplrInputs in(c);
    DplrBuffers one(c, p.variant.backend, in), two(c, p.variant.backend, in);
    Buffer mid(p.variant.backend, {c.B, c.H, c.K, c.V});
    const std::optional<Tensor> h0 = c.initial_state ? std::optional<Tensor>(one.h0.tensor()) : std::nullopt;
    const int64_t a = c.split, b = c.T - c.split;
    if (!run_forced([&] {
            call_chunked(c, whole(one.in), one.o.tensor(), h0, one.ht.tensor(), p.variant.forced());
            call_chunked(c, sliced(two.in, 0, a), two.o.slice(1, 0, a), h0, mid.tensor(), p.variant.forced());
            call_chunked(c, sliced(two.in, a, b), two.o.slice(1, a, b), mid.tensor(), two.ht.tensor(),
                         p.variant.forced());
        })) {
        return;
    }
    const ref::DeltaResult r = reference(c, in);
    const std::vector<float> o1 = one.o.download(), o2 = two.o.download();
    const std::vector<float> s1 = one.ht.download(), s2 = two.ht.download();
    const Tolerance tol_o = fp32_tolerance(kChunkedBase, c.T, r.o);
    const Tolerance tol_s = fp32_tolerance(kChunkedBase, c.T, r.final_state);
    EXPECT_TRUE(close("o (one call)", o1, r.o, one.o.shape(), tol_o));
    EXPECT_TRUE(close("o (two calls)", o2, r.o, two.o.shape(), tol_o));
    EXPECT_TRUE(close("o (two calls vs one)", o2, to_double(o1), two.o.shape(), tol_o));
    EXPECT_TRUE(close("final_state (two calls)", s2, r.final_state, two.ht.shape(), tol_s));
    EXPECT_TRUE(close("final_state (two calls vs one)", s2, to_double(s1), two.ht.shape(), tol_s));
}

std::vector<DplrCase> round_trip_cases(Mixer m) {
    DplrCase c = shape(m, 2, 100, 2, 64, 32);
    c.split = 37;  // neither part a multiple of the chunk
    DplrCase d = shape(m, 1, 64, 2, 60, 48, Gates::near1);
    d.initial_state = true;
    d.split = 1;  // a one-token first call
    return {c, d};
}

SEQMIX_ALLOW_NO_VARIANTS(DplrStateRoundTrip);
INSTANTIATE_TEST_SUITE_P(Shapes, DplrStateRoundTrip, ::testing::ValuesIn(cross_all(round_trip_cases)),
                         CaseVariantName());

// The chunked form (forced variant) == the step form repeated over the tokens (dispatched), the
// state ping-ponging between two buffers.
class DplrChunkedVsStep : public ::testing::TestWithParam<DplrParam> {};

TEST_P(DplrChunkedVsStep, ChunkedEqualsRepeatedStep) {
    const DplrParam &p = GetParam();
    const DplrCase &c = p.c;
    if (const std::string why = skip_reason(p.variant); !why.empty()) GTEST_SKIP() << p.variant.forced() << ": " << why;
    const std::string step = std::string(name_of(c.mixer)) + "_step";
    if (const std::string why = partner_missing(step, p.variant.backend); !why.empty()) {
        GTEST_SKIP() << why;
    }
    const DplrInputs in(c);
    DplrBuffers chunked(c, p.variant.backend, in), stepped(c, p.variant.backend, in);
    const std::optional<Tensor> h0 = c.initial_state ? std::optional<Tensor>(chunked.h0.tensor()) : std::nullopt;
    if (!run_forced([&] {
            call_chunked(c, whole(chunked.in), chunked.o.tensor(), h0, chunked.ht.tensor(), p.variant.forced());
        })) {
        return;
    }
    Buffer states[2] = {Buffer(p.variant.backend, {c.B, c.H, c.K, c.V}), Buffer(p.variant.backend, {c.B, c.H, c.K, c.V})};
    states[0].upload(c.initial_state ? in.h0 : std::vector<float>(c.B * c.H * c.K * c.V, 0.0f));
    for (int64_t t = 0; t < c.T; t++) {
        call_step(c, token(stepped.in, t), states[t % 2].tensor(), stepped.o.select(1, t), states[(t + 1) % 2].tensor(), "");
    }
    const ref::DeltaResult r = reference(c, in);
    const Tolerance tol_o = fp32_tolerance(kChunkedBase, c.T, r.o);
    const Tolerance tol_s = fp32_tolerance(kChunkedBase, c.T, r.final_state);
    const std::vector<float> oc = chunked.o.download(), os = stepped.o.download();
    const std::vector<float> sc = chunked.ht.download(), ss = states[c.T % 2].download();
    EXPECT_TRUE(close("o (steps vs chunked)", os, to_double(oc), chunked.o.shape(), tol_o));
    EXPECT_TRUE(close("o (steps vs reference)", os, r.o, chunked.o.shape(), tol_o));
    EXPECT_TRUE(close("final_state (steps vs chunked)", ss, to_double(sc), chunked.ht.shape(), tol_s));
    EXPECT_TRUE(close("final_state (steps vs reference)", ss, r.final_state, chunked.ht.shape(), tol_s));
}

std::vector<DplrCase> chunked_vs_step_cases(Mixer m) {
    DplrCase c = shape(m, 2, 37, 2, 64, 48);
    c.initial_state = true;
    DplrCase d = shape(m, 1, 70, 2, 60, 48, Gates::near0);
    if (m != Mixer::rwkv7) d.qk_l2norm = true;
    return {c, d};
}

SEQMIX_ALLOW_NO_VARIANTS(DplrChunkedVsStep);
INSTANTIATE_TEST_SUITE_P(Shapes, DplrChunkedVsStep, ::testing::ValuesIn(cross_all(chunked_vs_step_cases)),
                         CaseVariantName());

// The step form on a forced variant vs the reference at T = 1 from a random state.
class DplrStep : public ::testing::TestWithParam<DplrParam> {};

TEST_P(DplrStep, MatchesReference) {
    const DplrParam &p = GetParam();
    const DplrCase &c = p.c;
    if (const std::string why = skip_reason(p.variant); !why.empty()) GTEST_SKIP() << p.variant.forced() << ": " << why;
    const DplrInputs in(c);  // T = 1: [B,1,H,*] has the element order of [B,H,*]
    const Backend be = p.variant.backend;
    std::vector<Buffer> tok;
    for (const Named &n : in.in) {
        std::vector<int64_t> s = n.shape;
        s.erase(s.begin() + 1);
        tok.emplace_back(be, s, strides_of(c, s));
        tok.back().upload(n.values);
    }
    const std::vector<int64_t> vs{c.B, c.H, c.V}, ss{c.B, c.H, c.K, c.V};
    Buffer sb(be, ss, strides_of(c, ss)), ob(be, vs, strides_of(c, vs)), nb(be, ss, strides_of(c, ss));
    sb.upload(in.h0);
    if (!run_forced([&] { call_step(c, whole(tok), sb.tensor(), ob.tensor(), nb.tensor(), p.variant.forced()); })) {
        return;
    }
    EXPECT_EQ(seqmix::last_variant(), p.variant.forced());
    DplrCase with_h0 = c;
    with_h0.initial_state = true;
    const ref::DeltaResult r = reference(with_h0, in);
    expect_step_outputs(c, ob, nb, sb, in.h0, r, kStepBase);
}

std::vector<DplrCase> step_cases(Mixer m) {
    std::vector<DplrCase> cs = {shape(m, 3, 1, 2, 64, 48), shape(m, 2, 1, 4, 60, 48), shape(m, 1, 1, 2, 16, 16),
                                shape(m, 3, 1, 2, 64, 48, Gates::near0), shape(m, 3, 1, 2, 64, 48, Gates::near1)};
    DplrCase c = shape(m, 3, 1, 2, 64, 48);
    c.scale = 0.5f;
    cs.push_back(c);
    c = shape(m, 3, 1, 2, 64, 48);
    c.strided = true;
    cs.push_back(c);
    if (m != Mixer::rwkv7) {
        c = shape(m, 3, 1, 2, 64, 48);
        c.qk_l2norm = true;
        cs.push_back(c);
    }
    return cs;
}

SEQMIX_ALLOW_NO_VARIANTS(DplrStep);
INSTANTIATE_TEST_SUITE_P(Shapes, DplrStep, ::testing::ValuesIn(cross_all(step_cases, "_step")), CaseVariantName());

// MIXERS.md's limits of gated_delta_rule2, on each of its variants: b = beta*1, w = beta*1 gives
// kda (same g); additionally g equal across K gives gated_delta_rule. Both sides are kernels of
// this library (the limit mixer dispatched), and both are checked against the limit's reference.
class Gdn2Limits : public ::testing::TestWithParam<DplrParam> {};

TEST_P(Gdn2Limits, ReduceToKdaAndGatedDeltaRule) {
    const DplrParam &p = GetParam();
    if (const std::string why = skip_reason(p.variant); !why.empty()) GTEST_SKIP() << p.variant.forced() << ": " << why;
    for (bool scalar_g : {false, true}) {
        SCOPED_TRACE(scalar_g ? "g equal across K: gated_delta_rule" : "b = w = beta: kda");
        DplrCase lim = p.c;
        lim.mixer = scalar_g ? Mixer::gated_delta_rule : Mixer::kda;
        const DplrInputs li(lim);  // q, k, v, g, beta of the limit mixer
        const int64_t n = lim.B * lim.T * lim.H, K = lim.K, V = lim.V;
        const std::vector<float> &beta = li["beta"];
        std::vector<float> g(n * K), b(n * K), w(n * V);
        for (int64_t r = 0; r < n; r++) {
            for (int64_t i = 0; i < K; i++) {
                g[r * K + i] = scalar_g ? li["g"][r] : li["g"][r * K + i];
                b[r * K + i] = beta[r];
            }
            for (int64_t j = 0; j < V; j++) w[r * V + j] = beta[r];
        }
        DplrCase gc = p.c;
        gc.mixer = Mixer::gated_delta_rule2;
        DplrInputs gi(gc);
        gi.in = {{"q", {lim.B, lim.T, lim.H, K}, li["q"]}, {"k", {lim.B, lim.T, lim.H, K}, li["k"]},
                 {"v", {lim.B, lim.T, lim.H, V}, li["v"]}, {"g", {lim.B, lim.T, lim.H, K}, g},
                 {"b", {lim.B, lim.T, lim.H, K}, b},       {"w", {lim.B, lim.T, lim.H, V}, w}};
        gi.h0 = li.h0;
        DplrBuffers gb(gc, p.variant.backend, gi), lb(lim, p.variant.backend, li);
        if (!run_forced([&] {
                call_chunked(gc, whole(gb.in), gb.o.tensor(), gb.h0.tensor(), gb.ht.tensor(), p.variant.forced());
            })) {
            return;
        }
        call_chunked(lim, whole(lb.in), lb.o.tensor(), lb.h0.tensor(), lb.ht.tensor(), "");
        lim.initial_state = true;
        const ref::DeltaResult r = reference(lim, li);
        const Tolerance tol_o = fp32_tolerance(kChunkedBase, lim.T, r.o);
        const Tolerance tol_s = fp32_tolerance(kChunkedBase, lim.T, r.final_state);
        EXPECT_TRUE(close("o (gated_delta_rule2 vs limit's reference)", gb.o.download(), r.o, gb.o.shape(), tol_o));
        EXPECT_TRUE(close("o (gated_delta_rule2 vs limit's kernel)", gb.o.download(), to_double(lb.o.download()),
                          gb.o.shape(), tol_o));
        EXPECT_TRUE(close("final_state (gated_delta_rule2 vs limit's kernel)", gb.ht.download(),
                          to_double(lb.ht.download()), gb.ht.shape(), tol_s));
        EXPECT_TRUE(close("final_state (gated_delta_rule2 vs limit's reference)", gb.ht.download(), r.final_state,
                          gb.ht.shape(), tol_s));
    }
}

std::vector<DplrCase> limit_cases() {
    DplrCase c = shape(Mixer::gated_delta_rule2, 2, 100, 2, 64, 48);
    DplrCase d = shape(Mixer::gated_delta_rule2, 1, 70, 2, 60, 32, Gates::near1);
    d.qk_l2norm = true;
    return {c, d};
}

SEQMIX_ALLOW_NO_VARIANTS(Gdn2Limits);
INSTANTIATE_TEST_SUITE_P(Shapes, Gdn2Limits, ::testing::ValuesIn(cross(limit_cases(), "gated_delta_rule2")),
                         CaseVariantName());

TEST(DplrVariants, CpuDefaultIsBuilt) {
    expect_cpu_default_built({"delta_rule", "gated_delta_rule", "kda", "gated_delta_rule2", "rwkv7", "delta_rule_step",
                              "gated_delta_rule_step", "kda_step", "gated_delta_rule2_step", "rwkv7_step"});
}

}  // namespace
}  // namespace seqmix::test
