// Argument validation of the public API (STYLE.md, "Runtime"): every bad argument is a
// seqmix::Error whose message starts with "seqmix::<function>: ", names the argument, and gives
// the actual and the expected value, e.g.
//   seqmix::gla: k has shape [1,8,2,12], expected [1,8,2,K] with K == q's 16
//   seqmix::gla: v has dtype f16, expected f32
//   seqmix::gla: q has stride 2 in its last dimension, expected 1 (contiguous)
//   seqmix::gla: q has rank 3, expected 4 ([B,T,H,K])
//   seqmix::gla: g is null
//   seqmix::attention: o overlaps q
//   seqmix::gla: k is on cuda:0 but q is on cpu
// The tests pin the prefix, the argument and the numbers, not the rest of the wording.
// Validation comes before any data access, so most cases here pass pointers to small host arrays
// (or host arrays labelled as CUDA memory) that no kernel ever reads.
#include "support/variants.h"

#include <seqmix/seqmix.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace seqmix::test {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::StartsWith;

// The message of the seqmix::Error that call() throws; a failure if it throws nothing or
// something else.
std::string error_of(const std::function<void()> &call) {
    try {
        call();
    } catch (const seqmix::Error &e) {
        return e.what();
    } catch (const std::exception &e) {
        ADD_FAILURE() << "threw a std::exception that is not a seqmix::Error: " << e.what();
        return "";
    } catch (...) {
        ADD_FAILURE() << "threw something that is not a seqmix::Error";
        return "";
    }
    ADD_FAILURE() << "did not throw";
    return "";
}

Tensor with_dtype(Tensor t, DType dtype) {
    t.dtype = dtype;
    return t;
}

Tensor with_strides(Tensor t, std::vector<int64_t> strides) {
    t.strides = std::move(strides);
    return t;
}

Tensor on_cuda(Tensor t) {
    t.device = Device::cuda(0);
    return t;
}

// ---- gla: B=1, T=8, H=2, K=16, V=8 ---------------------------------------------------------

struct GlaArgs {
    static constexpr int64_t B = 1, T = 8, H = 2, K = 16, V = 8;
    // Finite inputs, so the few calls that are valid can run.
    std::vector<float> qd = std::vector<float>(B * T * H * K, 0.25f), kd = qd, gd = std::vector<float>(qd.size(), -0.1f);
    std::vector<float> vd = std::vector<float>(B * T * H * V, 0.5f), od = vd;
    std::vector<float> h0d = std::vector<float>(B * H * K * V, 0.0f), htd = h0d;
    Tensor q = Tensor::contiguous(qd.data(), {B, T, H, K});
    Tensor k = Tensor::contiguous(kd.data(), {B, T, H, K});
    Tensor v = Tensor::contiguous(vd.data(), {B, T, H, V});
    Tensor g = Tensor::contiguous(gd.data(), {B, T, H, K});
    Tensor o = Tensor::contiguous(od.data(), {B, T, H, V});
    std::optional<Tensor> h0 = Tensor::contiguous(h0d.data(), {B, H, K, V});
    std::optional<Tensor> ht = Tensor::contiguous(htd.data(), {B, H, K, V});
    GlaOptions opt;
    void call() const { seqmix::gla(q, k, v, g, o, h0, ht, opt); }
    std::string error() const {
        return error_of([this] { call(); });
    }
};

// Per-chunk states past Halide's int32 strides (B*H*(T/chunk + 1)*K*V >= 2^31: 8 GB of states for
// 0.5 GB of q here) are a clear error before any kernel runs, not an abort inside Halide's runtime.
// The tensors are never read: distinct, far-apart addresses stand in for the data.
TEST(GlaValidation, PerChunkStatesBeyondInt32AreAnError) {
    SEQMIX_SKIP_IF_LEFT_OUT("gla");
    const int64_t B = 1, T = 65536, H = 1, K = 2048, V = 2048;
    auto at = [](int i, std::vector<int64_t> shape) {
        return Tensor::contiguous(reinterpret_cast<float *>(uintptr_t(1) << 40 | uintptr_t(i) << 34), std::move(shape));
    };
    const std::string msg = error_of([&] {
        seqmix::gla(at(0, {B, T, H, K}), at(1, {B, T, H, K}), at(2, {B, T, H, V}), at(3, {B, T, H, K}), at(4, {B, T, H, V}));
    });
    EXPECT_THAT(msg, ::testing::HasSubstr("seqmix::gla: variant "));
    EXPECT_THAT(msg, ::testing::HasSubstr("more than the 2^31 - 1 elements a Halide buffer can index"));
}

TEST(GlaValidation, ValidArgumentsRun) {
    SEQMIX_SKIP_IF_LEFT_OUT("gla");
    GlaArgs a;
    EXPECT_NO_THROW(a.call());
}

TEST(GlaValidation, WrongRank) {
    GlaArgs a;
    a.q = Tensor::contiguous(a.qd.data(), {8, 2, 16});
    EXPECT_THAT(a.error(), AllOf(StartsWith("seqmix::gla: "), HasSubstr("q has rank 3, expected 4")));
}

TEST(GlaValidation, KeyDimDiffersFromQ) {
    GlaArgs a;
    a.k = Tensor::contiguous(a.kd.data(), {1, 8, 2, 12});
    EXPECT_THAT(a.error(), AllOf(StartsWith("seqmix::gla: "), HasSubstr("k has shape [1,8,2,12], expected"),
                                 HasSubstr("q's 16")));
}

TEST(GlaValidation, ValueSequenceDiffers) {
    GlaArgs a;
    a.v = Tensor::contiguous(a.vd.data(), {1, 7, 2, 8});
    EXPECT_THAT(a.error(), AllOf(StartsWith("seqmix::gla: "), HasSubstr("v has shape [1,7,2,8], expected")));
}

TEST(GlaValidation, GateShapeDiffers) {
    GlaArgs a;
    a.g = Tensor::contiguous(a.gd.data(), {1, 8, 2, 15});
    EXPECT_THAT(a.error(), AllOf(StartsWith("seqmix::gla: "), HasSubstr("g has shape [1,8,2,15], expected")));
}

TEST(GlaValidation, OutputShapeDiffers) {
    GlaArgs a;
    a.o = Tensor::contiguous(a.od.data(), {1, 8, 2, 7});
    EXPECT_THAT(a.error(), AllOf(StartsWith("seqmix::gla: "), HasSubstr("o has shape [1,8,2,7], expected")));
}

TEST(GlaValidation, StateShapesDiffer) {
    GlaArgs a;
    a.ht = Tensor::contiguous(a.htd.data(), {1, 2, 16, 9});
    EXPECT_THAT(a.error(), AllOf(StartsWith("seqmix::gla: "), HasSubstr("final_state has shape [1,2,16,9], expected")));
    GlaArgs b;
    b.h0 = Tensor::contiguous(b.h0d.data(), {1, 2, 8, 8});
    EXPECT_THAT(b.error(), AllOf(StartsWith("seqmix::gla: "), HasSubstr("initial_state has shape [1,2,8,8], expected")));
}

TEST(GlaValidation, WrongDtype) {
    GlaArgs a;
    a.v = with_dtype(a.v, DType::f16);
    EXPECT_THAT(a.error(), StartsWith("seqmix::gla: v has dtype f16, expected f32"));
    GlaArgs b;
    b.h0 = with_dtype(*b.h0, DType::bf16);
    EXPECT_THAT(b.error(), StartsWith("seqmix::gla: initial_state has dtype bf16, expected f32"));
}

TEST(GlaValidation, LastDimensionNotContiguous) {
    GlaArgs a;
    a.q = with_strides(a.q, {512, 64, 32, 2});
    EXPECT_THAT(a.error(), StartsWith("seqmix::gla: q has stride 2 in its last dimension, expected 1 (contiguous)"));
}

TEST(GlaValidation, ZeroOrNegativeStride) {
    GlaArgs a;
    a.k = with_strides(a.k, {256, 32, 0, 1});  // a broadcast head: not allowed (positive strides only)
    EXPECT_THAT(a.error(), AllOf(StartsWith("seqmix::gla: "), HasSubstr("k has stride 0")));
    GlaArgs b;
    b.k = with_strides(b.k, {256, -32, 16, 1});
    EXPECT_THAT(b.error(), AllOf(StartsWith("seqmix::gla: "), HasSubstr("k has stride -32")));
}

TEST(GlaValidation, NullData) {
    GlaArgs a;
    a.g.data = nullptr;
    EXPECT_THAT(a.error(), StartsWith("seqmix::gla: g is null"));
    GlaArgs b;
    b.o.data = nullptr;
    EXPECT_THAT(b.error(), StartsWith("seqmix::gla: o is null"));
}

