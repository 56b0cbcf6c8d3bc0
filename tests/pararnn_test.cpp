// ParaRNN (MIXERS.md, "Nonlinear RNNs"): every built variant of `pararnn` (the sequential
// default and the Newton buckets) this host can run, for the diagonal GRU and LSTM cells,
// against the float64 sequential cells (tests/reference/rnn.cpp with R = diag(Rd)): so the
// Newton-parallel solution == the sequential cell. Also: the iteration count it reports, a state
// round trip, and validation.
//
// Inputs: G ~ N(0,1), Rd ~ N(0, 0.5^2), bias ~ N(0, 0.5^2), states ~ N(0, 0.5^2). Newton runs
// with tol = 1e-6 (max |update|; it converges quadratically, so the last update bounds the
// error left) and max_iters = T + 1 (in exact arithmetic Newton on this triangular system is
// exact after at most T iterations). Tolerance as tests/rnn_test.cpp's with a one-term dot product:
// 1e-5 rel-RMS growing with sqrt(T / 64).
#include "reference/rnn.h"
#include "support/device.h"
#include "support/metrics.h"
#include "support/random.h"
#include "support/variants.h"

#include <seqmix/seqmix.h>

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

namespace seqmix::test {
namespace {

constexpr double kBase = 1e-5;

struct ParaCase {
    bool is_lstm = false;
    int64_t B = 1, T = 1, H = 1, Hd = 8;
    bool initial = false;
    int64_t split = 0;

