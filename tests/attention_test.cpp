// Softmax attention (MIXERS.md, "Softmax attention family", causal attention): every built variant
// of `attention` that this host can run, against the float64 reference tests/reference/attention.cpp.
//
// Tolerances (fp32 inputs, fp32 accumulation, online softmax in tiles): a score is a K-term fp32
// dot product, the output a weighted sum over up to S keys, both reassociated by the tiling, and
// exp is fp32. With u = 2^-24 the observed rel-RMS of such kernels is ~1e-6..1e-5; we allow 2e-5
// for S <= 64, growing with sqrt(S / 64) (random-walk growth of rounding error over the S-term
// sums; see fp32_tolerance), i.e. 8e-5 at S = 1000 and 1.6e-4 at S = 4096. lse = m + log(sum) is
// checked with the same bound: its error is u |m| plus the relative error of the sum.
#include "reference/attention.h"
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

struct AttnCase {
    int64_t B = 1, T = 1, S = 1, H = 1, Hkv = 1, K = 1, V = 1;
    bool causal = true;
    int64_t window = 0;
    std::optional<float> scale;  // unset: the default 1/sqrt(K)
    bool strided = false;        // padded outer strides for every input and output
    bool with_lse = true;

    std::string name() const {
        std::string n = "B" + std::to_string(B) + "_T" + std::to_string(T);
        if (S != T) n += "_S" + std::to_string(S);
        n += "_H" + std::to_string(H);
        if (Hkv != H) n += "_Hkv" + std::to_string(Hkv);
        n += "_K" + std::to_string(K) + "_V" + std::to_string(V);
        if (!causal) n += "_noncausal";
        if (window > 0) n += "_W" + std::to_string(window);
        if (scale) n += "_scale" + identifier(std::to_string(*scale).substr(0, 5));
        if (strided) n += "_strided";
        if (!with_lse) n += "_nolse";
        return n;
    }
};

AttnCase gqa(int64_t B, int64_t T, int64_t S, int64_t H, int64_t Hkv, int64_t K, int64_t V) {
    AttnCase c;
    c.B = B, c.T = T, c.S = S, c.H = H, c.Hkv = Hkv, c.K = K, c.V = V;
    return c;
}

AttnCase mha(int64_t B, int64_t T, int64_t S, int64_t H, int64_t K, int64_t V) {
    return gqa(B, T, S, H, H, K, V);
}

// Runs one case on one forced variant and compares o and lse with the reference.
void check_attention(const AttnCase &c, const Variant &variant) {
    Rng rng(seed_of(c.name()));
    const std::vector<float> q = rng.normal(c.B * c.T * c.H * c.K);
    const std::vector<float> k = rng.normal(c.B * c.S * c.Hkv * c.K);
    const std::vector<float> v = rng.normal(c.B * c.S * c.Hkv * c.V);

    const Backend be = variant.backend;
    auto strides = [&](const std::vector<int64_t> &shape) {
        return c.strided ? padded_strides(shape, 5) : contiguous_strides(shape);
    };
    const std::vector<int64_t> qs{c.B, c.T, c.H, c.K}, ks{c.B, c.S, c.Hkv, c.K}, vs{c.B, c.S, c.Hkv, c.V};
    const std::vector<int64_t> os{c.B, c.T, c.H, c.V}, ls{c.B, c.H, c.T};
    Buffer qb(be, qs, strides(qs)), kb(be, ks, strides(ks)), vb(be, vs, strides(vs));
    Buffer ob(be, os, strides(os)), lb(be, ls, strides(ls));
    qb.upload(q);
    kb.upload(k);
    vb.upload(v);

    AttentionOptions opt;
    opt.variant = variant.forced();
    opt.causal = c.causal;
    opt.window = c.window;
    opt.scale = c.scale;
    const std::optional<Tensor> lse = c.with_lse ? std::optional<Tensor>(lb.tensor()) : std::nullopt;
    if (!run_forced([&] { seqmix::attention(qb.tensor(), kb.tensor(), vb.tensor(), ob.tensor(), lse, opt); })) {
        return;  // this bucket's condition does not hold for this shape: not run (see variants.h)
    }
    EXPECT_EQ(seqmix::last_variant(), variant.forced());

    const double scale = c.scale ? double(*c.scale) : 1.0 / std::sqrt(double(c.K));
    const ref::AttentionResult r = ref::attention_ref(to_double(q), to_double(k), to_double(v), c.B, c.T, c.S, c.H,
                                                      c.Hkv, c.K, c.V, scale, c.causal, c.window);
    const std::vector<float> o = ob.download();
    EXPECT_TRUE(close("o", o, r.o, os, fp32_tolerance(2e-5, c.S, r.o)));
    if (c.with_lse) {
        EXPECT_TRUE(close("lse", lb.download(), r.lse, ls, fp32_tolerance(2e-5, c.S, r.lse)));
    }
    // A row with no allowed key is exactly 0 (not a 0/0 NaN, not a stale value).
    for (int64_t b = 0; b < c.B; b++)
        for (int64_t h = 0; h < c.H; h++)
            for (int64_t t = 0; t < c.T; t++) {
                if (std::isfinite(r.lse[(b * c.H + h) * c.T + t])) continue;
                for (int64_t j = 0; j < c.V; j++) {
                    const float x = o[((b * c.T + t) * c.H + h) * c.V + j];
                    ASSERT_EQ(x, 0.0f) << "o[" << b << "," << t << "," << h << "," << j << "] of an empty row";
                }
            }
    if (c.strided) {
        EXPECT_TRUE(ob.padding_untouched()) << "attention wrote into o's padding (outside the view)";
        EXPECT_TRUE(lb.padding_untouched()) << "attention wrote into lse's padding (outside the view)";
    }
}