TEST(GlaValidation, OutputOverlapsInput) {
    GlaArgs a;
    a.o = Tensor::contiguous(a.qd.data(), {1, 8, 2, 8});  // o aliases q
    EXPECT_THAT(a.error(), StartsWith("seqmix::gla: o overlaps q"));
    GlaArgs b;
    b.o = Tensor::contiguous(b.kd.data() + 100, {1, 8, 2, 8});  // starts inside k
    EXPECT_THAT(b.error(), StartsWith("seqmix::gla: o overlaps k"));
    GlaArgs c;
    c.ht = Tensor::contiguous(c.vd.data(), {1, 2, 16, 8});  // final_state's extent covers v (and more)
    EXPECT_THAT(c.error(), StartsWith("seqmix::gla: final_state overlaps v"));
}

// Inputs may alias each other (q == k is legal: nothing writes them).
TEST(GlaValidation, InputsMayAliasEachOther) {
    SEQMIX_SKIP_IF_LEFT_OUT("gla");
    GlaArgs a;
    a.k = a.q;
    EXPECT_NO_THROW(a.call());
}

TEST(GlaValidation, MixedDevices) {
    GlaArgs a;
    a.k = on_cuda(a.k);
    EXPECT_THAT(a.error(), StartsWith("seqmix::gla: k is on cuda:0 but q is on cpu"));
    GlaArgs b;
    b.ht = on_cuda(*b.ht);
    EXPECT_THAT(b.error(), StartsWith("seqmix::gla: final_state is on cuda:0 but q is on cpu"));
}

// All tensors labelled cuda:0 but pointing at host memory: whether the library was built without
// CUDA, the host has no usable device, or the pointers are simply not device memory, a
// seqmix::Error naming the function and the device (not a crash, not a CUDA error from a kernel).
TEST(GlaValidation, CudaTensorsThatCannotRun) {
    GlaArgs a;
    for (Tensor *t : {&a.q, &a.k, &a.v, &a.g, &a.o, &*a.h0, &*a.ht}) {
        *t = on_cuda(*t);
    }
    EXPECT_THAT(a.error(), AllOf(StartsWith("seqmix::gla: "), HasSubstr("cuda")));
}

TEST(GlaValidation, EmptyBatchOrSequence) {
    GlaArgs a;
    a.q.shape = a.k.shape = a.g.shape = {1, 0, 2, 16};
    a.v.shape = a.o.shape = {1, 0, 2, 8};
    EXPECT_THAT(a.error(), AllOf(StartsWith("seqmix::gla: "), HasSubstr("[1,0,2,16]"), HasSubstr(">= 1")));
    GlaArgs b;
    b.q.shape = b.k.shape = b.g.shape = {0, 8, 2, 16};
    b.v.shape = b.o.shape = {0, 8, 2, 8};
    b.h0->shape = b.ht->shape = {0, 2, 16, 8};
    EXPECT_THAT(b.error(), AllOf(StartsWith("seqmix::gla: "), HasSubstr("[0,8,2,16]"), HasSubstr(">= 1")));
}

TEST(GlaValidation, UnknownForcedVariant) {
    GlaArgs a;
    a.opt.variant = "x86-64-avx2/nonexistent";
    const std::string msg = a.error();
    EXPECT_THAT(msg, AllOf(StartsWith("seqmix::gla: "), HasSubstr("options.variant"),
                           HasSubstr("x86-64-avx2/nonexistent"), HasSubstr("not built"), HasSubstr("built: ")));
    // the list of what was built names real variants
    for (const Variant &v : variants_of("gla")) {
        EXPECT_THAT(msg, HasSubstr(v.forced()));
    }
    GlaArgs b;
    b.opt.variant = "nonsense";
    EXPECT_THAT(b.error(), AllOf(StartsWith("seqmix::gla: "), HasSubstr("options.variant"), HasSubstr("nonsense")));
}

TEST(GlaValidation, NonFiniteScale) {
    GlaArgs a;
    a.opt.scale = std::nanf("");
    EXPECT_THAT(a.error(), AllOf(StartsWith("seqmix::gla: "), HasSubstr("options.scale")));
}

// A rejected call writes nothing.
TEST(GlaValidation, RejectedCallLeavesOutputsAlone) {
    GlaArgs a;
    a.k = Tensor::contiguous(a.kd.data(), {1, 8, 2, 12});
    const std::vector<float> o_before = a.od, ht_before = a.htd;
    a.error();
    EXPECT_EQ(a.od, o_before);
    EXPECT_EQ(a.htd, ht_before);
}

// ---- gla_step: B=1, H=2, K=16, V=8 ---------------------------------------------------------

struct GlaStepArgs {
    static constexpr int64_t B = 1, H = 2, K = 16, V = 8;
    std::vector<float> qd = std::vector<float>(B * H * K, 0.25f), kd = qd, gd = std::vector<float>(qd.size(), -0.1f);
    std::vector<float> vd = std::vector<float>(B * H * V, 0.5f), od = vd;
    std::vector<float> sd = std::vector<float>(B * H * K * V, 0.0f), nd = sd;
    Tensor q = Tensor::contiguous(qd.data(), {B, H, K});
    Tensor k = Tensor::contiguous(kd.data(), {B, H, K});
    Tensor v = Tensor::contiguous(vd.data(), {B, H, V});
    Tensor g = Tensor::contiguous(gd.data(), {B, H, K});
    Tensor state = Tensor::contiguous(sd.data(), {B, H, K, V});
    Tensor o = Tensor::contiguous(od.data(), {B, H, V});
    Tensor new_state = Tensor::contiguous(nd.data(), {B, H, K, V});
    GlaOptions opt;
    void call() const { seqmix::gla_step(q, k, v, g, state, o, new_state, opt); }
    std::string error() const {
        return error_of([this] { call(); });
    }
};

TEST(GlaStepValidation, ValidArgumentsRun) {
    SEQMIX_SKIP_IF_LEFT_OUT("gla_step");
    GlaStepArgs a;
    EXPECT_NO_THROW(a.call());
}

TEST(GlaStepValidation, WrongRank) {
    GlaStepArgs a;
    a.q = Tensor::contiguous(a.qd.data(), {1, 1, 2, 16});  // a [B,T,H,K] token passed to the step
    EXPECT_THAT(a.error(), AllOf(StartsWith("seqmix::gla_step: "), HasSubstr("q has rank 4, expected 3")));
}

TEST(GlaStepValidation, StateShapeDiffers) {
    GlaStepArgs a;
    a.state = Tensor::contiguous(a.sd.data(), {1, 2, 16, 9});
    EXPECT_THAT(a.error(), AllOf(StartsWith("seqmix::gla_step: "), HasSubstr("state has shape [1,2,16,9], expected")));
}

TEST(GlaStepValidation, NewStateAliasesState) {
    GlaStepArgs a;
    a.new_state = a.state;
    EXPECT_THAT(a.error(), StartsWith("seqmix::gla_step: new_state overlaps state"));
}

TEST(GlaStepValidation, OutputOverlapsInput) {
    GlaStepArgs a;
    a.o = Tensor::contiguous(a.vd.data(), {1, 2, 8});
    EXPECT_THAT(a.error(), StartsWith("seqmix::gla_step: o overlaps v"));
}

TEST(GlaStepValidation, WrongDtypeAndNull) {
    GlaStepArgs a;
    a.g = with_dtype(a.g, DType::f16);
    EXPECT_THAT(a.error(), StartsWith("seqmix::gla_step: g has dtype f16, expected f32"));
    GlaStepArgs b;
    b.state.data = nullptr;
    EXPECT_THAT(b.error(), StartsWith("seqmix::gla_step: state is null"));
}

TEST(GlaStepValidation, MixedDevices) {
    GlaStepArgs a;
    a.new_state = on_cuda(a.new_state);
    EXPECT_THAT(a.error(), StartsWith("seqmix::gla_step: new_state is on cuda:0 but q is on cpu"));
}

// ---- linear_attn, retention, simple_gla: B=1, T=8, H=2, K=16, V=8 ------------------------------
// One argument set; `mixer` picks the function (g is passed to simple_gla only).

struct RecurrenceArgs {
    static constexpr int64_t B = 1, T = 8, H = 2, K = 16, V = 8;
    std::string mixer = "simple_gla";
    std::vector<float> qd = std::vector<float>(B * T * H * K, 0.25f), kd = qd;
    std::vector<float> gd = std::vector<float>(B * T * H, -0.1f);
    std::vector<float> vd = std::vector<float>(B * T * H * V, 0.5f), od = vd;
    std::vector<float> h0d = std::vector<float>(B * H * K * V, 0.0f), htd = h0d;
    Tensor q = Tensor::contiguous(qd.data(), {B, T, H, K});
    Tensor k = Tensor::contiguous(kd.data(), {B, T, H, K});
    Tensor v = Tensor::contiguous(vd.data(), {B, T, H, V});
    Tensor g = Tensor::contiguous(gd.data(), {B, T, H});
    Tensor o = Tensor::contiguous(od.data(), {B, T, H, V});
    std::optional<Tensor> h0 = Tensor::contiguous(h0d.data(), {B, H, K, V});
    std::optional<Tensor> ht = Tensor::contiguous(htd.data(), {B, H, K, V});
    RecurrenceOptions opt;
    void call() const {
        if (mixer == "linear_attn") {
            seqmix::linear_attn(q, k, v, o, h0, ht, opt);
        } else if (mixer == "retention") {
            seqmix::retention(q, k, v, o, h0, ht, opt);
        } else {
            seqmix::simple_gla(q, k, v, g, o, h0, ht, opt);
        }
    }
    std::string error() const {
        return error_of([this] { call(); });
    }
    std::string prefix() const { return "seqmix::" + mixer + ": "; }
};

