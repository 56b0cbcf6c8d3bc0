// Checks of the float64 references themselves, against independent formulas (so that a kernel
// test failure means the kernel, not the reference). Needs no seqmix runtime.
#include "reference/attention.h"
#include "reference/gla.h"
#include "reference/monarch.h"
#include "reference/scalar_decay.h"
#include "reference/ssd.h"
#include "reference/token_mix.h"
#include "support/metrics.h"
#include "support/random.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace seqmix::test {
namespace {

using ref::attention_ref;
using ref::gla_ref;
using ref::gla_step_ref;

std::vector<double> normal(uint64_t seed, int64_t n) {
    Rng rng(seed);
    return to_double(rng.normal(n));
}

double max_diff(const std::vector<double> &a, const std::vector<double> &b) {
    EXPECT_EQ(a.size(), b.size());
    double m = 0;
    for (size_t i = 0; i < a.size() && i < b.size(); i++) {
        m = std::max(m, std::abs(a[i] - b[i]));
    }
    return m;
}

// With g = 0, GLA is linear attention: o_t = scale * sum_{s<=t} (q_t . k_s) v_s.
TEST(ReferenceGla, ZeroGateIsLinearAttention) {
    const int64_t B = 2, T = 23, H = 2, K = 5, V = 3;
    const double scale = 0.37;
    const auto q = normal(1, B * T * H * K), k = normal(2, B * T * H * K), v = normal(3, B * T * H * V);
    const std::vector<double> g(B * T * H * K, 0.0);
    const auto r = gla_ref(q, k, v, g, {}, B, T, H, K, V, scale);
    std::vector<double> expected(B * T * H * V, 0.0);
    for (int64_t b = 0; b < B; b++)
        for (int64_t h = 0; h < H; h++)
            for (int64_t t = 0; t < T; t++)
                for (int64_t s = 0; s <= t; s++) {
                    double dot = 0;
                    for (int64_t i = 0; i < K; i++) dot += q[((b * T + t) * H + h) * K + i] * k[((b * T + s) * H + h) * K + i];
                    for (int64_t j = 0; j < V; j++)
                        expected[((b * T + t) * H + h) * V + j] += scale * dot * v[((b * T + s) * H + h) * V + j];
                }
    EXPECT_LT(max_diff(r.o, expected), 1e-12);
}

// The unrolled recurrence with gates: o_t[j] = scale * sum_{s<=t} sum_i q_t[i] k_s[i]
// exp(sum_{r=s+1..t} g_r[i]) v_s[j] + scale * sum_i q_t[i] exp(sum_{r<=t} g_r[i]) S0[i][j].
TEST(ReferenceGla, GatedMatchesUnrolledSum) {
    const int64_t B = 1, T = 19, H = 2, K = 4, V = 3;
    const double scale = 0.5;
    Rng grng(4);
    const auto q = normal(1, B * T * H * K), k = normal(2, B * T * H * K), v = normal(3, B * T * H * V);
    const auto g = to_double(gates(grng, B * T * H * K, Gates::normal));
    const auto s0 = normal(5, B * H * K * V);
    const auto r = gla_ref(q, k, v, g, s0, B, T, H, K, V, scale);
    auto G = [&](int64_t from, int64_t to, int64_t h, int64_t i) {  // sum_{r=from..to} g_r[i]
        double acc = 0;
        for (int64_t t = from; t <= to; t++) acc += g[(t * H + h) * K + i];
        return acc;
    };
    for (int64_t h = 0; h < H; h++)
        for (int64_t t = 0; t < T; t++)
            for (int64_t j = 0; j < V; j++) {
                double o = 0;
                for (int64_t i = 0; i < K; i++) {
                    const double qi = q[(t * H + h) * K + i];
                    o += qi * std::exp(G(0, t, h, i)) * s0[(h * K + i) * V + j];
                    for (int64_t s = 0; s <= t; s++)
                        o += qi * k[(s * H + h) * K + i] * std::exp(G(s + 1, t, h, i)) * v[(s * H + h) * V + j];
                }
                EXPECT_NEAR(r.o[(t * H + h) * V + j], scale * o, 1e-12) << "t=" << t << " h=" << h << " j=" << j;
            }
}

TEST(ReferenceGla, StepAndSplitAgreeWithOneCall) {
    const int64_t B = 2, T = 11, H = 2, K = 4, V = 5;
    Rng grng(9);
    const auto q = normal(1, B * T * H * K), k = normal(2, B * T * H * K), v = normal(3, B * T * H * V);
    const auto g = to_double(gates(grng, B * T * H * K, Gates::normal));
    const auto whole = gla_ref(q, k, v, g, {}, B, T, H, K, V, 0.5);
    std::vector<double> state(B * H * K * V, 0.0);
    for (int64_t t = 0; t < T; t++) {
        auto token = [&](const std::vector<double> &x, int64_t D) {
            std::vector<double> out;
            for (int64_t b = 0; b < B; b++)
                out.insert(out.end(), x.begin() + ((b * T + t) * H) * D, x.begin() + ((b * T + t + 1) * H) * D);
            return out;
        };
        const auto r = gla_step_ref(token(q, K), token(k, K), token(v, V), token(g, K), state, B, H, K, V, 0.5);
        state = r.final_state;
        EXPECT_LT(max_diff(r.o, token(whole.o, V)), 1e-12) << "t=" << t;
    }
    EXPECT_LT(max_diff(state, whole.final_state), 1e-12);
}

// One allowed key: softmax weight 1, o = v, lse = scale * q.k.
TEST(ReferenceAttention, OneKeyGivesV) {
    const int64_t B = 2, T = 3, S = 1, H = 4, Hkv = 2, K = 6, V = 5;
    const double scale = 0.7;
    const auto q = normal(1, B * T * H * K), k = normal(2, B * S * Hkv * K), v = normal(3, B * S * Hkv * V);
    const auto r = attention_ref(q, k, v, B, T, S, H, Hkv, K, V, scale, /*causal=*/false, 0);
    for (int64_t b = 0; b < B; b++)
        for (int64_t t = 0; t < T; t++)
            for (int64_t h = 0; h < H; h++) {
                const int64_t hk = h / (H / Hkv);
                double dot = 0;
                for (int64_t i = 0; i < K; i++) dot += q[((b * T + t) * H + h) * K + i] * k[(b * Hkv + hk) * K + i];
                EXPECT_NEAR(r.lse[(b * H + h) * T + t], scale * dot, 1e-12);
                for (int64_t j = 0; j < V; j++)
                    EXPECT_NEAR(r.o[((b * T + t) * H + h) * V + j], v[(b * Hkv + hk) * V + j], 1e-12);
            }
}

// Window 1 with T == S: each query sees only its own key, so o[t] = v[t].
TEST(ReferenceAttention, WindowOneIsIdentity) {
    const int64_t B = 1, T = 9, H = 2, K = 4, V = 3;
    const auto q = normal(1, B * T * H * K), k = normal(2, B * T * H * K), v = normal(3, B * T * H * V);
    const auto r = attention_ref(q, k, v, B, T, T, H, H, K, V, 0.5, true, 1);
    EXPECT_LT(max_diff(r.o, v), 1e-12);
}

// Causal with T > S: rows t < T - S see no key.
TEST(ReferenceAttention, EmptyRowsAreZeroAndMinusInf) {
    const int64_t B = 1, T = 10, S = 4, H = 1, K = 4, V = 3;
    const auto q = normal(1, B * T * H * K), k = normal(2, B * S * H * K), v = normal(3, B * S * H * V);
    const auto r = attention_ref(q, k, v, B, T, S, H, H, K, V, 0.5, true, 0);
    for (int64_t t = 0; t < T; t++) {
        const bool empty = t < T - S;
        EXPECT_EQ(std::isinf(r.lse[t]) && r.lse[t] < 0, empty) << "t=" << t;
        if (empty) {
            for (int64_t j = 0; j < V; j++) EXPECT_EQ(r.o[t * V + j], 0.0);
        }
    }
    // the last row sees all keys: it equals the non-causal last row
    const auto nc = attention_ref(q, k, v, B, T, S, H, H, K, V, 0.5, false, 0);
    EXPECT_NEAR(r.lse[T - 1], nc.lse[T - 1], 1e-12);
}

// lse and o against the textbook formula, with scores large enough (scale 30) that exp without
// the max subtraction would overflow a double.
TEST(ReferenceAttention, LargeScoresStayFiniteAndMatchFormula) {
    const int64_t T = 5, S = 7, K = 8, V = 2;
    const double scale = 30.0;
    const auto q = normal(1, T * K), k = normal(2, S * K), v = normal(3, S * V);
    const auto r = attention_ref(q, k, v, 1, T, S, 1, 1, K, V, scale, true, 3);
    for (int64_t t = 0; t < T; t++) {
        std::vector<double> sc;
        std::vector<int64_t> keys;
        for (int64_t s = 0; s < S; s++) {
            if (s <= t + (S - T) && s > t + (S - T) - 3) {
                double dot = 0;
                for (int64_t i = 0; i < K; i++) dot += q[t * K + i] * k[s * K + i];
                sc.push_back(scale * dot);
                keys.push_back(s);
            }
        }
        ASSERT_EQ(keys.size(), 3u);
        const double m = *std::max_element(sc.begin(), sc.end());
        double z = 0;
        for (double x : sc) z += std::exp(x - m);
        EXPECT_NEAR(r.lse[t], m + std::log(z), 1e-9 * std::max(1.0, std::abs(m)));
        for (int64_t j = 0; j < V; j++) {
            double o = 0;
            for (size_t n = 0; n < keys.size(); n++) o += std::exp(sc[n] - m) / z * v[keys[n] * V + j];
            EXPECT_NEAR(r.o[t * V + j], o, 1e-12);
            EXPECT_TRUE(std::isfinite(r.o[t * V + j]));
        }
    }
}

// GQA equals MHA with each kv head repeated H / Hkv times.
TEST(ReferenceAttention, GqaEqualsRepeatedKv) {
    const int64_t B = 1, T = 6, S = 8, H = 6, Hkv = 2, K = 4, V = 3;
    const auto q = normal(1, B * T * H * K), k = normal(2, B * S * Hkv * K), v = normal(3, B * S * Hkv * V);
    std::vector<double> k2, v2;
    for (int64_t s = 0; s < S; s++)
        for (int64_t h = 0; h < H; h++) {
            const int64_t hk = h / (H / Hkv);
            k2.insert(k2.end(), k.begin() + (s * Hkv + hk) * K, k.begin() + (s * Hkv + hk + 1) * K);
            v2.insert(v2.end(), v.begin() + (s * Hkv + hk) * V, v.begin() + (s * Hkv + hk + 1) * V);
        }
    const auto a = attention_ref(q, k, v, B, T, S, H, Hkv, K, V, 0.5, true, 0);
    const auto b = attention_ref(q, k2, v2, B, T, S, H, H, K, V, 0.5, true, 0);
    EXPECT_EQ(a.o, b.o);
    EXPECT_EQ(a.lse, b.lse);
}

// The error metrics: -inf in the reference must be matched exactly, NaN always fails.
TEST(SupportMetrics, NonFiniteHandling) {
    const double inf = std::numeric_limits<double>::infinity();
    const std::vector<double> expected = {1.0, -inf, 2.0};
    EXPECT_TRUE(close("lse", {1.0f, -std::numeric_limits<float>::infinity(), 2.0f}, expected, {3}, {1e-6, 1e-6}));
    EXPECT_FALSE(close("lse", {1.0f, 0.0f, 2.0f}, expected, {3}, {1e-6, 1e-6}));
    EXPECT_FALSE(close("lse", {1.0f, -std::numeric_limits<float>::infinity(), NAN}, expected, {3}, {1e-6, 1e-6}));
    const ErrorStats s = compare({1.0f, 0.0f, 2.5f}, {1.0, 0.0, 2.0});
    EXPECT_NEAR(s.rel_rms, 0.5 / std::sqrt(5.0), 1e-12);
    EXPECT_EQ(s.max_abs, 0.5);
    EXPECT_EQ(s.worst, 2);
}

TEST(SupportRandom, GatesInTheirRanges) {
    Rng rng(7);
    for (float g : gates(rng, 10000, Gates::near1)) ASSERT_TRUE(g <= 0.0f && g >= -1e-3f) << g;
    for (float g : gates(rng, 10000, Gates::near0)) ASSERT_LE(g, -5.0f);
    for (float g : gates(rng, 10000, Gates::normal)) ASSERT_LT(g, 0.0f);
}

// The scalar-decay references against GLA's (a separate loop): simple GLA is GLA with its gate
// broadcast over K, retention is simple GLA with g = log(gamma_h), linear attention is g = 0.
TEST(ReferenceScalarDecay, AgreesWithGlaOfBroadcastGates) {
    const int64_t B = 2, T = 13, H = 3, K = 4, V = 5;
    Rng grng(10);
    const auto q = normal(1, B * T * H * K), k = normal(2, B * T * H * K), v = normal(3, B * T * H * V);
    const auto s0 = normal(4, B * H * K * V);
    const auto g = to_double(gates(grng, B * T * H, Gates::normal));
    std::vector<double> g_k(B * T * H * K), g_ret(B * T * H), g_ret_k(B * T * H * K);
    for (int64_t n = 0; n < B * T * H; n++) {
        g_ret[n] = std::log(ref::retention_gamma(n % H));
        for (int64_t i = 0; i < K; i++) g_k[n * K + i] = g[n], g_ret_k[n * K + i] = g_ret[n];
    }
    const std::vector<double> zeros(B * T * H * K, 0.0);
    const auto sg = ref::simple_gla_ref(q, k, v, g, s0, B, T, H, K, V, 0.3);
    const auto sg_gla = gla_ref(q, k, v, g_k, s0, B, T, H, K, V, 0.3);
    EXPECT_LT(max_diff(sg.o, sg_gla.o), 1e-12);
    EXPECT_LT(max_diff(sg.final_state, sg_gla.final_state), 1e-12);
    const auto ret = ref::retention_ref(q, k, v, s0, B, T, H, K, V, 0.3);
    const auto ret_gla = gla_ref(q, k, v, g_ret_k, s0, B, T, H, K, V, 0.3);
    EXPECT_LT(max_diff(ret.o, ret_gla.o), 1e-12);
    EXPECT_LT(max_diff(ret.final_state, ret_gla.final_state), 1e-12);
    const auto la = ref::linear_attn_ref(q, k, v, s0, B, T, H, K, V, 0.3);
    const auto la_gla = gla_ref(q, k, v, zeros, s0, B, T, H, K, V, 0.3);
    EXPECT_LT(max_diff(la.o, la_gla.o), 1e-12);
    EXPECT_LT(max_diff(la.final_state, la_gla.final_state), 1e-12);
    EXPECT_DOUBLE_EQ(ref::retention_gamma(0), 1.0 - 1.0 / 32);
    EXPECT_DOUBLE_EQ(ref::retention_gamma(3), 1.0 - 1.0 / 256);
}

// SSD is simple GLA with q = Cm (of the head's group), k = Bm, v = dt x, g = dt A, scale 1, the
// state transposed ([P,N] vs [K=N, V=P]), plus D x: two independent references must agree.
TEST(ReferenceSsd, AgreesWithSimpleGla) {
    const int64_t B = 2, T = 19, H = 4, P = 3, N = 5, G = 2;
    const auto x = normal(41, B * T * H * P), Bm = normal(42, B * T * G * N), Cm = normal(43, B * T * G * N);
    const auto D = normal(44, H), h0 = normal(45, B * H * P * N);
    std::vector<double> dt = normal(46, B * T * H), A = normal(47, H);
    for (double &d : dt) d = 0.05 + 0.05 * std::abs(d);
    for (double &a : A) a = -1.0 - std::abs(a);
    const ref::SsdResult r = ref::ssd_ref(x, dt, A, Bm, Cm, D, {}, h0, {B, T, H, P, N, G}, false);
    std::vector<double> q(B * T * H * N), k(q.size()), v(B * T * H * P), g(B * T * H), s0(h0.size());
    for (int64_t b = 0; b < B; b++) {
        for (int64_t t = 0; t < T; t++) {
            for (int64_t h = 0; h < H; h++) {
                const int64_t bth = (b * T + t) * H + h, grp = (b * T + t) * G + h / (H / G);
                g[bth] = dt[bth] * A[h];
                for (int64_t n = 0; n < N; n++) q[bth * N + n] = Cm[grp * N + n], k[bth * N + n] = Bm[grp * N + n];
                for (int64_t p = 0; p < P; p++) v[bth * P + p] = dt[bth] * x[bth * P + p];
            }
        }
        for (int64_t h = 0; h < H; h++) {
            for (int64_t p = 0; p < P; p++) {
                for (int64_t n = 0; n < N; n++) s0[((b * H + h) * N + n) * P + p] = h0[((b * H + h) * P + p) * N + n];
            }
        }
    }
    const ref::RecurrenceResult s = ref::simple_gla_ref(q, k, v, g, s0, B, T, H, N, P, 1.0);
    std::vector<double> y = s.o, fs(h0.size());
    for (int64_t i = 0; i < B * T * H; i++) {
        for (int64_t p = 0; p < P; p++) y[i * P + p] += D[i % H] * x[i * P + p];
    }
    for (int64_t bh = 0; bh < B * H; bh++) {
        for (int64_t p = 0; p < P; p++) {
            for (int64_t n = 0; n < N; n++) fs[(bh * P + p) * N + n] = s.final_state[(bh * N + n) * P + p];
        }
    }
    EXPECT_LT(max_diff(r.y, y), 1e-12);
    EXPECT_LT(max_diff(r.final_state, fs), 1e-12);
}

// Bidirectional with T = 1: both shifted terms are 0, y = D x; with T = 2, y_0 reads the backward
// scan's first step (token 1 with dt_b[0], Bm_b[0], Cm_b[0]) and y_1 the forward scan's token 0.
TEST(ReferenceSsd, BidirectionalShiftsAndFlip) {
    const int64_t B = 1, H = 1, P = 1, N = 1;
    const std::vector<double> A{-1.0}, D{0.5}, Bm_f{2.0, 3.0}, Cm_f{5.0, 7.0}, Bm_b{11.0, 13.0}, Cm_b{17.0, 19.0};
    const std::vector<double> dt_f{0.1, 0.2}, dt_b{0.3, 0.4}, x{1.0, 10.0};
    const auto y1 = ref::ssd_bidirectional_ref({1.0}, {0.1}, {2.0}, {5.0}, {0.3}, {11.0}, {17.0}, A, D, {},
                                               {B, 1, H, P, N, 1}, false);
    EXPECT_DOUBLE_EQ(y1[0], 0.5);
    const auto y2 = ref::ssd_bidirectional_ref(x, dt_f, Bm_f, Cm_f, dt_b, Bm_b, Cm_b, A, D, {}, {B, 2, H, P, N, 1},
                                               false);
    // y_0 = SS_b(flip x)_0 + D x_0 = (dt_b[0] x_1 Bm_b[0]) Cm_b[0] + 0.5
    EXPECT_NEAR(y2[0], 0.3 * 10.0 * 11.0 * 17.0 + 0.5, 1e-12);
    // y_1 = SS_f(x)_0 + D x_1 = (dt_f[0] x_0 Bm_f[0]) Cm_f[0] + 5
    EXPECT_NEAR(y2[1], 0.1 * 1.0 * 2.0 * 5.0 + 5.0, 1e-12);
}

// Identity blocks: M = P I P I = P^2 = I (P is an involution), padded or not.
TEST(ReferenceMonarch, IdentityBlocksGiveIdentity) {
    for (int64_t n : {9, 7, 1}) {
        const int64_t m = ref::monarch_m(n);
        std::vector<double> eye(size_t(m * m * m), 0.0);
        for (int64_t k = 0; k < m; k++)
            for (int64_t i = 0; i < m; i++) eye[size_t((k * m + i) * m + i)] = 1.0;
        const auto M = ref::monarch_dense(eye, eye, n);
        for (int64_t r = 0; r < n; r++)
            for (int64_t c = 0; c < n; c++) EXPECT_EQ(M[size_t(r * n + c)], r == c ? 1.0 : 0.0) << n << " " << r << " " << c;
    }
}

// One entry of the formula by hand: n = 4 (m = 2), y[l*m + i] = sum_k L[i,l,k] sum_j R[k,i,j] x[k*m + j].
TEST(ReferenceMonarch, MatchesBlockFormula) {
    const int64_t m = 2, n = 4;
    std::vector<double> L(8), R(8), x = {1.0, -2.0, 3.0, 0.5};
    for (size_t e = 0; e < 8; e++) L[e] = 0.3 * double(e) - 1.0, R[e] = 0.7 - 0.2 * double(e);
    const auto y = ref::monarch_ref(x, L, R, 1, 1, n, false);
    for (int64_t l = 0; l < m; l++)
        for (int64_t i = 0; i < m; i++) {
            double want = 0;
            for (int64_t k = 0; k < m; k++) {
                double u = 0;
                for (int64_t j = 0; j < m; j++) u += R[size_t((k * m + i) * m + j)] * x[size_t(k * m + j)];
                want += L[size_t((i * m + l) * m + k)] * u;
            }
            EXPECT_NEAR(y[size_t(l * m + i)], want, 1e-12);
        }
}

// T = 2, C = 1: y0 = b0 + W00 x0 (+ W01 x1 unless causal), y1 = b1 + W10 x0 + W11 x1.
TEST(ReferenceTokenMix, TwoTokensByHand) {
    const std::vector<double> x = {2.0, 3.0}, W = {1.0, 10.0, 100.0, 1000.0}, b = {0.5, -0.5};
    const auto full = ref::token_mix_ref(x, W, b, 1, 2, 1, false), causal = ref::token_mix_ref(x, W, b, 1, 2, 1, true);
    EXPECT_DOUBLE_EQ(full[0], 0.5 + 2.0 + 30.0);
    EXPECT_DOUBLE_EQ(causal[0], 0.5 + 2.0);
    EXPECT_DOUBLE_EQ(full[1], -0.5 + 200.0 + 3000.0);
    EXPECT_DOUBLE_EQ(causal[1], full[1]);
}

}  // namespace
}  // namespace seqmix::test