using AttnParam = CaseVariant<AttnCase>;

class Attention : public ::testing::TestWithParam<AttnParam> {};

TEST_P(Attention, MatchesReference) {
    const AttnParam &p = GetParam();
    if (const std::string why = skip_reason(p.variant); !why.empty()) {
        GTEST_SKIP() << p.variant.forced() << ": " << why;
    }
    check_attention(p.c, p.variant);
}

std::vector<AttnCase> attention_cases() {
    std::vector<AttnCase> cs;
    cs.push_back(mha(1, 1, 1, 2, 64, 64));       // T = S = 1
    cs.push_back(mha(2, 1, 100, 2, 64, 64));     // one query (decode-like), sees all 100 keys
    cs.push_back(mha(2, 63, 63, 2, 64, 64));     // one short tile
    cs.push_back(mha(1, 64, 64, 1, 64, 64));     // exactly one tile
    cs.push_back(mha(1, 65, 65, 3, 64, 64));     // one past a tile
    cs.push_back(mha(1, 1000, 1000, 2, 64, 64)); // not a multiple of 64
    cs.push_back(mha(1, 17, 100, 2, 64, 64));    // S > T: bottom-right alignment
    cs.push_back(mha(2, 10, 4, 2, 64, 64));      // T > S: rows t < 6 see no key (o = 0, lse = -inf)
    cs.push_back(gqa(2, 63, 63, 8, 2, 64, 64));     // GQA
    cs.push_back(gqa(1, 63, 100, 4, 1, 64, 64));    // MQA, S > T
    cs.push_back(mha(1, 64, 64, 2, 64, 32));     // K != V
    cs.push_back(mha(1, 63, 63, 2, 60, 60));     // head dim not a power of two
    cs.push_back(mha(1, 37, 50, 2, 60, 44));     // both odd-ish and K != V
    cs.push_back(mha(1, 17, 17, 1, 128, 128));   // large head dim
    cs.push_back(mha(1, 300, 300, 2, 128, 128)); // K = V = 128 (CUDA bucket d128): not a multiple of a tile
    cs.push_back(gqa(1, 50, 130, 4, 2, 128, 128));  // ... GQA, S > T
    {
        AttnCase c = mha(1, 100, 100, 2, 64, 64);
        c.window = 16;
        cs.push_back(c);
        c = mha(1, 63, 63, 2, 64, 64);
        c.window = 1;  // each query sees only its own key: o[t] = v[t]
        cs.push_back(c);
        c = mha(1, 17, 100, 2, 64, 64);
        c.window = 16;  // window with S > T
        cs.push_back(c);
        c = mha(1, 20, 8, 2, 64, 64);
        c.window = 4;  // window with T > S: empty rows and partial windows
        cs.push_back(c);
        c = gqa(1, 200, 200, 4, 2, 64, 64);
        c.window = 64;  // GQA + window spanning tile boundaries
        cs.push_back(c);
    }
    for (auto [T, S] : {std::pair<int64_t, int64_t>{63, 63}, {17, 100}, {100, 17}}) {
        AttnCase c = mha(1, T, S, 2, 64, 64);
        c.causal = false;
        cs.push_back(c);
    }
    {
        AttnCase c = mha(1, 63, 63, 2, 64, 64);
        c.scale = 0.3f;
        cs.push_back(c);
        c.scale = 2.0f;  // scores ~N(0, 32): the softmax must subtract its running max
        cs.push_back(c);
    }
    {
        AttnCase c = gqa(2, 63, 70, 4, 2, 64, 32);
        c.strided = true;  // non-contiguous outer dims of q, k, v, o and lse
        cs.push_back(c);
        c = mha(1, 63, 63, 2, 64, 64);
        c.with_lse = false;  // lse is optional
        cs.push_back(c);
    }
    return cs;
}