const char *const kRecurrenceMixers[] = {"linear_attn", "retention", "simple_gla"};

TEST(RecurrenceValidation, ValidArgumentsRun) {
    SEQMIX_SKIP_IF_LEFT_OUT("linear_attn", "retention", "simple_gla");
    for (const char *m : kRecurrenceMixers) {
        RecurrenceArgs a;
        a.mixer = m;
        EXPECT_NO_THROW(a.call()) << m;
        a.h0.reset();
        a.ht.reset();
        EXPECT_NO_THROW(a.call()) << m << " without states";
    }
}

TEST(RecurrenceValidation, WrongShapes) {
    for (const char *m : kRecurrenceMixers) {
        SCOPED_TRACE(m);
        RecurrenceArgs a;
        a.mixer = m;
        a.q = Tensor::contiguous(a.qd.data(), {8, 2, 16});
        EXPECT_THAT(a.error(), AllOf(StartsWith(a.prefix()), HasSubstr("q has rank 3, expected 4")));
        RecurrenceArgs b;
        b.mixer = m;
        b.k = Tensor::contiguous(b.kd.data(), {1, 8, 2, 12});
        EXPECT_THAT(b.error(), AllOf(StartsWith(b.prefix()), HasSubstr("k has shape [1,8,2,12], expected"),
                                     HasSubstr("q's 16")));
        RecurrenceArgs c;
        c.mixer = m;
        c.v = Tensor::contiguous(c.vd.data(), {1, 7, 2, 8});
        EXPECT_THAT(c.error(), AllOf(StartsWith(c.prefix()), HasSubstr("v has shape [1,7,2,8], expected")));
        RecurrenceArgs d;
        d.mixer = m;
        d.ht = Tensor::contiguous(d.htd.data(), {1, 2, 16, 7});
        EXPECT_THAT(d.error(), AllOf(StartsWith(d.prefix()), HasSubstr("final_state has shape [1,2,16,7], expected")));
        RecurrenceArgs e;
        e.mixer = m;
        e.h0 = Tensor::contiguous(e.h0d.data(), {1, 2, 8, 8});
        EXPECT_THAT(e.error(), AllOf(StartsWith(e.prefix()), HasSubstr("initial_state has shape [1,2,8,8], expected")));
        RecurrenceArgs f;
        f.mixer = m;
        f.o = Tensor::contiguous(f.od.data(), {1, 8, 2, 7});
        EXPECT_THAT(f.error(), AllOf(StartsWith(f.prefix()), HasSubstr("o has shape [1,8,2,7], expected")));
    }
}

TEST(RecurrenceValidation, GateShape) {
    RecurrenceArgs a;
    a.g = Tensor::contiguous(a.gd.data(), {1, 8, 1});
    EXPECT_THAT(a.error(), AllOf(StartsWith("seqmix::simple_gla: "), HasSubstr("g has shape [1,8,1], expected")));
    RecurrenceArgs b;
    b.g = Tensor::contiguous(b.qd.data(), {1, 8, 2, 16});  // GLA's per-channel gate shape
    EXPECT_THAT(b.error(), AllOf(StartsWith("seqmix::simple_gla: "), HasSubstr("g has rank 4, expected 3")));
}

TEST(RecurrenceValidation, DtypeStridesNull) {
    for (const char *m : kRecurrenceMixers) {
        SCOPED_TRACE(m);
        RecurrenceArgs a;
        a.mixer = m;
        a.v = with_dtype(a.v, DType::f16);
        EXPECT_THAT(a.error(), StartsWith(a.prefix() + "v has dtype f16, expected f32"));
        RecurrenceArgs b;
        b.mixer = m;
        b.q = with_strides(b.q, {512, 64, 32, 2});
        EXPECT_THAT(b.error(), StartsWith(b.prefix() + "q has stride 2 in its last dimension, expected 1 (contiguous)"));
        RecurrenceArgs c;
        c.mixer = m;
        c.k = with_strides(c.k, {256, 0, 16, 1});
        EXPECT_THAT(c.error(), AllOf(StartsWith(c.prefix()), HasSubstr("k has stride 0")));
        RecurrenceArgs d;
        d.mixer = m;
        d.o.data = nullptr;
        EXPECT_THAT(d.error(), StartsWith(d.prefix() + "o is null"));
        RecurrenceArgs e;
        e.mixer = m;
        e.h0 = with_dtype(*e.h0, DType::bf16);
        EXPECT_THAT(e.error(), StartsWith(e.prefix() + "initial_state has dtype bf16, expected f32"));
    }
    RecurrenceArgs a;
    a.g.data = nullptr;
    EXPECT_THAT(a.error(), StartsWith("seqmix::simple_gla: g is null"));
    RecurrenceArgs b;
    b.g = with_strides(b.g, {32, 4, 2});
    EXPECT_THAT(b.error(), StartsWith("seqmix::simple_gla: g has stride 2 in its last dimension, expected 1 (contiguous)"));
}

TEST(RecurrenceValidation, OutputsOverlapInputs) {
    for (const char *m : kRecurrenceMixers) {
        SCOPED_TRACE(m);
        RecurrenceArgs a;
        a.mixer = m;
        a.o = Tensor::contiguous(a.qd.data(), {1, 8, 2, 8});
        EXPECT_THAT(a.error(), StartsWith(a.prefix() + "o overlaps q"));
        RecurrenceArgs b;
        b.mixer = m;
        b.ht = Tensor::contiguous(b.vd.data(), {1, 2, 8, 8});
        b.h0 = Tensor::contiguous(b.h0d.data(), {1, 2, 8, 8});
        b.q = Tensor::contiguous(b.qd.data(), {1, 8, 2, 8});
        b.k = Tensor::contiguous(b.kd.data(), {1, 8, 2, 8});
        EXPECT_THAT(b.error(), StartsWith(b.prefix() + "final_state overlaps v"));
        RecurrenceArgs c;
        c.mixer = m;
        c.ht = c.h0;  // in-place state update is not supported
        EXPECT_THAT(c.error(), AllOf(StartsWith(c.prefix()), HasSubstr("final_state overlaps initial_state")));
    }
    RecurrenceArgs d;
    d.o = Tensor::contiguous(d.gd.data(), {1, 1, 2, 8});
    d.q = Tensor::contiguous(d.qd.data(), {1, 1, 2, 16});
    d.k = Tensor::contiguous(d.kd.data(), {1, 1, 2, 16});
    d.v = Tensor::contiguous(d.vd.data(), {1, 1, 2, 8});
    d.g = Tensor::contiguous(d.gd.data() + 8, {1, 1, 2});
    EXPECT_THAT(d.error(), StartsWith("seqmix::simple_gla: o overlaps g"));
}

TEST(RecurrenceValidation, ScaleDevicesVariant) {
    for (const char *m : kRecurrenceMixers) {
        SCOPED_TRACE(m);
        RecurrenceArgs a;
        a.mixer = m;
        a.opt.scale = NAN;
        EXPECT_THAT(a.error(), AllOf(StartsWith(a.prefix()), HasSubstr("options.scale")));
        RecurrenceArgs b;
        b.mixer = m;
        b.k = on_cuda(b.k);
        EXPECT_THAT(b.error(), StartsWith(b.prefix() + "k is on cuda:0 but q is on cpu"));
        RecurrenceArgs c;
        c.mixer = m;
        c.opt.variant = "x86-64-avx2/nonsense";
        const std::string msg = c.error();
        EXPECT_THAT(msg, AllOf(StartsWith(c.prefix()), HasSubstr("options.variant"), HasSubstr("nonsense")));
        for (const Variant &v : variants_of(m)) EXPECT_THAT(msg, HasSubstr(v.forced()));
    }
}

// ---- linear_attn_step, retention_step, simple_gla_step: B=1, H=2, K=16, V=8 --------------------

struct RecurrenceStepArgs {
    static constexpr int64_t B = 1, H = 2, K = 16, V = 8;
    std::string mixer = "simple_gla_step";
    std::vector<float> qd = std::vector<float>(B * H * K, 0.25f), kd = qd, gd = std::vector<float>(B * H, -0.1f);
    std::vector<float> vd = std::vector<float>(B * H * V, 0.5f), od = vd;
    std::vector<float> sd = std::vector<float>(B * H * K * V, 0.0f), nd = sd;
    Tensor q = Tensor::contiguous(qd.data(), {B, H, K});
    Tensor k = Tensor::contiguous(kd.data(), {B, H, K});
    Tensor v = Tensor::contiguous(vd.data(), {B, H, V});
    Tensor g = Tensor::contiguous(gd.data(), {B, H});
    Tensor state = Tensor::contiguous(sd.data(), {B, H, K, V});
    Tensor o = Tensor::contiguous(od.data(), {B, H, V});
    Tensor new_state = Tensor::contiguous(nd.data(), {B, H, K, V});
    RecurrenceOptions opt;
    void call() const {
        if (mixer == "linear_attn_step") {
            seqmix::linear_attn_step(q, k, v, state, o, new_state, opt);
        } else if (mixer == "retention_step") {
            seqmix::retention_step(q, k, v, state, o, new_state, opt);
        } else {
            seqmix::simple_gla_step(q, k, v, g, state, o, new_state, opt);
        }
    }
    std::string error() const {
        return error_of([this] { call(); });
    }
    std::string prefix() const { return "seqmix::" + mixer + ": "; }
};

