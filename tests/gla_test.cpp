// Gated Linear Attention (MIXERS.md, "Linear recurrences", GLA): every built variant of `gla` and
// `gla_step` that this host can run, against the float64 recurrence tests/reference/gla.cpp; the
// chunked form against repeated steps; one call against two calls carrying the state.
//
// Tolerances (fp32 inputs and state, fp32 accumulation): the chunked form reassociates the
// recurrence into intra-chunk matmuls with relative gate exponents exp(G_i - G_j), where G is an
// fp32 cumulative sum of ~64 gates; the rounding of G (~sqrt(64) ulp(|G|), ~1e-5 for normal gates)
// becomes a relative error of the decay factors, and the state sums up to T rank-one terms (with
// gates near 1 they barely decay). Hence 5e-5 rel-RMS for T <= 64, growing with sqrt(T / 64)
// (random-walk rounding growth over the T-term state sum; see fp32_tolerance): 2e-4 at T = 1000,
// 8e-4 at T = 16384. The step form does one K-term reduction per output: 5e-5 flat.
#include "reference/gla.h"
#include "support/device.h"
#include "support/metrics.h"
#include "support/random.h"
#include "support/recurrence_checks.h"
#include "support/variants.h"

#include <algorithm>

#include <seqmix/seqmix.h>

#include <gtest/gtest.h>
#include <xmmintrin.h>

#ifdef SEQMIX_TEST_CUDA
#include <cuda_runtime.h>
#endif

#include <cmath>
#include <optional>
#include <string>
#include <vector>

namespace seqmix::test {
namespace {

constexpr double kChunkedBase = 5e-5;
constexpr double kStepBase = 5e-5;

struct GlaCase {
    int64_t B = 1, T = 1, H = 1, K = 1, V = 1;
    Gates gates = Gates::normal;
    bool initial_state = false;
    bool final_state = true;
    std::optional<float> scale;
    bool strided = false;
    int64_t split = 0;  // state round trip: first call takes tokens [0, split)

