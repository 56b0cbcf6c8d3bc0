// Head-wise LSTM and GRU (MIXERS.md, "Nonlinear RNNs"): every built variant of `lstm` and `gru`
// this host can run, against the float64 sequential cells of tests/reference/rnn.cpp; one call
// == two calls with the states carried (round trip); the step forms against the reference.
//
// Inputs: G ~ N(0,1), R ~ N(0, 1/Hd) (pre-activations O(1), as a trained cell's), biases ~
// N(0, 0.5^2), states ~ N(0, 0.5^2). Tolerances: each step is an Hd-term fp32 dot product then
// fp32 exp-based sigmoid/tanh (~1e-7 relative each); the cells are contractive, so errors do not
// compound over T beyond a random walk; 1e-5 rel-RMS at Hd <= 64, growing with sqrt(T * Hd / 64)
// (fp32_tolerance), is ~100 ulp of headroom and far below an indexing error (~1e-1).
#include "reference/rnn.h"
#include "support/device.h"
#include "support/metrics.h"
#include "support/random.h"
#include "support/variants.h"

#include <seqmix/seqmix.h>

#include <gtest/gtest.h>

#ifdef SEQMIX_TEST_CUDA
#include <cuda_runtime.h>
#endif

#include <cmath>
#include <optional>
#include <string>
#include <vector>

namespace seqmix::test {
namespace {

constexpr double kBase = 1e-5;

struct RnnCase {
    bool is_lstm = true;
    int64_t B = 1, T = 1, H = 1, Hd = 8;
    bool bias = true, initial = false, final = true, strided = false;
    int64_t split = 0;  // round trip: the first call takes tokens [0, split)