SEQMIX_ALLOW_NO_VARIANTS(Attention);
INSTANTIATE_TEST_SUITE_P(Shapes, Attention, ::testing::ValuesIn(cross(attention_cases(), "attention")),
                         CaseVariantName());

// Long sequences: excluded from the sanitizer build with --gtest_filter=-*Long*.
class AttentionLong : public ::testing::TestWithParam<AttnParam> {};

TEST_P(AttentionLong, MatchesReference) {
    const AttnParam &p = GetParam();
    if (const std::string why = skip_reason(p.variant); !why.empty()) {
        GTEST_SKIP() << p.variant.forced() << ": " << why;
    }
    check_attention(p.c, p.variant);
}

std::vector<AttnCase> attention_long_cases() {
    AttnCase full = mha(1, 4096, 4096, 1, 64, 64);
    AttnCase windowed = full;
    windowed.window = 256;
    return {full, windowed};
}

SEQMIX_ALLOW_NO_VARIANTS(AttentionLong);
INSTANTIATE_TEST_SUITE_P(Shapes, AttentionLong, ::testing::ValuesIn(cross(attention_long_cases(), "attention")),
                         CaseVariantName());

// The build must hold at least the default variant of one CPU target, so that the sweep above is
// never silently empty.
TEST(AttentionVariants, CpuDefaultIsBuilt) {
    expect_cpu_default_built({"attention"});
}

// Without forcing, the dispatcher picks a built variant and the result is still right.
TEST(AttentionDispatch, UnforcedCallMatchesReference) {
    const AttnCase c = gqa(1, 63, 80, 4, 2, 64, 48);
    Rng rng(seed_of(c.name()));
    const auto q = rng.normal(c.B * c.T * c.H * c.K), k = rng.normal(c.B * c.S * c.Hkv * c.K),
               v = rng.normal(c.B * c.S * c.Hkv * c.V);
    Buffer qb(Backend::cpu, {c.B, c.T, c.H, c.K}), kb(Backend::cpu, {c.B, c.S, c.Hkv, c.K}),
        vb(Backend::cpu, {c.B, c.S, c.Hkv, c.V}), ob(Backend::cpu, {c.B, c.T, c.H, c.V});
    qb.upload(q);
    kb.upload(k);
    vb.upload(v);
    seqmix::attention(qb.tensor(), kb.tensor(), vb.tensor(), ob.tensor());
    const auto r = ref::attention_ref(to_double(q), to_double(k), to_double(v), c.B, c.T, c.S, c.H, c.Hkv, c.K, c.V,
                                      1.0 / std::sqrt(double(c.K)), true, 0);
    EXPECT_TRUE(close("o", ob.download(), r.o, ob.shape(), fp32_tolerance(2e-5, c.S, r.o)));
    bool known = false;
    for (const Variant &v : variants_of("attention")) known = known || v.forced() == seqmix::last_variant();
    EXPECT_TRUE(known) << "last_variant() = '" << seqmix::last_variant() << "' is not a built attention variant";
}

}  // namespace
}  // namespace seqmix::test