const char *const kRecurrenceStepMixers[] = {"linear_attn_step", "retention_step", "simple_gla_step"};

TEST(RecurrenceStepValidation, ValidArgumentsRun) {
    SEQMIX_SKIP_IF_LEFT_OUT("linear_attn_step", "retention_step", "simple_gla_step");
    for (const char *m : kRecurrenceStepMixers) {
        RecurrenceStepArgs a;
        a.mixer = m;
        EXPECT_NO_THROW(a.call()) << m;
    }
}

TEST(RecurrenceStepValidation, BadArguments) {
    for (const char *m : kRecurrenceStepMixers) {
        SCOPED_TRACE(m);
        RecurrenceStepArgs a;
        a.mixer = m;
        a.q = Tensor::contiguous(a.qd.data(), {1, 1, 2, 16});
        EXPECT_THAT(a.error(), AllOf(StartsWith(a.prefix()), HasSubstr("q has rank 4, expected 3")));
        RecurrenceStepArgs b;
        b.mixer = m;
        b.state = Tensor::contiguous(b.sd.data(), {1, 2, 16, 9});
        EXPECT_THAT(b.error(), AllOf(StartsWith(b.prefix()), HasSubstr("state has shape [1,2,16,9], expected")));
        RecurrenceStepArgs c;
        c.mixer = m;
        c.new_state = c.state;
        EXPECT_THAT(c.error(), StartsWith(c.prefix() + "new_state overlaps state"));
        RecurrenceStepArgs d;
        d.mixer = m;
        d.o = Tensor::contiguous(d.vd.data(), {1, 2, 8});
        EXPECT_THAT(d.error(), StartsWith(d.prefix() + "o overlaps v"));
        RecurrenceStepArgs e;
        e.mixer = m;
        e.v = with_dtype(e.v, DType::f16);
        EXPECT_THAT(e.error(), StartsWith(e.prefix() + "v has dtype f16, expected f32"));
        RecurrenceStepArgs f;
        f.mixer = m;
        f.state.data = nullptr;
        EXPECT_THAT(f.error(), StartsWith(f.prefix() + "state is null"));
        RecurrenceStepArgs g;
        g.mixer = m;
        g.new_state = on_cuda(g.new_state);
        EXPECT_THAT(g.error(), StartsWith(g.prefix() + "new_state is on cuda:0 but q is on cpu"));
        RecurrenceStepArgs h;
        h.mixer = m;
        h.k = with_strides(h.k, {32, 16, 2});
        EXPECT_THAT(h.error(), StartsWith(h.prefix() + "k has stride 2 in its last dimension, expected 1 (contiguous)"));
    }
    RecurrenceStepArgs a;
    a.g = Tensor::contiguous(a.gd.data(), {1, 1});
    EXPECT_THAT(a.error(), AllOf(StartsWith("seqmix::simple_gla_step: "), HasSubstr("g has shape [1,1], expected")));
    RecurrenceStepArgs b;
    b.g = with_dtype(b.g, DType::f16);
    EXPECT_THAT(b.error(), StartsWith("seqmix::simple_gla_step: g has dtype f16, expected f32"));
}

// ---- ssd, ssd_step, ssd_bidirectional: B=1, T=8, H=4, P=8, N=16, G=2 ---------------------------

struct SsdArgs {
    static constexpr int64_t B = 1, T = 8, H = 4, P = 8, N = 16, G = 2;
    std::vector<float> xd = std::vector<float>(B * T * H * P, 0.5f), yd = xd;
    std::vector<float> dtd = std::vector<float>(B * T * H, 0.1f), Ad = std::vector<float>(H, -1.0f);
    std::vector<float> Dd = Ad, biasd = Ad;
    std::vector<float> Bd = std::vector<float>(B * T * G * N, 0.25f), Cd = Bd;
    std::vector<float> h0d = std::vector<float>(B * H * P * N, 0.0f), htd = h0d;
    Tensor x = Tensor::contiguous(xd.data(), {B, T, H, P});
    Tensor dt = Tensor::contiguous(dtd.data(), {B, T, H});
    Tensor A = Tensor::contiguous(Ad.data(), {H});
    Tensor Bm = Tensor::contiguous(Bd.data(), {B, T, G, N});
    Tensor Cm = Tensor::contiguous(Cd.data(), {B, T, G, N});
    Tensor y = Tensor::contiguous(yd.data(), {B, T, H, P});
    std::optional<Tensor> D = Tensor::contiguous(Dd.data(), {H});
    std::optional<Tensor> bias = Tensor::contiguous(biasd.data(), {H});
    std::optional<Tensor> h0 = Tensor::contiguous(h0d.data(), {B, H, P, N});
    std::optional<Tensor> ht = Tensor::contiguous(htd.data(), {B, H, P, N});
    SsdOptions opt;
    std::string error() const {
        return error_of([this] { seqmix::ssd(x, dt, A, Bm, Cm, y, D, bias, h0, ht, opt); });
    }
};

TEST(SsdValidation, ValidArgumentsRun) {
    SEQMIX_SKIP_IF_LEFT_OUT("ssd");
    SsdArgs a;
    EXPECT_NO_THROW(seqmix::ssd(a.x, a.dt, a.A, a.Bm, a.Cm, a.y, a.D, a.bias, a.h0, a.ht, a.opt));
    a.opt.dt_softplus = true;
    EXPECT_NO_THROW(seqmix::ssd(a.x, a.dt, a.A, a.Bm, a.Cm, a.y));
}

TEST(SsdValidation, WrongShapes) {
    SsdArgs a;
    a.x = Tensor::contiguous(a.xd.data(), {8, 4, 8});
    EXPECT_THAT(a.error(), AllOf(StartsWith("seqmix::ssd: "), HasSubstr("x has rank 3, expected 4")));
    SsdArgs b;
    b.dt = Tensor::contiguous(b.dtd.data(), {1, 8, 2});
    EXPECT_THAT(b.error(), AllOf(StartsWith("seqmix::ssd: "), HasSubstr("dt has shape [1,8,2], expected")));
    SsdArgs c;
    c.A = Tensor::contiguous(c.Ad.data(), {3});
    EXPECT_THAT(c.error(), AllOf(StartsWith("seqmix::ssd: "), HasSubstr("A has shape [3], expected")));
    SsdArgs d;
    d.Cm = Tensor::contiguous(d.Cd.data(), {1, 8, 2, 12});
    EXPECT_THAT(d.error(), AllOf(StartsWith("seqmix::ssd: "), HasSubstr("Cm has shape [1,8,2,12], expected")));
    SsdArgs e;
    e.ht = Tensor::contiguous(e.htd.data(), {1, 4, 16, 8});  // [B,H,N,P]: the transposed state
    EXPECT_THAT(e.error(), AllOf(StartsWith("seqmix::ssd: "), HasSubstr("final_state has shape [1,4,16,8]")));
    SsdArgs f;
    f.D = Tensor::contiguous(f.Dd.data(), {1, 4});
    EXPECT_THAT(f.error(), AllOf(StartsWith("seqmix::ssd: "), HasSubstr("Dskip has rank 2, expected 1")));
    SsdArgs g;
    g.bias = Tensor::contiguous(g.biasd.data(), {2});
    EXPECT_THAT(g.error(), AllOf(StartsWith("seqmix::ssd: "), HasSubstr("dt_bias has shape [2], expected")));
}

TEST(SsdValidation, GroupsMustDivideHeads) {
    SsdArgs a;
    a.Bm = Tensor::contiguous(a.Bd.data(), {1, 8, 3, 8});
    a.Cm = Tensor::contiguous(a.Cd.data(), {1, 8, 3, 8});
    a.h0 = Tensor::contiguous(a.h0d.data(), {1, 4, 8, 8});
    a.ht = Tensor::contiguous(a.htd.data(), {1, 4, 8, 8});
    EXPECT_THAT(a.error(), AllOf(StartsWith("seqmix::ssd: "), HasSubstr("Bm has G = 3 groups"),
                                 HasSubstr("does not divide H = 4")));
}

