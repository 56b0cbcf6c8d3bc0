// Decode attention, split-K (MIXERS.md, "decode attention"): every built variant of
// `decode_attention` this host can run, against the float64 softmax of
// tests/reference/decode_attention.cpp (no partitions), with ragged lengths in one batch: full
// cache, partition-boundary lengths, length 1, and lengths below Tq (queries with no visible key:
// o = 0, lse = -inf).
//
// Tolerances: each output is a softmax over <= L keys of K-term fp32 dot products, with fp32 exp,
// combined exactly over partitions: 5e-6 rel-RMS for L <= 64 growing like sqrt(L / 64), as the
// attention tests argue (tests/metrics.h); lse to the same bound (its error is that of one log-sum).
#include "reference/decode_attention.h"
#include "support/device.h"
#include "support/metrics.h"
#include "support/random.h"
#include "support/variants.h"

#include <seqmix/seqmix.h>

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <optional>
#include <string>
#include <vector>


namespace seqmix::test {
namespace {

constexpr double kBase = 5e-6;

struct DecodeCase {
    int64_t B = 1, Tq = 1, L = 1, H = 1, Hkv = 1, K = 64, V = 64;
    std::vector<int32_t> lens;  // empty: all L
    std::optional<float> scale;
    bool strided = false;

    std::string name() const {
        std::string n = "B" + std::to_string(B) + "_Tq" + std::to_string(Tq) + "_L" + std::to_string(L) + "_H" +
                        std::to_string(H) + "_Hkv" + std::to_string(Hkv) + "_K" + std::to_string(K) + "_V" +
                        std::to_string(V);
        if (!lens.empty()) {
            n += "_lens";
            for (int32_t l : lens) n += "_" + std::to_string(l);
        }
        if (scale) n += "_scale";
        if (strided) n += "_strided";
        return n;
    }
    std::vector<int32_t> lengths() const { return lens.empty() ? std::vector<int32_t>(B, int32_t(L)) : lens; }
};

DecodeCase shape(int64_t B, int64_t Tq, int64_t L, int64_t H, int64_t Hkv, int64_t K, int64_t V,
                 std::vector<int32_t> lens = {}) {
    DecodeCase c;
    c.B = B, c.Tq = Tq, c.L = L, c.H = H, c.Hkv = Hkv, c.K = K, c.V = V, c.lens = std::move(lens);
    return c;
}

// lens lives on the variant's device, as the API requires: a float Buffer reinterpreted as i32.
Tensor lens_tensor(const Buffer &b) {
    Tensor t = b.tensor();
    t.dtype = DType::i32;
    return t;
}
std::vector<float> lens_bits(const std::vector<int32_t> &lens) {
    std::vector<float> out(lens.size());
    std::memcpy(out.data(), lens.data(), lens.size() * sizeof(int32_t));
    return out;
}

using DecodeParam = CaseVariant<DecodeCase>;

void check_decode(const DecodeCase &c, const Variant &variant) {
    Rng rng(seed_of(c.name()));
    const auto q = rng.normal(c.B * c.Tq * c.H * c.K), k = rng.normal(c.B * c.L * c.Hkv * c.K);
    const auto v = rng.normal(c.B * c.L * c.Hkv * c.V);
    const Backend be = variant.backend;
    auto st = [&](const std::vector<int64_t> &s) { return c.strided ? padded_strides(s, 3) : contiguous_strides(s); };
    const std::vector<int64_t> qs{c.B, c.Tq, c.H, c.K}, ks{c.B, c.L, c.Hkv, c.K}, vs{c.B, c.L, c.Hkv, c.V};
    const std::vector<int64_t> os{c.B, c.Tq, c.H, c.V}, ls{c.B, c.H, c.Tq};
    Buffer qb(be, qs, st(qs)), kb(be, ks, st(ks)), vb(be, vs, st(vs)), ob(be, os, st(os)), lb(be, ls, st(ls));
    Buffer lens(be, {c.B});
    qb.upload(q), kb.upload(k), vb.upload(v), lens.upload(lens_bits(c.lengths()));
    DecodeAttentionOptions opt;
    opt.variant = variant.forced();
    opt.scale = c.scale;
    if (!run_forced([&] {
            seqmix::decode_attention(qb.tensor(), kb.tensor(), vb.tensor(), lens_tensor(lens), ob.tensor(), lb.tensor(),
                                     opt);
        })) {
        return;
    }
    EXPECT_EQ(seqmix::last_variant(), variant.forced());
    const double scale = c.scale ? double(*c.scale) : 1.0 / std::sqrt(double(c.K));
    const ref::DecodeResult r = ref::decode_attention_ref(to_double(q), to_double(k), to_double(v), c.lengths(), c.B,
                                                          c.Tq, c.L, c.H, c.Hkv, c.K, c.V, scale);
    EXPECT_TRUE(close("o", ob.download(), r.o, os, fp32_tolerance(kBase, c.L, r.o)));
    EXPECT_TRUE(close("lse", lb.download(), r.lse, ls, fp32_tolerance(kBase, c.L, r.lse)));
    if (c.strided) EXPECT_TRUE(ob.padding_untouched()) << "decode_attention wrote into o's padding";
}

class DecodeAttention : public ::testing::TestWithParam<DecodeParam> {};

TEST_P(DecodeAttention, MatchesReference) {
    const DecodeParam &p = GetParam();
    if (const std::string why = skip_reason(p.variant); !why.empty()) GTEST_SKIP() << p.variant.forced() << ": " << why;
    check_decode(p.c, p.variant);
}

std::vector<DecodeCase> decode_cases() {
    std::vector<DecodeCase> cs = {
        shape(1, 1, 1, 1, 1, 64, 64),                                 // one key
        shape(2, 1, 100, 8, 2, 64, 48),                               // GQA, K != V
        shape(3, 1, 1100, 4, 4, 32, 32, {1100, 513, 1}),              // ragged: full, past a boundary, 1
        shape(4, 4, 700, 4, 1, 60, 40, {700, 3, 4, 129}),             // Tq = 4, lens < Tq, == Tq; MQA
        shape(2, 8, 1030, 8, 2, 64, 64, {1030, 1024}),                // Tq = 8 at partition-multiple lengths
        shape(2, 3, 257, 6, 3, 16, 24, {0, 257}),                     // an empty sequence
        shape(1, 2, 2100, 4, 2, 128, 128, {2049}),                    // K = V = 128, Lmax > len
    };
    DecodeCase c = shape(2, 2, 300, 4, 2, 64, 32, {300, 150});
    c.scale = 0.3f;
    cs.push_back(c);
    c = shape(2, 2, 90, 4, 2, 32, 32, {90, 45});
    c.strided = true;
    cs.push_back(c);
    return cs;
}

SEQMIX_ALLOW_NO_VARIANTS(DecodeAttention);
INSTANTIATE_TEST_SUITE_P(Shapes, DecodeAttention, ::testing::ValuesIn(cross(decode_cases(), "decode_attention")),
                         CaseVariantName());

class DecodeAttentionLong : public ::testing::TestWithParam<DecodeParam> {};

TEST_P(DecodeAttentionLong, MatchesReference) {
    const DecodeParam &p = GetParam();
    if (const std::string why = skip_reason(p.variant); !why.empty()) GTEST_SKIP() << p.variant.forced() << ": " << why;
    check_decode(p.c, p.variant);
}

SEQMIX_ALLOW_NO_VARIANTS(DecodeAttentionLong);
INSTANTIATE_TEST_SUITE_P(Shapes, DecodeAttentionLong,
                         ::testing::ValuesIn(cross(std::vector<DecodeCase>{shape(2, 1, 20000, 4, 1, 64, 64,
                                                                                 {20000, 9001}),
                                                                           shape(2, 1, 70000, 4, 1, 64, 64,
                                                                                 {70000, 33333})},
                                                   "decode_attention")),
                         CaseVariantName());

}  // namespace
}  // namespace seqmix::test