    int64_t ng() const { return is_lstm ? 4 : 3; }
    std::string name() const {
        std::string n = std::string(is_lstm ? "lstm" : "gru") + "_B" + std::to_string(B) + "_T" + std::to_string(T) +
                        "_H" + std::to_string(H) + "_Hd" + std::to_string(Hd);
        if (initial) n += "_h0";
        if (split) n += "_split" + std::to_string(split);
        return n;
    }
};

ParaCase shape(bool is_lstm, int64_t B, int64_t T, int64_t H, int64_t Hd, bool initial = false) {
    ParaCase c;
    c.is_lstm = is_lstm, c.B = B, c.T = T, c.H = H, c.Hd = Hd, c.initial = initial;
    return c;
}

struct ParaInputs {
    std::vector<float> G, Rd, bias, h0, c0;
    explicit ParaInputs(const ParaCase &c) {
        Rng rng(seed_of(c.name()));
        G = rng.normal(c.B * c.T * c.H * c.ng() * c.Hd);
        Rd = rng.normal(c.H * c.Hd * c.ng(), 0.0, 0.5);
        bias = rng.normal(c.H * c.ng() * c.Hd, 0.0, 0.5);
        h0 = rng.normal(c.B * c.H * c.Hd, 0.0, 0.5);
        c0 = rng.normal(c.B * c.H * c.Hd, 0.0, 0.5);
    }
};

ref::RnnResult reference(const ParaCase &c, const ParaInputs &in, bool with_state) {
    const std::vector<double> R = ref::diagonal_to_dense(to_double(in.Rd), c.H, c.Hd, c.ng());
    const std::vector<double> h0 = with_state ? to_double(in.h0) : std::vector<double>{};
    if (c.is_lstm) {
        return ref::lstm_ref(to_double(in.G), R, to_double(in.bias), h0,
                             with_state ? to_double(in.c0) : std::vector<double>{}, c.B, c.T, c.H, c.Hd);
    }
    return ref::gru_ref(to_double(in.G), R, to_double(in.bias), h0, c.B, c.T, c.H, c.Hd);
}

Tolerance tolerance(const ParaCase &c, const std::vector<double> &expected) {
    return fp32_tolerance(kBase, std::max<int64_t>(1, c.T / 64), expected);
}

ParaRnnOptions options_for(const ParaCase &c, const std::string &variant) {
    ParaRnnOptions opt;
    opt.variant = variant;
    opt.cell = c.is_lstm ? RnnCell::lstm : RnnCell::gru;
    opt.tol = 1e-6f;
    opt.max_iters = static_cast<int>(c.T) + 1;
    return opt;
}

struct ParaBuffers {
    Buffer G, Rd, bias, y, h0, c0, hT, cT;
    ParaBuffers(const ParaCase &c, Backend be, const ParaInputs &in)
        : G(be, {c.B, c.T, c.H, c.ng() * c.Hd}), Rd(be, {c.H, c.Hd, c.ng()}), bias(be, {c.H, c.ng() * c.Hd}),
          y(be, {c.B, c.T, c.H, c.Hd}, padded_strides({c.B, c.T, c.H, c.Hd}, 2)), h0(be, {c.B, c.H, c.Hd}),
          c0(be, {c.B, c.H, c.Hd}), hT(be, {c.B, c.H, c.Hd}), cT(be, {c.B, c.H, c.Hd}) {
        G.upload(in.G), Rd.upload(in.Rd), bias.upload(in.bias), h0.upload(in.h0), c0.upload(in.c0);
    }
};

using ParaParam = CaseVariant<ParaCase>;

void check_pararnn(const ParaCase &c, const Variant &variant) {
    const ParaInputs in(c);
    ParaBuffers buf(c, variant.backend, in);
    const std::optional<Tensor> h0 = c.initial ? std::optional<Tensor>(buf.h0.tensor()) : std::nullopt;
    const std::optional<Tensor> c0 = c.initial && c.is_lstm ? std::optional<Tensor>(buf.c0.tensor()) : std::nullopt;
    const std::optional<Tensor> cT = c.is_lstm ? std::optional<Tensor>(buf.cT.tensor()) : std::nullopt;
    ParaRnnInfo info;
    if (!run_forced([&] {
            info = seqmix::pararnn(buf.G.tensor(), buf.Rd.tensor(), buf.y.tensor(), buf.bias.tensor(), h0, c0,
                                   buf.hT.tensor(), cT, options_for(c, variant.forced()));
        })) {
        return;
    }
    EXPECT_EQ(seqmix::last_variant(), variant.forced());
    EXPECT_TRUE(info.converged) << "after " << info.iterations << " iterations, max update " << info.max_update;
    EXPECT_LE(info.iterations, c.T + 2);
    if (variant.info.bucket == "default") EXPECT_EQ(info.iterations, 1) << "the sequential form is one call";
    ::testing::Test::RecordProperty("iterations", info.iterations);
    const ref::RnnResult r = reference(c, in, c.initial);
    EXPECT_TRUE(close("y", buf.y.download(), r.y, buf.y.shape(), tolerance(c, r.y)));
    EXPECT_TRUE(buf.y.padding_untouched()) << "pararnn wrote into y's padding";
    EXPECT_TRUE(close("final_h", buf.hT.download(), r.final_h, buf.hT.shape(), tolerance(c, r.final_h)));
    if (c.is_lstm) EXPECT_TRUE(close("final_c", buf.cT.download(), r.final_c, buf.cT.shape(), tolerance(c, r.final_c)));
}

std::vector<ParaCase> cases() {
    std::vector<ParaCase> cs;
    for (bool l : {false, true}) {
        for (const ParaCase &c : {shape(l, 1, 1, 1, 8), shape(l, 2, 63, 2, 33), shape(l, 1, 100, 1, 5, true),
                                  shape(l, 3, 257, 2, 16, true), shape(l, 1, 1000, 1, 64), shape(l, 2, 2, 3, 1, true)}) {
            cs.push_back(c);
        }
    }
    return cs;
}

class ParaRnnMatches : public ::testing::TestWithParam<ParaParam> {
protected:
    void check() {
        const ParaParam &p = GetParam();
        if (const std::string why = skip_reason(p.variant); !why.empty()) GTEST_SKIP() << p.variant.forced() << ": " << why;
        check_pararnn(p.c, p.variant);
    }
};
class ParaRnn : public ParaRnnMatches {};
class ParaRnnLong : public ParaRnnMatches {};
TEST_P(ParaRnn, NewtonAndSequentialMatchReference) { check(); }
TEST_P(ParaRnnLong, NewtonAndSequentialMatchReference) { check(); }

SEQMIX_ALLOW_NO_VARIANTS(ParaRnn);
INSTANTIATE_TEST_SUITE_P(Shapes, ParaRnn, ::testing::ValuesIn(cross(cases(), "pararnn")), CaseVariantName());
SEQMIX_ALLOW_NO_VARIANTS(ParaRnnLong);
INSTANTIATE_TEST_SUITE_P(Shapes, ParaRnnLong,
                         ::testing::ValuesIn(cross(std::vector<ParaCase>{shape(false, 2, 4096, 1, 64, true),
                                                                         shape(false, 1, 16384, 2, 32),
                                                                         shape(true, 1, 16384, 1, 64, true)},
                                                   "pararnn")),
                         CaseVariantName());

// One call over T == two calls with (h, c) carried, the forms mixed: Newton then dispatch.
class ParaRnnStateRoundTrip : public ::testing::TestWithParam<ParaParam> {};

TEST_P(ParaRnnStateRoundTrip, TwoCallsEqualOne) {
    const ParaParam &p = GetParam();
    const ParaCase &c = p.c;
    if (const std::string why = skip_reason(p.variant); !why.empty()) GTEST_SKIP() << p.variant.forced() << ": " << why;
    const ParaInputs in(c);
    ParaBuffers buf(c, p.variant.backend, in);
    Buffer mid_h(p.variant.backend, {c.B, c.H, c.Hd}), mid_c(p.variant.backend, {c.B, c.H, c.Hd});
    const std::optional<Tensor> c0 = c.is_lstm ? std::optional<Tensor>(buf.c0.tensor()) : std::nullopt;
    const std::optional<Tensor> mc = c.is_lstm ? std::optional<Tensor>(mid_c.tensor()) : std::nullopt;
    const std::optional<Tensor> cT = c.is_lstm ? std::optional<Tensor>(buf.cT.tensor()) : std::nullopt;
    if (!run_forced([&] {
            const int64_t a = c.split, b = c.T - c.split;
            seqmix::pararnn(buf.G.slice(1, 0, a), buf.Rd.tensor(), buf.y.slice(1, 0, a), buf.bias.tensor(),
                            buf.h0.tensor(), c0, mid_h.tensor(), mc, options_for(c, p.variant.forced()));
            seqmix::pararnn(buf.G.slice(1, a, b), buf.Rd.tensor(), buf.y.slice(1, a, b), buf.bias.tensor(),
                            mid_h.tensor(), mc, buf.hT.tensor(), cT, options_for(c, ""));
        })) {
        return;
    }
    const ref::RnnResult r = reference(c, in, true);
    EXPECT_TRUE(close("y (two calls)", buf.y.download(), r.y, buf.y.shape(), tolerance(c, r.y)));
    EXPECT_TRUE(close("final_h (two calls)", buf.hT.download(), r.final_h, buf.hT.shape(), tolerance(c, r.final_h)));
    if (c.is_lstm) {
        EXPECT_TRUE(close("final_c (two calls)", buf.cT.download(), r.final_c, buf.cT.shape(), tolerance(c, r.final_c)));
    }
}

std::vector<ParaCase> round_trip_cases() {
    ParaCase a = shape(false, 2, 90, 1, 24), b = shape(true, 1, 70, 2, 9);
    a.split = 1, b.split = 33;
    return {a, b};
}

SEQMIX_ALLOW_NO_VARIANTS(ParaRnnStateRoundTrip);
INSTANTIATE_TEST_SUITE_P(Shapes, ParaRnnStateRoundTrip, ::testing::ValuesIn(cross(round_trip_cases(), "pararnn")),
                         CaseVariantName());

TEST(ParaRnnValidation, CellShapes) {
    std::vector<float> G(2 * 3 * 1 * 4 * 8), Rd(8 * 4), y(2 * 3 * 8), s(2 * 8);
    const Tensor y_t = Tensor::contiguous(y.data(), {2, 3, 1, 8});
    auto message = [&](auto &&call) {
        try {
            call();
        } catch (const seqmix::Error &e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    EXPECT_NE(message([&] {
                  seqmix::pararnn(Tensor::contiguous(G.data(), {2, 3, 1, 32}), Tensor::contiguous(Rd.data(), {1, 8, 4}),
                                  y_t);
              }).find("G has last dimension 32, expected 3 * Hd = 24 for the GRU cell"),
              std::string::npos);
    ParaRnnOptions lstm;
    lstm.cell = RnnCell::lstm;
    EXPECT_NE(message([&] {
                  seqmix::pararnn(Tensor::contiguous(G.data(), {2, 3, 1, 32}), Tensor::contiguous(Rd.data(), {1, 8, 3}),
                                  y_t, std::nullopt, std::nullopt, std::nullopt, std::nullopt, std::nullopt, lstm);
              }).find("Rd has last dimension 3, expected 4"),
              std::string::npos);
    EXPECT_NE(message([&] {
                  seqmix::pararnn(Tensor::contiguous(G.data(), {2, 3, 1, 24}), Tensor::contiguous(Rd.data(), {1, 8, 3}),
                                  y_t, std::nullopt, std::nullopt, Tensor::contiguous(s.data(), {2, 1, 8}));
              }).find("initial_c given, but the GRU cell has no c state"),
              std::string::npos);
    lstm.max_iters = 0;
    EXPECT_NE(message([&] {
                  seqmix::pararnn(Tensor::contiguous(G.data(), {2, 3, 1, 32}), Tensor::contiguous(Rd.data(), {1, 8, 4}),
                                  y_t, std::nullopt, std::nullopt, std::nullopt, std::nullopt, std::nullopt, lstm);
              }).find("max_iters is 0, expected >= 1"),
              std::string::npos);
}

}  // namespace
}  // namespace seqmix::test