TEST(SsdValidation, DtypeStridesNullOverlapDevice) {
    SsdArgs a;
    a.dt = with_dtype(a.dt, DType::f16);
    EXPECT_THAT(a.error(), StartsWith("seqmix::ssd: dt has dtype f16, expected f32"));
    SsdArgs b;
    b.Bm = with_strides(b.Bm, {256, 32, 16, 2});
    EXPECT_THAT(b.error(), StartsWith("seqmix::ssd: Bm has stride 2 in its last dimension, expected 1 (contiguous)"));
    SsdArgs c;
    c.A.data = nullptr;
    EXPECT_THAT(c.error(), StartsWith("seqmix::ssd: A is null"));
    SsdArgs d;
    d.y = d.x;
    EXPECT_THAT(d.error(), StartsWith("seqmix::ssd: y overlaps x"));
    SsdArgs e;
    e.ht = e.h0;
    EXPECT_THAT(e.error(), AllOf(StartsWith("seqmix::ssd: "), HasSubstr("final_state overlaps initial_state")));
    SsdArgs f;
    f.Cm = on_cuda(f.Cm);
    EXPECT_THAT(f.error(), StartsWith("seqmix::ssd: Cm is on cuda:0 but x is on cpu"));
}

TEST(SsdStepValidation, ShapesAndAliasing) {
    SEQMIX_SKIP_IF_LEFT_OUT("ssd_step");
    SsdArgs a;
    Tensor x = Tensor::contiguous(a.xd.data(), {1, 4, 8}), y = Tensor::contiguous(a.yd.data(), {1, 4, 8});
    Tensor dt = Tensor::contiguous(a.dtd.data(), {1, 4});
    Tensor Bm = Tensor::contiguous(a.Bd.data(), {1, 2, 16}), Cm = Tensor::contiguous(a.Cd.data(), {1, 2, 16});
    auto call = [&](const Tensor &state, const Tensor &new_state, const Tensor &bm) {
        return error_of([&] { seqmix::ssd_step(x, dt, a.A, bm, Cm, state, y, new_state, a.D, a.bias); });
    };
    EXPECT_NO_THROW(seqmix::ssd_step(x, dt, a.A, Bm, Cm, *a.h0, y, *a.ht));
    EXPECT_THAT(call(*a.h0, *a.h0, Bm), AllOf(StartsWith("seqmix::ssd_step: "), HasSubstr("new_state overlaps state")));
    EXPECT_THAT(call(Tensor::contiguous(a.h0d.data(), {1, 4, 16, 8}), *a.ht, Bm),
                AllOf(StartsWith("seqmix::ssd_step: "), HasSubstr("state has shape [1,4,16,8], expected")));
    EXPECT_THAT(call(*a.h0, *a.ht, Tensor::contiguous(a.Bd.data(), {1, 8, 2, 16})),
                AllOf(StartsWith("seqmix::ssd_step: "), HasSubstr("Bm has rank 4, expected 3")));
}

TEST(SsdBidirectionalValidation, BackwardInputsChecked) {
    SEQMIX_SKIP_IF_LEFT_OUT("ssd_bidirectional");
    SsdArgs a;
    std::vector<float> dtb = a.dtd, Bb = a.Bd, Cb = a.Cd;
    Tensor dt_b = Tensor::contiguous(dtb.data(), {1, 8, 4});
    Tensor Bm_b = Tensor::contiguous(Bb.data(), {1, 8, 2, 16}), Cm_b = Tensor::contiguous(Cb.data(), {1, 8, 2, 16});
    auto call = [&](const Tensor &dtb_, const Tensor &bmb, const Tensor &yy) {
        return error_of([&] { seqmix::ssd_bidirectional(a.x, a.dt, a.Bm, a.Cm, dtb_, bmb, Cm_b, a.A, yy, a.D); });
    };
    EXPECT_NO_THROW(seqmix::ssd_bidirectional(a.x, a.dt, a.Bm, a.Cm, dt_b, Bm_b, Cm_b, a.A, a.y, a.D, a.bias));
    EXPECT_THAT(call(Tensor::contiguous(dtb.data(), {1, 7, 4}), Bm_b, a.y),
                AllOf(StartsWith("seqmix::ssd_bidirectional: "), HasSubstr("dt_b has shape [1,7,4], expected")));
    EXPECT_THAT(call(dt_b, Tensor::contiguous(Bb.data(), {1, 8, 4, 8}), a.y),
                AllOf(StartsWith("seqmix::ssd_bidirectional: "), HasSubstr("Bm_b has shape [1,8,4,8], expected")));
    EXPECT_THAT(call(dt_b, Bm_b, Tensor::contiguous(Cb.data(), {1, 8, 4, 8})),
                AllOf(StartsWith("seqmix::ssd_bidirectional: "), HasSubstr("y overlaps Cm_b")));
}

// ---- attention: B=1, T=8, S=10, H=4, Hkv=2, K=16, V=8 ----------------------------------------

struct AttnArgs {
    static constexpr int64_t B = 1, T = 8, S = 10, H = 4, Hkv = 2, K = 16, V = 8;
    std::vector<float> qd = std::vector<float>(B * T * H * K, 0.25f), kd = std::vector<float>(B * S * Hkv * K, 0.5f);
    std::vector<float> vd = std::vector<float>(B * S * Hkv * V, 1.0f), od = std::vector<float>(B * T * H * V, 0.0f);
    std::vector<float> lsed = std::vector<float>(B * H * T, 0.0f);
    Tensor q = Tensor::contiguous(qd.data(), {B, T, H, K});
    Tensor k = Tensor::contiguous(kd.data(), {B, S, Hkv, K});
    Tensor v = Tensor::contiguous(vd.data(), {B, S, Hkv, V});
    Tensor o = Tensor::contiguous(od.data(), {B, T, H, V});
    std::optional<Tensor> lse = Tensor::contiguous(lsed.data(), {B, H, T});
    AttentionOptions opt;
    void call() const { seqmix::attention(q, k, v, o, lse, opt); }
    std::string error() const {
        return error_of([this] { call(); });
    }
};

TEST(AttentionValidation, ValidArgumentsRun) {
    SEQMIX_SKIP_IF_LEFT_OUT("attention");
    AttnArgs a;
    EXPECT_NO_THROW(a.call());
}

TEST(AttentionValidation, WrongRank) {
    AttnArgs a;
    a.q = Tensor::contiguous(a.qd.data(), {8, 4, 16});
    EXPECT_THAT(a.error(), AllOf(StartsWith("seqmix::attention: "), HasSubstr("q has rank 3, expected 4")));
}

TEST(AttentionValidation, KeyDimDiffersFromQ) {
    AttnArgs a;
    a.k = Tensor::contiguous(a.kd.data(), {1, 10, 2, 12});
    EXPECT_THAT(a.error(), AllOf(StartsWith("seqmix::attention: "), HasSubstr("k has shape [1,10,2,12], expected"),
                                 HasSubstr("q's 16")));
}

TEST(AttentionValidation, ValueLengthDiffersFromKey) {
    AttnArgs a;
    a.v = Tensor::contiguous(a.vd.data(), {1, 9, 2, 8});
    EXPECT_THAT(a.error(), AllOf(StartsWith("seqmix::attention: "), HasSubstr("v has shape [1,9,2,8], expected")));
}

TEST(AttentionValidation, KvHeadsDoNotDivideHeads) {
    AttnArgs a;
    a.k = Tensor::contiguous(a.kd.data(), {1, 10, 3, 16});
    a.v = Tensor::contiguous(a.vd.data(), {1, 10, 3, 8});
    // names Hkv and both head counts (the wording is the runtime's)
    EXPECT_THAT(a.error(), AllOf(StartsWith("seqmix::attention: "), HasSubstr("Hkv"), HasSubstr("3"), HasSubstr("4")));
}

TEST(AttentionValidation, LseShapeDiffers) {
    AttnArgs a;
    a.lse = Tensor::contiguous(a.lsed.data(), {1, 4, 7});
    EXPECT_THAT(a.error(), AllOf(StartsWith("seqmix::attention: "), HasSubstr("lse has shape [1,4,7], expected")));
}

TEST(AttentionValidation, WrongDtypeStrideNull) {
    AttnArgs a;
    a.q = with_dtype(a.q, DType::f16);
    EXPECT_THAT(a.error(), StartsWith("seqmix::attention: q has dtype f16, expected f32"));
    AttnArgs b;
    b.v = with_strides(b.v, {320, 32, 16, 2});
    EXPECT_THAT(b.error(), StartsWith("seqmix::attention: v has stride 2 in its last dimension, expected 1 (contiguous)"));
    AttnArgs c;
    c.k.data = nullptr;
    EXPECT_THAT(c.error(), StartsWith("seqmix::attention: k is null"));
    AttnArgs d;
    d.q = with_strides(d.q, {512, 64, -16, 1});
    EXPECT_THAT(d.error(), AllOf(StartsWith("seqmix::attention: "), HasSubstr("q has stride -16")));
}

TEST(AttentionValidation, OutputOverlapsInput) {
    AttnArgs a;
    a.o = Tensor::contiguous(a.qd.data(), {1, 8, 4, 8});
    EXPECT_THAT(a.error(), StartsWith("seqmix::attention: o overlaps q"));
    AttnArgs b;
    b.lse = Tensor::contiguous(b.kd.data() + 3, {1, 4, 8});
    EXPECT_THAT(b.error(), StartsWith("seqmix::attention: lse overlaps k"));
    AttnArgs c;
    c.lse = Tensor::contiguous(c.od.data() + 8, {1, 4, 8});
    EXPECT_THAT(c.error(), AllOf(StartsWith("seqmix::attention: "), HasSubstr("overlaps")));
}