    int64_t ng() const { return is_lstm ? 4 : 3; }
    std::string mixer() const { return is_lstm ? "lstm" : "gru"; }
    std::string name() const {
        std::string n = "B" + std::to_string(B) + "_T" + std::to_string(T) + "_H" + std::to_string(H) + "_Hd" +
                        std::to_string(Hd);
        if (!bias) n += "_nobias";
        if (initial) n += "_h0";
        if (!final) n += "_nofinal";
        if (strided) n += "_strided";
        if (split) n += "_split" + std::to_string(split);
        return n;
    }
};

RnnCase shape(bool is_lstm, int64_t B, int64_t T, int64_t H, int64_t Hd) {
    RnnCase c;
    c.is_lstm = is_lstm, c.B = B, c.T = T, c.H = H, c.Hd = Hd;
    return c;
}

struct RnnInputs {
    std::vector<float> G, R, bias, h0, c0;
    explicit RnnInputs(const RnnCase &c) {
        Rng rng(seed_of(c.mixer() + c.name()));
        G = rng.normal(c.B * c.T * c.H * c.ng() * c.Hd);
        R = rng.normal(c.H * c.Hd * c.ng() * c.Hd, 0.0, 1.0 / std::sqrt(double(c.Hd)));
        bias = rng.normal(c.H * c.ng() * c.Hd, 0.0, 0.5);
        h0 = rng.normal(c.B * c.H * c.Hd, 0.0, 0.5);
        c0 = rng.normal(c.B * c.H * c.Hd, 0.0, 0.5);
    }
};

ref::RnnResult reference(const RnnCase &c, const RnnInputs &in, bool with_state) {
    const std::vector<double> bias = c.bias ? to_double(in.bias) : std::vector<double>{};
    const std::vector<double> h0 = with_state ? to_double(in.h0) : std::vector<double>{};
    if (c.is_lstm) {
        return ref::lstm_ref(to_double(in.G), to_double(in.R), bias, h0,
                             with_state ? to_double(in.c0) : std::vector<double>{}, c.B, c.T, c.H, c.Hd);
    }
    return ref::gru_ref(to_double(in.G), to_double(in.R), bias, h0, c.B, c.T, c.H, c.Hd);
}

Tolerance tolerance(const RnnCase &c, const std::vector<double> &expected) {
    return fp32_tolerance(kBase, std::max<int64_t>(1, c.T * c.Hd / 64), expected);
}

struct RnnBuffers {
    Buffer G, R, bias, y, h0, c0, hT, cT;
    static std::vector<int64_t> st(const RnnCase &c, const std::vector<int64_t> &s) {
        return c.strided ? padded_strides(s, 3) : contiguous_strides(s);
    }
    RnnBuffers(const RnnCase &c, Backend be, const RnnInputs &in)
        : G(be, {c.B, c.T, c.H, c.ng() * c.Hd}, st(c, {c.B, c.T, c.H, c.ng() * c.Hd})),
          R(be, {c.H, c.Hd, c.ng() * c.Hd}, st(c, {c.H, c.Hd, c.ng() * c.Hd})), bias(be, {c.H, c.ng() * c.Hd}),
          y(be, {c.B, c.T, c.H, c.Hd}, st(c, {c.B, c.T, c.H, c.Hd})), h0(be, {c.B, c.H, c.Hd}, st(c, {c.B, c.H, c.Hd})),
          c0(be, {c.B, c.H, c.Hd}), hT(be, {c.B, c.H, c.Hd}, st(c, {c.B, c.H, c.Hd})), cT(be, {c.B, c.H, c.Hd}) {
        G.upload(in.G), R.upload(in.R), bias.upload(in.bias), h0.upload(in.h0), c0.upload(in.c0);
    }
};

// One call of seqmix::lstm / gru over tokens [t0, t0 + n) of the buffers, on `stream` (CUDA).
void run_rnn(const RnnCase &c, RnnBuffers &buf, int64_t t0, int64_t n, const std::optional<Tensor> &h0,
             const std::optional<Tensor> &c0, const std::optional<Tensor> &hT, const std::optional<Tensor> &cT,
             const std::string &variant, void *stream = nullptr) {
    RnnOptions opt;
    opt.variant = variant;
    opt.stream = stream;
    const std::optional<Tensor> bias = c.bias ? std::optional<Tensor>(buf.bias.tensor()) : std::nullopt;
    if (c.is_lstm) {
        seqmix::lstm(buf.G.slice(1, t0, n), buf.R.tensor(), buf.y.slice(1, t0, n), bias, h0, c0, hT, cT, opt);
    } else {
        seqmix::gru(buf.G.slice(1, t0, n), buf.R.tensor(), buf.y.slice(1, t0, n), bias, h0, hT, opt);
    }
}

using RnnParam = CaseVariant<RnnCase>;

void check_rnn(const RnnCase &c, const Variant &variant) {
    const RnnInputs in(c);
    RnnBuffers buf(c, variant.backend, in);
    const std::optional<Tensor> h0 = c.initial ? std::optional<Tensor>(buf.h0.tensor()) : std::nullopt;
    const std::optional<Tensor> c0 = c.initial && c.is_lstm ? std::optional<Tensor>(buf.c0.tensor()) : std::nullopt;
    const std::optional<Tensor> hT = c.final ? std::optional<Tensor>(buf.hT.tensor()) : std::nullopt;
    const std::optional<Tensor> cT = c.final && c.is_lstm ? std::optional<Tensor>(buf.cT.tensor()) : std::nullopt;
    if (!run_forced([&] { run_rnn(c, buf, 0, c.T, h0, c0, hT, cT, variant.forced()); })) return;
    EXPECT_EQ(seqmix::last_variant(), variant.forced());
    const ref::RnnResult r = reference(c, in, c.initial);
    EXPECT_TRUE(close("y", buf.y.download(), r.y, buf.y.shape(), tolerance(c, r.y)));
    if (c.final) {
        EXPECT_TRUE(close("final_h", buf.hT.download(), r.final_h, buf.hT.shape(), tolerance(c, r.final_h)));
        if (c.is_lstm) {
            EXPECT_TRUE(close("final_c", buf.cT.download(), r.final_c, buf.cT.shape(), tolerance(c, r.final_c)));
        }
    }
    if (c.strided) {
        EXPECT_TRUE(buf.y.padding_untouched()) << c.mixer() << " wrote into y's padding";
        EXPECT_TRUE(buf.hT.padding_untouched()) << c.mixer() << " wrote into final_h's padding";
    }
}

std::vector<RnnCase> cases(bool is_lstm) {
    std::vector<RnnCase> cs = {shape(is_lstm, 1, 1, 1, 8),  shape(is_lstm, 2, 63, 2, 33), shape(is_lstm, 3, 17, 1, 5),
                               shape(is_lstm, 1, 40, 4, 16), shape(is_lstm, 5, 9, 1, 64), shape(is_lstm, 2, 3, 3, 1)};
    RnnCase c = shape(is_lstm, 2, 1, 2, 12);
    c.initial = true;  // T = 1 from a state
    cs.push_back(c);
    c = shape(is_lstm, 3, 30, 1, 24);
    c.initial = true, c.bias = false;
    cs.push_back(c);
    c = shape(is_lstm, 1, 20, 2, 40);
    c.final = false;
    cs.push_back(c);
    c = shape(is_lstm, 2, 11, 3, 20);
    c.initial = true, c.strided = true;
    cs.push_back(c);
    // Inside the CUDA buckets @sk (Hd >= 32, B >= 8): B not a multiple of the batch tile, Hd not
    // one of the unit tile (shifted edge tiles) nor of the split of the dot products.
    cs.push_back(shape(is_lstm, 9, 13, 2, 40));
    c = shape(is_lstm, 8, 6, 1, 37);
    c.initial = true;
    cs.push_back(c);
    return cs;
}

// One body, four suites (short shapes for CI; *Long* ones for scripts/test.sh --long).
class RnnMatches : public ::testing::TestWithParam<RnnParam> {
protected:
    void check() {
        const RnnParam &p = GetParam();
        if (const std::string why = skip_reason(p.variant); !why.empty()) GTEST_SKIP() << p.variant.forced() << ": " << why;
        check_rnn(p.c, p.variant);
    }
};
class Lstm : public RnnMatches {};
class Gru : public RnnMatches {};
class LstmLong : public RnnMatches {};
class GruLong : public RnnMatches {};
TEST_P(Lstm, MatchesReference) { check(); }
TEST_P(Gru, MatchesReference) { check(); }
TEST_P(LstmLong, MatchesReference) { check(); }
TEST_P(GruLong, MatchesReference) { check(); }

SEQMIX_ALLOW_NO_VARIANTS(Lstm);
INSTANTIATE_TEST_SUITE_P(Shapes, Lstm, ::testing::ValuesIn(cross(cases(true), "lstm")), CaseVariantName());
SEQMIX_ALLOW_NO_VARIANTS(Gru);
INSTANTIATE_TEST_SUITE_P(Shapes, Gru, ::testing::ValuesIn(cross(cases(false), "gru")), CaseVariantName());
SEQMIX_ALLOW_NO_VARIANTS(LstmLong);
INSTANTIATE_TEST_SUITE_P(Shapes, LstmLong,
                         ::testing::ValuesIn(cross(std::vector<RnnCase>{shape(true, 8, 256, 1, 256), shape(true, 2, 1000, 4, 64)}, "lstm")),
                         CaseVariantName());
SEQMIX_ALLOW_NO_VARIANTS(GruLong);
INSTANTIATE_TEST_SUITE_P(Shapes, GruLong,
                         ::testing::ValuesIn(cross(std::vector<RnnCase>{shape(false, 8, 256, 1, 256), shape(false, 2, 1000, 4, 64)}, "gru")),
                         CaseVariantName());

// One call over T == two calls over [0, split) and [split, T) with (h, c) carried.
class RnnStateRoundTrip : public ::testing::TestWithParam<RnnParam> {};

TEST_P(RnnStateRoundTrip, TwoCallsEqualOne) {
    const RnnParam &p = GetParam();
    if (const std::string why = skip_reason(p.variant); !why.empty()) GTEST_SKIP() << p.variant.forced() << ": " << why;
    const RnnCase &c = p.c;
    const RnnInputs in(c);
    RnnBuffers buf(c, p.variant.backend, in);
    Buffer mid_h(p.variant.backend, {c.B, c.H, c.Hd}), mid_c(p.variant.backend, {c.B, c.H, c.Hd});
    const std::optional<Tensor> c0 = c.is_lstm ? std::optional<Tensor>(buf.c0.tensor()) : std::nullopt;
    const std::optional<Tensor> mc = c.is_lstm ? std::optional<Tensor>(mid_c.tensor()) : std::nullopt;
    const std::optional<Tensor> cT = c.is_lstm ? std::optional<Tensor>(buf.cT.tensor()) : std::nullopt;
    if (!run_forced([&] {
            run_rnn(c, buf, 0, c.split, buf.h0.tensor(), c0, mid_h.tensor(), mc, p.variant.forced());
            run_rnn(c, buf, c.split, c.T - c.split, mid_h.tensor(), mc, buf.hT.tensor(), cT, p.variant.forced());
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

std::vector<RnnParam> round_trip_params() {
    std::vector<RnnParam> ps;
    for (bool is_lstm : {true, false}) {
        RnnCase a = shape(is_lstm, 2, 50, 2, 24);
        a.split = 1;
        RnnCase b = shape(is_lstm, 1, 64, 1, 33);
        b.split = 37;
        for (const RnnParam &p : cross(std::vector<RnnCase>{a, b}, is_lstm ? "lstm" : "gru")) ps.push_back(p);
    }
    return ps;
}

struct RoundTripName {
    std::string operator()(const ::testing::TestParamInfo<RnnParam> &info) const {
        return identifier(info.param.c.mixer() + "_" + info.param.c.name() + "_" + info.param.variant.id());
    }
};

SEQMIX_ALLOW_NO_VARIANTS(RnnStateRoundTrip);
INSTANTIATE_TEST_SUITE_P(Shapes, RnnStateRoundTrip, ::testing::ValuesIn(round_trip_params()), RoundTripName());

// lstm_step / gru_step: one token from a state, against the reference with T = 1.
class RnnStep : public ::testing::TestWithParam<RnnParam> {};

TEST_P(RnnStep, MatchesReference) {
    const RnnParam &p = GetParam();
    if (const std::string why = skip_reason(p.variant); !why.empty()) GTEST_SKIP() << p.variant.forced() << ": " << why;
    const RnnCase &c = p.c;
    const RnnInputs in(c);
    RnnBuffers buf(c, p.variant.backend, in);
    RnnOptions opt;
    opt.variant = p.variant.forced();
    if (!run_forced([&] {
            if (c.is_lstm) {
                seqmix::lstm_step(buf.G.select(1, 0), buf.R.tensor(), buf.h0.tensor(), buf.c0.tensor(),
                                  buf.hT.tensor(), buf.cT.tensor(), buf.bias.tensor(), opt);
            } else {
                seqmix::gru_step(buf.G.select(1, 0), buf.R.tensor(), buf.h0.tensor(), buf.hT.tensor(),
                                 buf.bias.tensor(), opt);
            }
        })) {
        return;
    }
    const ref::RnnResult r = reference(c, in, true);
    EXPECT_TRUE(close("h_out", buf.hT.download(), r.final_h, buf.hT.shape(), tolerance(c, r.final_h)));
    if (c.is_lstm) EXPECT_TRUE(close("c_out", buf.cT.download(), r.final_c, buf.cT.shape(), tolerance(c, r.final_c)));
}

std::vector<RnnParam> step_params() {
    std::vector<RnnParam> ps;
    for (bool is_lstm : {true, false}) {
        for (const RnnParam &p : cross(std::vector<RnnCase>{shape(is_lstm, 3, 1, 2, 17), shape(is_lstm, 1, 1, 1, 64),
                                                            shape(is_lstm, 9, 1, 1, 40)},
                                       is_lstm ? "lstm" : "gru")) {
            ps.push_back(p);
        }
    }
    return ps;
}

SEQMIX_ALLOW_NO_VARIANTS(RnnStep);
INSTANTIATE_TEST_SUITE_P(Shapes, RnnStep, ::testing::ValuesIn(step_params()), RoundTripName());

// seqmix::lstm and gru are capturable into a CUDA graph on the caller's stream (LSTM's cell
// scratch is allocated and freed in stream order): captured, replayed twice, each replay's y
// against the reference. One call before the capture, as PyTorch asks of its own: Halide's
// device buffers of compute_root stages come from its allocation cache once warm (a cold cache
// calls cuMemAlloc, which a capture forbids).
TEST(RnnCuda, CapturesIntoAGraph) {
#ifndef SEQMIX_TEST_CUDA
    GTEST_SKIP() << "built without the CUDA runtime in tests";
#else
    if (!seqmix::cuda_available()) GTEST_SKIP() << "no CUDA device on this host";
    cudaStream_t stream = nullptr;
    ASSERT_EQ(cudaStreamCreateWithFlags(&stream, cudaStreamNonBlocking), cudaSuccess);
    int ran = 0;
    for (bool is_lstm : {true, false}) {
        RnnCase c = shape(is_lstm, 9, 7, 2, 40);
        c.initial = true;
        const RnnInputs in(c);
        const ref::RnnResult r = reference(c, in, true);
        for (const Variant &variant : variants_of(c.mixer())) {
            if (variant.backend != Backend::cuda || !skip_reason(variant).empty()) continue;
            SCOPED_TRACE(variant.forced());
            RnnBuffers buf(c, Backend::cuda, in);
            auto call = [&] {
                run_rnn(c, buf, 0, c.T, buf.h0.tensor(), buf.c0.tensor(), buf.hT.tensor(), buf.cT.tensor(),
                        variant.forced(), stream);
            };
            call();
            ASSERT_EQ(cudaStreamSynchronize(stream), cudaSuccess);
            ASSERT_EQ(cudaStreamBeginCapture(stream, cudaStreamCaptureModeThreadLocal), cudaSuccess);
            try {
                call();
            } catch (const seqmix::Error &e) {
                cudaGraph_t g = nullptr;
                cudaStreamEndCapture(stream, &g);
                if (g) cudaGraphDestroy(g);
                ADD_FAILURE() << "not capturable: " << e.what();
                continue;
            }
            cudaGraph_t graph = nullptr;
            ASSERT_EQ(cudaStreamEndCapture(stream, &graph), cudaSuccess);
            cudaGraphExec_t exec = nullptr;
            ASSERT_EQ(cudaGraphInstantiate(&exec, graph, 0), cudaSuccess);
            for (int replay = 0; replay < 2; replay++) {
                ASSERT_EQ(cudaMemsetAsync(buf.y.tensor().data, 0, sizeof(float) * c.B * c.T * c.H * c.Hd, stream),
                          cudaSuccess);
                ASSERT_EQ(cudaGraphLaunch(exec, stream), cudaSuccess);
                ASSERT_EQ(cudaStreamSynchronize(stream), cudaSuccess);
                EXPECT_TRUE(close("y", buf.y.download(), r.y, buf.y.shape(), tolerance(c, r.y)));
                EXPECT_TRUE(close("final_h", buf.hT.download(), r.final_h, buf.hT.shape(), tolerance(c, r.final_h)));
            }
            cudaGraphExecDestroy(exec);
            cudaGraphDestroy(graph);
            ran++;
        }
    }
    cudaStreamDestroy(stream);
    if (ran == 0) GTEST_SKIP() << "no runnable CUDA variant of lstm or gru";
#endif
}

// Validation: clear errors naming the argument.
TEST(RnnValidation, GateWidthAndStates) {
    std::vector<float> G(2 * 3 * 1 * 4 * 8), R(8 * 32), y(2 * 3 * 8), s(2 * 8);
    const Tensor y_t = Tensor::contiguous(y.data(), {2, 3, 1, 8});
    try {
        seqmix::lstm(Tensor::contiguous(G.data(), {2, 3, 1, 24}), Tensor::contiguous(R.data(), {1, 8, 24}), y_t);
        FAIL() << "expected seqmix::Error";
    } catch (const seqmix::Error &e) {
        EXPECT_NE(std::string(e.what()).find("G has last dimension 24, expected 4 * Hd = 32"), std::string::npos)
            << e.what();
    }
    try {
        seqmix::gru(Tensor::contiguous(G.data(), {2, 3, 1, 24}), Tensor::contiguous(R.data(), {1, 8, 24}), y_t,
                    std::nullopt, Tensor::contiguous(s.data(), {2, 1, 7}));
        FAIL() << "expected seqmix::Error";
    } catch (const seqmix::Error &e) {
        EXPECT_NE(std::string(e.what()).find("initial_h has shape [2,1,7]"), std::string::npos) << e.what();
    }
}

}  // namespace
}  // namespace seqmix::test