    std::string name() const {
        std::string n = "B" + std::to_string(B) + "_T" + std::to_string(T) + "_H" + std::to_string(H) + "_K" +
                        std::to_string(K) + "_V" + std::to_string(V) + "_" + to_string(gates);
        if (initial_state) n += "_h0";
        if (!final_state) n += "_nofinal";
        if (scale) n += "_scale" + identifier(std::to_string(*scale).substr(0, 5));
        if (strided) n += "_strided";
        if (split) n += "_split" + std::to_string(split);
        return n;
    }
};

GlaCase shape(int64_t B, int64_t T, int64_t H, int64_t K, int64_t V, Gates gates = Gates::normal) {
    GlaCase c;
    c.B = B, c.T = T, c.H = H, c.K = K, c.V = V, c.gates = gates;
    return c;
}

double scale_of(const GlaCase &c) {
    return c.scale ? double(*c.scale) : 1.0 / std::sqrt(double(c.K));
}

// The inputs of one case, drawn once from the case's seed.
struct GlaInputs {
    std::vector<float> q, k, v, g, h0;
    explicit GlaInputs(const GlaCase &c) {
        Rng rng(seed_of(c.name()));
        // Keys scaled by 1/sqrt(K) keep |k_t v_t^T| ~ 1 per state entry whatever K, as with fla's
        // normalised keys; the state then grows like sqrt(T) with gates near 1, not like K sqrt(T).
        q = rng.normal(c.B * c.T * c.H * c.K);
        k = rng.normal(c.B * c.T * c.H * c.K, 0.0, 1.0 / std::sqrt(double(c.K)));
        v = rng.normal(c.B * c.T * c.H * c.V);
        g = gates(rng, c.B * c.T * c.H * c.K, c.gates);
        h0 = rng.normal(c.B * c.H * c.K * c.V);
    }
};

ref::GlaResult reference(const GlaCase &c, const GlaInputs &in) {
    return ref::gla_ref(to_double(in.q), to_double(in.k), to_double(in.v), to_double(in.g),
                        c.initial_state ? to_double(in.h0) : std::vector<double>{}, c.B, c.T, c.H, c.K, c.V,
                        scale_of(c));
}

// Device buffers of one case's tensors.
struct GlaBuffers {
    Buffer q, k, v, g, o, h0, ht;
    GlaBuffers(const GlaCase &c, Backend be, const GlaInputs &in)
        : q(be, {c.B, c.T, c.H, c.K}, strides(c, {c.B, c.T, c.H, c.K})),
          k(be, {c.B, c.T, c.H, c.K}, strides(c, {c.B, c.T, c.H, c.K})),
          v(be, {c.B, c.T, c.H, c.V}, strides(c, {c.B, c.T, c.H, c.V})),
          g(be, {c.B, c.T, c.H, c.K}, strides(c, {c.B, c.T, c.H, c.K})),
          o(be, {c.B, c.T, c.H, c.V}, strides(c, {c.B, c.T, c.H, c.V})),
          h0(be, {c.B, c.H, c.K, c.V}, strides(c, {c.B, c.H, c.K, c.V})),
          ht(be, {c.B, c.H, c.K, c.V}, strides(c, {c.B, c.H, c.K, c.V})) {
        q.upload(in.q);
        k.upload(in.k);
        v.upload(in.v);
        g.upload(in.g);
        h0.upload(in.h0);
    }
    static std::vector<int64_t> strides(const GlaCase &c, const std::vector<int64_t> &shape) {
        return c.strided ? padded_strides(shape, 3) : contiguous_strides(shape);
    }
};

GlaOptions options_for(const GlaCase &c, const std::string &variant) {
    GlaOptions opt;
    opt.variant = variant;
    opt.scale = c.scale;
    return opt;
}

using GlaParam = CaseVariant<GlaCase>;

// One call on a forced variant against the reference: o and final_state.
void check_gla(const GlaCase &c, const Variant &variant) {
    const GlaInputs in(c);
    GlaBuffers buf(c, variant.backend, in);
    const std::optional<Tensor> h0 = c.initial_state ? std::optional<Tensor>(buf.h0.tensor()) : std::nullopt;
    const std::optional<Tensor> ht = c.final_state ? std::optional<Tensor>(buf.ht.tensor()) : std::nullopt;
    if (!run_forced([&] {
            seqmix::gla(buf.q.tensor(), buf.k.tensor(), buf.v.tensor(), buf.g.tensor(), buf.o.tensor(), h0, ht,
                        options_for(c, variant.forced()));
        })) {
        return;  // this bucket's condition does not hold for this shape: not run (see variants.h)
    }
    EXPECT_EQ(seqmix::last_variant(), variant.forced());
    const ref::GlaResult r = reference(c, in);
    expect_recurrence_outputs(c, "o", buf.o, r.o, buf, in, r, kChunkedBase);
}

class Gla : public ::testing::TestWithParam<GlaParam> {};

TEST_P(Gla, MatchesReference) {
    const GlaParam &p = GetParam();
    if (const std::string why = skip_reason(p.variant); !why.empty()) {
        GTEST_SKIP() << p.variant.forced() << ": " << why;
    }
    check_gla(p.c, p.variant);
}

std::vector<GlaCase> gla_cases() {
    std::vector<GlaCase> cs;
    cs.push_back(shape(1, 1, 1, 64, 64));        // T = 1
    cs.push_back(shape(2, 63, 2, 64, 64));       // one short chunk
    cs.push_back(shape(1, 64, 3, 64, 64));       // exactly one chunk
    cs.push_back(shape(2, 192, 4, 64, 64));      // exactly three chunks
    cs.push_back(shape(1, 1000, 2, 64, 64));     // not a multiple of 64
    cs.push_back(shape(2, 100, 2, 64, 32));      // K != V
    cs.push_back(shape(1, 77, 3, 60, 48));       // K, V not powers of two
    cs.push_back(shape(2, 65, 1, 16, 16));       // small head dims
    cs.push_back(shape(1, 1000, 2, 64, 64, Gates::near1));  // state sums ~T terms
    cs.push_back(shape(1, 1000, 2, 64, 64, Gates::near0));  // G reaches -640 per chunk: must stay finite
    cs.push_back(shape(1, 130, 2, 60, 48, Gates::near0));
    cs.push_back(shape(1, 130, 2, 60, 48, Gates::near1));
    {
        GlaCase c = shape(2, 63, 2, 64, 64);
        c.initial_state = true;
        cs.push_back(c);
        c = shape(1, 1000, 2, 64, 32, Gates::near1);
        c.initial_state = true;
        cs.push_back(c);
        c = shape(1, 1, 2, 60, 48);
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
        c.strided = true;  // non-contiguous outer dims of every tensor, states included
        cs.push_back(c);
    }
    return cs;
}

SEQMIX_ALLOW_NO_VARIANTS(Gla);
INSTANTIATE_TEST_SUITE_P(Shapes, Gla, ::testing::ValuesIn(cross(gla_cases(), "gla")), CaseVariantName());

// Long sequences, small heads (runtime): excluded from the sanitizer build by --gtest_filter=-*Long*.
class GlaLong : public ::testing::TestWithParam<GlaParam> {};

TEST_P(GlaLong, MatchesReference) {
    const GlaParam &p = GetParam();
    if (const std::string why = skip_reason(p.variant); !why.empty()) {
        GTEST_SKIP() << p.variant.forced() << ": " << why;
    }
    check_gla(p.c, p.variant);
}

std::vector<GlaCase> gla_long_cases() {
    return {shape(1, 16384, 1, 16, 16, Gates::near0), shape(1, 16384, 1, 16, 16, Gates::near1),
            shape(1, 16384, 1, 16, 16, Gates::normal)};
}

SEQMIX_ALLOW_NO_VARIANTS(GlaLong);
INSTANTIATE_TEST_SUITE_P(Shapes, GlaLong, ::testing::ValuesIn(cross(gla_long_cases(), "gla")), CaseVariantName());

// One call over T == two calls over [0, split) and [split, T), the first one's final_state passed
// as the second one's initial_state (both on the variant's device, never copied to the host).
class GlaStateRoundTrip : public ::testing::TestWithParam<GlaParam> {};

TEST_P(GlaStateRoundTrip, TwoCallsEqualOne) {
    const GlaParam &p = GetParam();
    const GlaCase &c = p.c;
    if (const std::string why = skip_reason(p.variant); !why.empty()) {
        GTEST_SKIP() << p.variant.forced() << ": " << why;
    }
    const GlaInputs in(c);
    GlaBuffers one(c, p.variant.backend, in), two(c, p.variant.backend, in);
    Buffer mid(p.variant.backend, {c.B, c.H, c.K, c.V});
    const GlaOptions opt = options_for(c, p.variant.forced());
    const std::optional<Tensor> h0 = c.initial_state ? std::optional<Tensor>(one.h0.tensor()) : std::nullopt;
    if (!run_forced([&] {
            seqmix::gla(one.q.tensor(), one.k.tensor(), one.v.tensor(), one.g.tensor(), one.o.tensor(), h0,
                        one.ht.tensor(), opt);
            const int64_t a = c.split, b = c.T - c.split;
            seqmix::gla(two.q.slice(1, 0, a), two.k.slice(1, 0, a), two.v.slice(1, 0, a), two.g.slice(1, 0, a),
                        two.o.slice(1, 0, a), h0, mid.tensor(), opt);
            seqmix::gla(two.q.slice(1, a, b), two.k.slice(1, a, b), two.v.slice(1, a, b), two.g.slice(1, a, b),
                        two.o.slice(1, a, b), mid.tensor(), two.ht.tensor(), opt);
        })) {
        return;  // a bucket condition does not hold for one of the three shapes: not run
    }
    const ref::GlaResult r = reference(c, in);
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

std::vector<GlaCase> round_trip_cases() {
    std::vector<GlaCase> cs;
    GlaCase c = shape(2, 100, 2, 64, 32);
    c.split = 37;  // neither part a multiple of the chunk
    cs.push_back(c);
    c = shape(1, 192, 2, 64, 64);
    c.split = 64;  // chunk-aligned split
    cs.push_back(c);
    c = shape(1, 64, 2, 60, 48, Gates::near1);
    c.initial_state = true;
    c.split = 1;  // a one-token first call
    cs.push_back(c);
    c = shape(1, 1000, 1, 64, 64, Gates::near1);
    c.initial_state = true;
    c.split = 500;
    cs.push_back(c);
    return cs;
}

SEQMIX_ALLOW_NO_VARIANTS(GlaStateRoundTrip);
INSTANTIATE_TEST_SUITE_P(Shapes, GlaStateRoundTrip, ::testing::ValuesIn(cross(round_trip_cases(), "gla")),
                         CaseVariantName());

// The chunked form (forced variant) == gla_step repeated over the tokens (dispatched on the same
// device), the state ping-ponging between two buffers (state and new_state may not overlap).
class GlaChunkedVsStep : public ::testing::TestWithParam<GlaParam> {};

TEST_P(GlaChunkedVsStep, ChunkedEqualsRepeatedStep) {
    const GlaParam &p = GetParam();
    const GlaCase &c = p.c;
    if (const std::string why = skip_reason(p.variant); !why.empty()) {
        GTEST_SKIP() << p.variant.forced() << ": " << why;
    }
    if (const std::string why = partner_missing("gla_step", p.variant.backend); !why.empty()) {
        GTEST_SKIP() << why;
    }
    const GlaInputs in(c);
    GlaBuffers chunked(c, p.variant.backend, in), stepped(c, p.variant.backend, in);
    const std::optional<Tensor> h0 = c.initial_state ? std::optional<Tensor>(chunked.h0.tensor()) : std::nullopt;
    if (!run_forced([&] {
            seqmix::gla(chunked.q.tensor(), chunked.k.tensor(), chunked.v.tensor(), chunked.g.tensor(),
                        chunked.o.tensor(), h0, chunked.ht.tensor(), options_for(c, p.variant.forced()));
        })) {
        return;
    }
    // state[0] starts as initial_state (or zeros), then step t reads state[t % 2], writes the other.
    Buffer states[2] = {Buffer(p.variant.backend, {c.B, c.H, c.K, c.V}),
                        Buffer(p.variant.backend, {c.B, c.H, c.K, c.V})};
    states[0].upload(c.initial_state ? in.h0 : std::vector<float>(c.B * c.H * c.K * c.V, 0.0f));
    const GlaOptions step_opt = options_for(c, "");
    for (int64_t t = 0; t < c.T; t++) {
        seqmix::gla_step(stepped.q.select(1, t), stepped.k.select(1, t), stepped.v.select(1, t),
                         stepped.g.select(1, t), states[t % 2].tensor(), stepped.o.select(1, t),
                         states[(t + 1) % 2].tensor(), step_opt);
    }
    RecordProperty("gla_step_variant", seqmix::last_variant());
    const ref::GlaResult r = reference(c, in);
    const std::vector<float> oc = chunked.o.download(), os = stepped.o.download();
    const std::vector<float> sc = chunked.ht.download(), ss = states[c.T % 2].download();
    const Tolerance tol_o = fp32_tolerance(kChunkedBase, c.T, r.o);
    const Tolerance tol_s = fp32_tolerance(kChunkedBase, c.T, r.final_state);
    EXPECT_TRUE(close("o (steps vs chunked)", os, to_double(oc), chunked.o.shape(), tol_o));
    EXPECT_TRUE(close("o (steps vs reference)", os, r.o, chunked.o.shape(), tol_o));
    EXPECT_TRUE(close("final_state (steps vs chunked)", ss, to_double(sc), chunked.ht.shape(), tol_s));
    EXPECT_TRUE(close("final_state (steps vs reference)", ss, r.final_state, chunked.ht.shape(), tol_s));
}

std::vector<GlaCase> chunked_vs_step_cases() {
    GlaCase with_h0 = shape(2, 37, 2, 64, 48);
    with_h0.initial_state = true;
    return {shape(2, 37, 2, 64, 48), with_h0, shape(1, 37, 2, 60, 48, Gates::near0),
            shape(1, 37, 2, 64, 64, Gates::near1)};
}

SEQMIX_ALLOW_NO_VARIANTS(GlaChunkedVsStep);
INSTANTIATE_TEST_SUITE_P(Shapes, GlaChunkedVsStep, ::testing::ValuesIn(cross(chunked_vs_step_cases(), "gla")),
                         CaseVariantName());

// gla_step on a forced variant vs gla_step_ref; here T is unused (one token), K-term reductions.
class GlaStep : public ::testing::TestWithParam<GlaParam> {};

TEST_P(GlaStep, MatchesReference) {
    const GlaParam &p = GetParam();
    const GlaCase &c = p.c;
    if (const std::string why = skip_reason(p.variant); !why.empty()) {
        GTEST_SKIP() << p.variant.forced() << ": " << why;
    }
    Rng rng(seed_of(c.name()));
    const auto q = rng.normal(c.B * c.H * c.K), k = rng.normal(c.B * c.H * c.K, 0.0, 1.0 / std::sqrt(double(c.K)));
    const auto v = rng.normal(c.B * c.H * c.V), g = gates(rng, c.B * c.H * c.K, c.gates);
    const auto s0 = rng.normal(c.B * c.H * c.K * c.V);
    const Backend be = p.variant.backend;
    auto strides = [&](const std::vector<int64_t> &s) { return c.strided ? padded_strides(s, 3) : contiguous_strides(s); };
    const std::vector<int64_t> qs{c.B, c.H, c.K}, vs{c.B, c.H, c.V}, ss{c.B, c.H, c.K, c.V};
    Buffer qb(be, qs, strides(qs)), kb(be, qs, strides(qs)), gb(be, qs, strides(qs)), vb(be, vs, strides(vs));
    Buffer sb(be, ss, strides(ss)), ob(be, vs, strides(vs)), nb(be, ss, strides(ss));
    qb.upload(q), kb.upload(k), gb.upload(g), vb.upload(v), sb.upload(s0);
    if (!run_forced([&] {
            seqmix::gla_step(qb.tensor(), kb.tensor(), vb.tensor(), gb.tensor(), sb.tensor(), ob.tensor(),
                             nb.tensor(), options_for(c, p.variant.forced()));
        })) {
        return;
    }
    EXPECT_EQ(seqmix::last_variant(), p.variant.forced());
    const ref::GlaResult r = ref::gla_step_ref(to_double(q), to_double(k), to_double(v), to_double(g), to_double(s0),
                                               c.B, c.H, c.K, c.V, scale_of(c));
    expect_step_outputs(c, ob, nb, sb, s0, r, kStepBase);
}

std::vector<GlaCase> step_cases() {
    std::vector<GlaCase> cs = {shape(3, 1, 2, 64, 48), shape(1, 1, 1, 64, 64), shape(2, 1, 4, 60, 48),
                               shape(1, 1, 2, 16, 16), shape(3, 1, 2, 64, 48, Gates::near0),
                               shape(3, 1, 2, 64, 48, Gates::near1)};
    GlaCase c = shape(3, 1, 2, 64, 48);
    c.scale = 0.5f;
    cs.push_back(c);
    c = shape(3, 1, 2, 64, 48);
    c.strided = true;
    cs.push_back(c);
    return cs;
}

SEQMIX_ALLOW_NO_VARIANTS(GlaStep);
INSTANTIATE_TEST_SUITE_P(Shapes, GlaStep, ::testing::ValuesIn(cross(step_cases(), "gla_step")), CaseVariantName());

// CUDA kernels run on options.stream: q is zeroed by an asynchronous memset queued on a
// non-blocking stream, then gla_step is called on that stream; in stream order the kernel must
// see the zeros (o == 0), and the state update must still be right.
TEST(GlaStepCuda, RunsOnTheCallersStream) {
#ifndef SEQMIX_TEST_CUDA
    GTEST_SKIP() << "built without the CUDA runtime in tests";
#else
    if (!seqmix::cuda_available()) GTEST_SKIP() << "no CUDA device on this host";
    const int64_t B = 4, H = 2, K = 64, V = 32;
    Rng rng(seed_of("stream"));
    const auto q = rng.normal(B * H * K), k = rng.normal(B * H * K, 0.0, 0.125), v = rng.normal(B * H * V);
    const auto g = gates(rng, B * H * K, Gates::normal), s0 = rng.normal(B * H * K * V);
    const std::vector<double> zeros(B * H * K, 0.0);
    const ref::GlaResult r = ref::gla_step_ref(zeros, to_double(k), to_double(v), to_double(g), to_double(s0), B, H, K,
                                               V, 1.0 / std::sqrt(double(K)));
    cudaStream_t stream = nullptr;
    ASSERT_EQ(cudaStreamCreateWithFlags(&stream, cudaStreamNonBlocking), cudaSuccess);
    int ran = 0;
    for (const Variant &variant : variants_of("gla_step")) {
        if (variant.backend != Backend::cuda || !skip_reason(variant).empty()) continue;
        SCOPED_TRACE(variant.forced());
        const std::vector<int64_t> qs{B, H, K}, vs{B, H, V}, ss{B, H, K, V};
        Buffer qb(Backend::cuda, qs), kb(Backend::cuda, qs), gb(Backend::cuda, qs), vb(Backend::cuda, vs);
        Buffer sb(Backend::cuda, ss), ob(Backend::cuda, vs), nb(Backend::cuda, ss);
        qb.upload(q), kb.upload(k), gb.upload(g), vb.upload(v), sb.upload(s0);
        ASSERT_EQ(cudaMemsetAsync(qb.tensor().data, 0, sizeof(float) * B * H * K, stream), cudaSuccess);
        seqmix::GlaOptions options;
        options.stream = stream;
        options.variant = variant.forced();
        seqmix::gla_step(qb.tensor(), kb.tensor(), vb.tensor(), gb.tensor(), sb.tensor(), ob.tensor(), nb.tensor(),
                         options);
        ASSERT_EQ(cudaStreamSynchronize(stream), cudaSuccess);
        EXPECT_TRUE(close("o", ob.download(), r.o, vs, fp32_tolerance(kStepBase, 1, r.o)));
        EXPECT_TRUE(close("new_state", nb.download(), r.final_state, ss, fp32_tolerance(kStepBase, 1, r.final_state)));
        ran++;
    }
    cudaStreamDestroy(stream);
    if (ran == 0) GTEST_SKIP() << "no runnable CUDA variant of gla_step";
#endif
}

// The CPU kernels flush denormal results to zero (runtime/src/call_context.h, ScopedFlushDenormals):
// k v^T = 1e-40 is a denormal, so new_state and o come back exactly 0 (the float64 value, 1e-40,
// is far inside any tolerance); without the flush they hold ~1e-40. Heads on Halide's worker
// threads and the calling thread alike, and the caller's own mode is left as it was.
TEST(GlaStepCpu, DenormalResultsFlushToZeroAndTheCallersModeIsKept) {
    const int64_t B = 4, H = 8, K = 16, V = 16;
    std::vector<float> q(B * H * K, 1.0f), k(B * H * K, 1e-20f), v(B * H * V, 1e-20f), g(B * H * K, 0.0f);
    std::vector<float> s0(B * H * K * V, 0.0f), o(B * H * V, 1.0f), ns(B * H * K * V, 1.0f);
    const unsigned mode = _mm_getcsr();
    seqmix::gla_step(Tensor::contiguous(q.data(), {B, H, K}), Tensor::contiguous(k.data(), {B, H, K}),
                     Tensor::contiguous(v.data(), {B, H, V}), Tensor::contiguous(g.data(), {B, H, K}),
                     Tensor::contiguous(s0.data(), {B, H, K, V}), Tensor::contiguous(o.data(), {B, H, V}),
                     Tensor::contiguous(ns.data(), {B, H, K, V}));
    EXPECT_EQ(_mm_getcsr(), mode) << "the call changed the caller's floating-point mode";
    EXPECT_EQ(std::count(ns.begin(), ns.end(), 0.0f), B * H * K * V) << "denormal state entries not flushed";
    EXPECT_EQ(std::count(o.begin(), o.end(), 0.0f), B * H * V) << "denormal outputs not flushed";
}

TEST(GlaVariants, CpuDefaultIsBuilt) {
    expect_cpu_default_built({"gla", "gla_step"});
}

}  // namespace
}  // namespace seqmix::test