TEST(AttentionValidation, NegativeWindow) {
    AttnArgs a;
    a.opt.window = -1;
    EXPECT_THAT(a.error(), AllOf(StartsWith("seqmix::attention: "), HasSubstr("window"), HasSubstr("-1")));
}

TEST(AttentionValidation, NonFiniteScale) {
    AttnArgs a;
    a.opt.scale = INFINITY;
    EXPECT_THAT(a.error(), AllOf(StartsWith("seqmix::attention: "), HasSubstr("options.scale")));
}

TEST(AttentionValidation, MixedDevices) {
    AttnArgs a;
    a.k = on_cuda(a.k);
    EXPECT_THAT(a.error(), StartsWith("seqmix::attention: k is on cuda:0 but q is on cpu"));
    AttnArgs b;
    b.lse = on_cuda(*b.lse);
    EXPECT_THAT(b.error(), StartsWith("seqmix::attention: lse is on cuda:0 but q is on cpu"));
}

TEST(AttentionValidation, EmptySequence) {
    AttnArgs a;
    a.q.shape = {1, 0, 4, 16};
    a.o.shape = {1, 0, 4, 8};
    a.lse->shape = {1, 4, 0};
    EXPECT_THAT(a.error(), AllOf(StartsWith("seqmix::attention: "), HasSubstr("[1,0,4,16]"), HasSubstr(">= 1")));
}

TEST(AttentionValidation, UnknownForcedVariant) {
    AttnArgs a;
    a.opt.variant = "x86-64-avx2/nonexistent";
    const std::string msg = a.error();
    EXPECT_THAT(msg, AllOf(StartsWith("seqmix::attention: "), HasSubstr("options.variant"),
                           HasSubstr("x86-64-avx2/nonexistent"), HasSubstr("not built"), HasSubstr("built: ")));
    for (const Variant &v : variants_of("attention")) {
        EXPECT_THAT(msg, HasSubstr(v.forced()));
    }
}

// ---- delta-rule mixers and RWKV-7: B=1, T=8, H=2, K=16, V=8 -----------------------------------
// One argument set per function (chunked and step), inputs named as the API names them.

struct DplrArgs {
    static constexpr int64_t B = 1, T = 8, H = 2, K = 16, V = 8;
    std::string fn;  // "delta_rule", ..., "rwkv7_step"
    bool step = false;
    std::vector<std::string> names;  // inputs in the API's order
    std::vector<std::vector<float>> data;
    std::vector<Tensor> in;
    std::vector<float> od, sd, nd;
    std::vector<float> spare = std::vector<float>(4096, 0.0f);  // room for a tensor grown by a test
    Tensor o, state, new_state;                   // step: state, new_state
    std::optional<Tensor> h0, ht;                 // chunked
    DeltaRuleOptions opt;
    Rwkv7Options ropt;

    explicit DplrArgs(const std::string &name) : fn(name) {
        step = fn.size() > 5 && fn.compare(fn.size() - 5, 5, "_step") == 0;
        const std::string m = step ? fn.substr(0, fn.size() - 5) : fn;
        if (m == "rwkv7") {
            names = {"r", "w", "k", "v", "a", "b"};
        } else {
            names = {"q", "k", "v"};
            if (m != "delta_rule") names.push_back("g");
            if (m == "gated_delta_rule2") {
                names.push_back("b");
                names.push_back("w");
            } else {
                names.push_back("beta");
            }
        }
        std::vector<int64_t> lead = step ? std::vector<int64_t>{B, H} : std::vector<int64_t>{B, T, H};
        for (const std::string &n : names) {
            std::vector<int64_t> shape = lead;
            const bool is_v = n == "v" || (n == "w" && m == "gated_delta_rule2");
            const bool scalar = n == "beta" || (n == "g" && (m == "gated_delta_rule"));
            if (!scalar) shape.push_back(is_v ? V : K);
            int64_t count = 1;
            for (int64_t d : shape) count *= d;
            data.emplace_back(count, n == "g" || (n == "w" && m == "rwkv7") ? -0.1f : 0.25f);
            in.push_back(Tensor::contiguous(data.back().data(), shape));
        }
        // data's buffers moved while growing: take the views again.
        for (size_t i = 0; i < in.size(); i++) in[i].data = data[i].data();
        std::vector<int64_t> os = lead;
        os.push_back(V);
        od.assign(step ? B * H * V : B * T * H * V, 0.0f);
        sd.assign(B * H * K * V, 0.0f);
        nd = sd;
        o = Tensor::contiguous(od.data(), os);
        state = Tensor::contiguous(sd.data(), {B, H, K, V});
        new_state = Tensor::contiguous(nd.data(), {B, H, K, V});
        if (!step) h0 = state, ht = new_state;
    }
    Tensor &operator[](const std::string &n) {
        for (size_t i = 0; i < names.size(); i++) {
            if (names[i] == n) return in[i];
        }
        throw std::runtime_error("no input " + n);
    }
    void call() const {
        const auto &t = in;
        if (fn == "delta_rule") seqmix::delta_rule(t[0], t[1], t[2], t[3], o, h0, ht, opt);
        if (fn == "gated_delta_rule") seqmix::gated_delta_rule(t[0], t[1], t[2], t[3], t[4], o, h0, ht, opt);
        if (fn == "kda") seqmix::kda(t[0], t[1], t[2], t[3], t[4], o, h0, ht, opt);
        if (fn == "gated_delta_rule2") seqmix::gated_delta_rule2(t[0], t[1], t[2], t[3], t[4], t[5], o, h0, ht, opt);
        if (fn == "rwkv7") seqmix::rwkv7(t[0], t[1], t[2], t[3], t[4], t[5], o, h0, ht, ropt);
        if (fn == "delta_rule_step") seqmix::delta_rule_step(t[0], t[1], t[2], t[3], state, o, new_state, opt);
        if (fn == "gated_delta_rule_step")
            seqmix::gated_delta_rule_step(t[0], t[1], t[2], t[3], t[4], state, o, new_state, opt);
        if (fn == "kda_step") seqmix::kda_step(t[0], t[1], t[2], t[3], t[4], state, o, new_state, opt);
        if (fn == "gated_delta_rule2_step")
            seqmix::gated_delta_rule2_step(t[0], t[1], t[2], t[3], t[4], t[5], state, o, new_state, opt);
        if (fn == "rwkv7_step") seqmix::rwkv7_step(t[0], t[1], t[2], t[3], t[4], t[5], state, o, new_state, ropt);
    }
    std::string error() const {
        return error_of([this] { call(); });
    }
    std::string prefix() const { return "seqmix::" + fn + ": "; }
};

class DplrValidation : public ::testing::TestWithParam<std::string> {};

TEST_P(DplrValidation, ValidArgumentsRun) {
    SEQMIX_SKIP_IF_LEFT_OUT(GetParam());
    DplrArgs a(GetParam());
    EXPECT_NO_THROW(a.call());
    DplrArgs b(GetParam());
    b.opt.qk_l2norm = true;
    EXPECT_NO_THROW(b.call());
}

TEST_P(DplrValidation, EveryInputShapeChecked) {
    const DplrArgs ref(GetParam());
    for (const std::string &n : ref.names) {
        SCOPED_TRACE(n);
        DplrArgs a(GetParam());
        Tensor &t = a[n];
        std::vector<int64_t> shape = t.shape;
        shape.back() += 1;  // one more element in the last dim, on a buffer that has room for it
        t = Tensor::contiguous(a.spare.data(), shape);
        // The first tensor to use a symbol binds it, so the message may name a later tensor
        // (q's K read as 17 makes k the mismatch); every case is a shape error of this function.
        EXPECT_THAT(a.error(), AllOf(StartsWith(a.prefix()), HasSubstr(" has shape "), HasSubstr("expected")));
    }
}

TEST_P(DplrValidation, WrongRank) {
    DplrArgs a(GetParam());
    const std::string last = a.names.back();  // beta, w or b
    Tensor &t = a[last];
    std::vector<int64_t> shape = t.shape;
    shape.push_back(1);
    t = Tensor::contiguous(t.data, DType::f32, shape);
    EXPECT_THAT(a.error(), AllOf(StartsWith(a.prefix()), HasSubstr(last + " has rank ")));
}

TEST_P(DplrValidation, WrongDtypeStrideNull) {
    DplrArgs a(GetParam());
    a[a.names[3]] = with_dtype(a[a.names[3]], DType::f16);
    EXPECT_THAT(a.error(), StartsWith(a.prefix() + a.names[3] + " has dtype f16, expected f32"));
    DplrArgs b(GetParam());
    Tensor &k = b["k"];
    std::vector<int64_t> st = k.strides;
    st.back() = 2;
    k = with_strides(k, st);
    EXPECT_THAT(b.error(), StartsWith(b.prefix() + "k has stride 2 in its last dimension, expected 1 (contiguous)"));
    DplrArgs c(GetParam());
    c[c.names.back()].data = nullptr;
    EXPECT_THAT(c.error(), StartsWith(c.prefix() + c.names.back() + " is null"));
    DplrArgs d(GetParam());
    d.o.data = nullptr;
    EXPECT_THAT(d.error(), StartsWith(d.prefix() + "o is null"));
}

TEST_P(DplrValidation, OutputsMayNotOverlap) {
    DplrArgs a(GetParam());
    a.o = Tensor::contiguous(a.data[0].data(), a.o.shape);  // o aliases the first input
    EXPECT_THAT(a.error(), StartsWith(a.prefix() + "o overlaps " + a.names[0]));
    DplrArgs b(GetParam());
    if (b.step) {
        b.new_state = b.state;
        EXPECT_THAT(b.error(), StartsWith(b.prefix() + "new_state overlaps state"));
    } else {
        b.ht = *b.h0;
        EXPECT_THAT(b.error(), StartsWith(b.prefix() + "final_state overlaps initial_state"));
    }
}

TEST_P(DplrValidation, MixedDevicesAndBadScale) {
    DplrArgs a(GetParam());
    a["k"] = on_cuda(a["k"]);
    EXPECT_THAT(a.error(), StartsWith(a.prefix() + "k is on cuda:0 but " + a.names[0] + " is on cpu"));
    DplrArgs b(GetParam());
    b.opt.scale = b.ropt.scale = std::nanf("");
    EXPECT_THAT(b.error(), AllOf(StartsWith(b.prefix()), HasSubstr("options.scale")));
    DplrArgs c(GetParam());
    c.opt.variant = c.ropt.variant = "x86-64-avx2/nonexistent";
    EXPECT_THAT(c.error(), AllOf(StartsWith(c.prefix()), HasSubstr("options.variant"), HasSubstr("not built")));
}

// A rejected call writes nothing.
TEST_P(DplrValidation, RejectedCallLeavesOutputsAlone) {
    DplrArgs a(GetParam());
    a["k"].shape.back() = 12;
    std::fill(a.od.begin(), a.od.end(), 7.0f);
    std::fill(a.nd.begin(), a.nd.end(), 7.0f);
    a.error();
    EXPECT_EQ(a.od, std::vector<float>(a.od.size(), 7.0f));
    EXPECT_EQ(a.nd, std::vector<float>(a.nd.size(), 7.0f));
}

INSTANTIATE_TEST_SUITE_P(Mixers, DplrValidation,
                         ::testing::Values("delta_rule", "gated_delta_rule", "kda", "gated_delta_rule2", "rwkv7",
                                           "delta_rule_step", "gated_delta_rule_step", "kda_step",
                                           "gated_delta_rule2_step", "rwkv7_step"));

// ---- causal_conv1d (+ step): B=2, T=5, D=8, W=4 --------------------------------------------

struct ConvArgs {
    static constexpr int64_t B = 2, T = 5, D = 8, W = 4;
    std::vector<float> xd = std::vector<float>(B * T * D, 0.5f), yd = xd, wd = std::vector<float>(D * W, 0.25f);
    std::vector<float> bd = std::vector<float>(D, 0.1f), h0d = std::vector<float>(B * D * (W - 1), 0.0f), htd = h0d;
    Tensor x = Tensor::contiguous(xd.data(), {B, T, D});
    Tensor weight = Tensor::contiguous(wd.data(), {D, W});
    Tensor y = Tensor::contiguous(yd.data(), {B, T, D});
    std::optional<Tensor> bias = Tensor::contiguous(bd.data(), {D});
    std::optional<Tensor> h0 = Tensor::contiguous(h0d.data(), {B, D, W - 1});
    std::optional<Tensor> ht = Tensor::contiguous(htd.data(), {B, D, W - 1});
    CausalConv1dOptions opt;
    std::string error() const {
        return error_of([this] { seqmix::causal_conv1d(x, weight, y, bias, h0, ht, opt); });
    }
};

TEST(CausalConv1dValidation, ValidArgumentsRun) {
    SEQMIX_SKIP_IF_LEFT_OUT("causal_conv1d");
    ConvArgs a;
    EXPECT_NO_THROW(seqmix::causal_conv1d(a.x, a.weight, a.y, a.bias, a.h0, a.ht, a.opt));
}

TEST(CausalConv1dValidation, Shapes) {
    ConvArgs a;
    a.weight = Tensor::contiguous(a.wd.data(), {8, 5});
    EXPECT_THAT(a.error(), StartsWith("seqmix::causal_conv1d: weight has width W = 5, expected 2, 3 or 4"));
    ConvArgs b;
    b.weight = Tensor::contiguous(b.wd.data(), {7, 4});
    EXPECT_THAT(b.error(), AllOf(StartsWith("seqmix::causal_conv1d: "), HasSubstr("weight has shape [7,4]"),
                                 HasSubstr("x's 8")));
    ConvArgs c;
    c.h0 = Tensor::contiguous(c.h0d.data(), {2, 8, 2});
    EXPECT_THAT(c.error(), StartsWith("seqmix::causal_conv1d: initial_state has last dimension 2, expected W - 1 = 3"));
    ConvArgs d;
    d.bias = Tensor::contiguous(d.bd.data(), {7});
    EXPECT_THAT(d.error(), AllOf(StartsWith("seqmix::causal_conv1d: "), HasSubstr("bias has shape [7]")));
    ConvArgs e;
    e.y = Tensor::contiguous(e.yd.data(), {2, 4, 8});
    EXPECT_THAT(e.error(), AllOf(StartsWith("seqmix::causal_conv1d: "), HasSubstr("y has shape [2,4,8]")));
}

TEST(CausalConv1dValidation, DtypeStridesNullOverlap) {
    ConvArgs a;
    a.x = with_dtype(a.x, DType::bf16);
    EXPECT_THAT(a.error(), StartsWith("seqmix::causal_conv1d: x has dtype bf16, expected f32"));
    ConvArgs b;
    b.weight = with_strides(b.weight, {1, 8});
    EXPECT_THAT(b.error(), StartsWith("seqmix::causal_conv1d: weight has stride 8 in its last dimension, expected 1"));
    ConvArgs c;
    c.bias->data = nullptr;
    EXPECT_THAT(c.error(), StartsWith("seqmix::causal_conv1d: bias is null"));
    ConvArgs d;
    d.ht = Tensor::contiguous(d.xd.data(), {2, 8, 3});
    EXPECT_THAT(d.error(), StartsWith("seqmix::causal_conv1d: final_state overlaps x"));
}

TEST(CausalConv1dValidation, Step) {
    SEQMIX_SKIP_IF_LEFT_OUT("causal_conv1d_step");
    ConvArgs a;
    const Tensor x = Tensor::contiguous(a.xd.data(), {2, 8}), y = Tensor::contiguous(a.yd.data(), {2, 8});
    EXPECT_NO_THROW(seqmix::causal_conv1d_step(x, a.weight, *a.h0, y, *a.ht, a.bias));
    EXPECT_THAT(error_of([&] { seqmix::causal_conv1d_step(x, a.weight, *a.h0, y, *a.h0); }),
                StartsWith("seqmix::causal_conv1d_step: new_state overlaps state"));
    const Tensor short_state = Tensor::contiguous(a.h0d.data(), {2, 8, 1});
    EXPECT_THAT(error_of([&] { seqmix::causal_conv1d_step(x, a.weight, short_state, y, *a.ht); }),
                StartsWith("seqmix::causal_conv1d_step: state has last dimension 1, expected W - 1 = 3"));
}

// ---- selective_scan (+ step): B=2, D=4, T=6, N=3, G=2 -----------------------------------------

struct ScanArgs {
    static constexpr int64_t B = 2, D = 4, T = 6, N = 3, G = 2;
    std::vector<float> xd = std::vector<float>(B * D * T, 0.5f), dd = xd, zd = xd, yd = xd;
    std::vector<float> Ad = std::vector<float>(D * N, -1.0f), bcd = std::vector<float>(B * G * N * T, 0.25f), ccd = bcd;
    std::vector<float> Dd = std::vector<float>(D, 1.0f), h0d = std::vector<float>(B * D * N, 0.0f), htd = h0d;
    Tensor x = Tensor::contiguous(xd.data(), {B, D, T});
    Tensor delta = Tensor::contiguous(dd.data(), {B, D, T});
    Tensor A = Tensor::contiguous(Ad.data(), {D, N});
    Tensor Bm = Tensor::contiguous(bcd.data(), {B, G, N, T});
    Tensor Cm = Tensor::contiguous(ccd.data(), {B, G, N, T});
    Tensor y = Tensor::contiguous(yd.data(), {B, D, T});
    std::optional<Tensor> Dskip = Tensor::contiguous(Dd.data(), {D});
    std::optional<Tensor> z = Tensor::contiguous(zd.data(), {B, D, T});
    std::optional<Tensor> h0 = Tensor::contiguous(h0d.data(), {B, D, N});
    std::optional<Tensor> ht = Tensor::contiguous(htd.data(), {B, D, N});
    std::string error() const {
        return error_of([this] { seqmix::selective_scan(x, delta, A, Bm, Cm, y, Dskip, z, std::nullopt, h0, ht); });
    }
};

TEST(SelectiveScanValidation, ValidArgumentsRun) {
    SEQMIX_SKIP_IF_LEFT_OUT("selective_scan");
    ScanArgs a;
    EXPECT_NO_THROW(seqmix::selective_scan(a.x, a.delta, a.A, a.Bm, a.Cm, a.y, a.Dskip, a.z, std::nullopt, a.h0, a.ht));
    // Time-invariant Bm and Cm [D,N].
    EXPECT_NO_THROW(seqmix::selective_scan(a.x, a.delta, a.A, Tensor::contiguous(a.bcd.data(), {4, 3}),
                                           Tensor::contiguous(a.ccd.data(), {4, 3}), a.y));
}

TEST(SelectiveScanValidation, Shapes) {
    ScanArgs a;
    a.Bm = Tensor::contiguous(a.bcd.data(), {2, 3, 3, 6});
    EXPECT_THAT(a.error(), StartsWith("seqmix::selective_scan: Bm has G = 3 groups, which does not divide D = 4"));
    ScanArgs b;
    b.Cm = Tensor::contiguous(b.ccd.data(), {2, 2, 3});
    EXPECT_THAT(b.error(), StartsWith("seqmix::selective_scan: Cm has rank 3, expected 2 ([D,N], time-invariant) or 4"));
    ScanArgs c;
    c.A = Tensor::contiguous(c.Ad.data(), {4, 2});
    EXPECT_THAT(c.error(), AllOf(StartsWith("seqmix::selective_scan: "), HasSubstr("Bm has shape [2,2,3,6]"),
                                 HasSubstr("A's 2")));
    ScanArgs d;
    d.delta = Tensor::contiguous(d.dd.data(), {2, 4, 5});
    EXPECT_THAT(d.error(), AllOf(StartsWith("seqmix::selective_scan: "), HasSubstr("delta has shape [2,4,5]")));
    ScanArgs e;
    e.ht = Tensor::contiguous(e.htd.data(), {2, 4, 2});
    EXPECT_THAT(e.error(), AllOf(StartsWith("seqmix::selective_scan: "), HasSubstr("final_state has shape [2,4,2]")));
}

TEST(SelectiveScanValidation, DtypeStridesNullOverlap) {
    ScanArgs a;
    a.z = with_dtype(*a.z, DType::f16);
    EXPECT_THAT(a.error(), StartsWith("seqmix::selective_scan: z has dtype f16, expected f32"));
    ScanArgs b;
    b.x = with_strides(b.x, {24, 1, 4});
    EXPECT_THAT(b.error(), StartsWith("seqmix::selective_scan: x has stride 4 in its last dimension, expected 1"));
    ScanArgs c;
    c.A.data = nullptr;
    EXPECT_THAT(c.error(), StartsWith("seqmix::selective_scan: A is null"));
    ScanArgs d;
    d.y = Tensor::contiguous(d.zd.data(), {2, 4, 6});
    EXPECT_THAT(d.error(), StartsWith("seqmix::selective_scan: y overlaps z"));
    ScanArgs e;
    e.x = on_cuda(e.x);
    // Without a GPU: "x is on cuda:0, ..."; on a GPU host: "x is marked cuda:0 but its pointer is
    // not CUDA device memory". Either way an error naming x and the device.
    EXPECT_THAT(e.error(), AllOf(StartsWith("seqmix::selective_scan: x is"), HasSubstr("cuda:0")));
}

TEST(SelectiveScanValidation, Step) {
    SEQMIX_SKIP_IF_LEFT_OUT("selective_scan_step");
    ScanArgs a;
    const Tensor x = Tensor::contiguous(a.xd.data(), {2, 4}), dt = Tensor::contiguous(a.dd.data(), {2, 4});
    const Tensor y = Tensor::contiguous(a.yd.data(), {2, 4}), bm = Tensor::contiguous(a.bcd.data(), {2, 2, 3});
    EXPECT_NO_THROW(seqmix::selective_scan_step(x, dt, a.A, bm, bm, *a.h0, y, *a.ht));
    EXPECT_THAT(error_of([&] { seqmix::selective_scan_step(x, dt, a.A, bm, bm, *a.h0, y, *a.h0); }),
                StartsWith("seqmix::selective_scan_step: new_state overlaps state"));
    EXPECT_THAT(error_of([&] { seqmix::selective_scan_step(x, dt, a.A, a.Bm, bm, *a.h0, y, *a.ht); }),
                StartsWith("seqmix::selective_scan_step: Bm has rank 4, expected 2 ([D,N], time-invariant) or 3"));
}

// ---- decode_attention: B=2, Tq=2, L=6, H=4, Hkv=2, K=8, V=4 -------------------------------------

struct DecodeArgs {
    static constexpr int64_t B = 2, Tq = 2, L = 6, H = 4, Hkv = 2, K = 8, V = 4;
    std::vector<float> qd = std::vector<float>(B * Tq * H * K, 0.5f), kd = std::vector<float>(B * L * Hkv * K, 0.5f);
    std::vector<float> vd = std::vector<float>(B * L * Hkv * V, 0.5f), od = std::vector<float>(B * Tq * H * V, 0.0f);
    std::vector<int32_t> lensd = {6, 3};
    Tensor q = Tensor::contiguous(qd.data(), {B, Tq, H, K});
    Tensor k = Tensor::contiguous(kd.data(), {B, L, Hkv, K});
    Tensor v = Tensor::contiguous(vd.data(), {B, L, Hkv, V});
    Tensor lens = Tensor::contiguous(lensd.data(), DType::i32, {B});
    Tensor o = Tensor::contiguous(od.data(), {B, Tq, H, V});
    std::string error() const {
        return error_of([this] { seqmix::decode_attention(q, k, v, lens, o); });
    }
};

TEST(DecodeAttentionValidation, ValidArgumentsRun) {
    SEQMIX_SKIP_IF_LEFT_OUT("decode_attention");
    DecodeArgs a;
    EXPECT_NO_THROW(seqmix::decode_attention(a.q, a.k, a.v, a.lens, a.o));
}

TEST(DecodeAttentionValidation, Shapes) {
    DecodeArgs a;
    a.lens = Tensor::contiguous(a.lensd.data(), DType::i32, {1});
    EXPECT_THAT(a.error(), AllOf(StartsWith("seqmix::decode_attention: "), HasSubstr("lens has shape [1]")));
    DecodeArgs b;
    b.k = Tensor::contiguous(b.kd.data(), {2, 6, 3, 8});
    b.v = Tensor::contiguous(b.vd.data(), {2, 6, 3, 4});
    EXPECT_THAT(b.error(), StartsWith("seqmix::decode_attention: q has H = 4 heads, which is not a multiple of k's Hkv = 3"));
    DecodeArgs c;
    c.v = Tensor::contiguous(c.vd.data(), {2, 5, 2, 4});
    EXPECT_THAT(c.error(), AllOf(StartsWith("seqmix::decode_attention: "), HasSubstr("v has shape [2,5,2,4]")));
    std::vector<float> big(2 * 9 * 4 * 8);
    DecodeArgs d;
    d.q = Tensor::contiguous(big.data(), {2, 9, 4, 8});
    d.o = Tensor::contiguous(d.od.data(), {2, 9, 4, 1});
    EXPECT_THAT(d.error(), AllOf(StartsWith("seqmix::decode_attention: "), HasSubstr("o has shape")));
}

TEST(DecodeAttentionValidation, TooManyNewTokens) {
    DecodeArgs a;
    std::vector<float> q(2 * 9 * 4 * 8), o(2 * 9 * 4 * 4);
    a.q = Tensor::contiguous(q.data(), {2, 9, 4, 8});
    a.o = Tensor::contiguous(o.data(), {2, 9, 4, 4});
    EXPECT_THAT(a.error(), StartsWith("seqmix::decode_attention: q has Tq = 9 new tokens, expected 1..8"));
}

TEST(DecodeAttentionValidation, DtypeStridesNullOverlap) {
    DecodeArgs a;
    a.lens = with_dtype(a.lens, DType::f32);
    EXPECT_THAT(a.error(), StartsWith("seqmix::decode_attention: lens has dtype f32, expected i32"));
    DecodeArgs b;
    b.q = with_dtype(b.q, DType::i32);
    EXPECT_THAT(b.error(), StartsWith("seqmix::decode_attention: q has dtype i32, expected f32"));
    DecodeArgs c;
    c.k = with_strides(c.k, {96, 16, 8, 2});
    EXPECT_THAT(c.error(), StartsWith("seqmix::decode_attention: k has stride 2 in its last dimension, expected 1"));
    DecodeArgs d;
    d.lens.data = nullptr;
    EXPECT_THAT(d.error(), StartsWith("seqmix::decode_attention: lens is null"));
    DecodeArgs e;
    e.o = Tensor::contiguous(e.qd.data(), {2, 2, 4, 4});
    EXPECT_THAT(e.error(), StartsWith("seqmix::decode_attention: o overlaps q"));
}

}  // namespace
}  // namespace seqmix::test
