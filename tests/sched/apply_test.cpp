// The applier on toy pipelines: schedules from text must not change results (JIT on the host),
// every error must be a sched::Error at the directive (never an abort), and GPU directives must
// lower for a CUDA target (compiled to a Module: no GPU needed).
#include "apply/apply.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

namespace seqmix::sched {
namespace {

using namespace Halide;

// in -> f -> g (pure + reduction over RDom "rk") -> out, plus a scan h with a true dependency.
struct Toy {
    Var x{"x"}, y{"y"};
    Func in{"in"}, f{"f"}, g{"g"}, out{"out"}, h{"h"}, m{"m"};
    RDom rk{0, 8, "rk"};
    RDom rr{0, 3, 0, 2, "rr"};

    Toy() {
        in(x, y) = x * 3 + y * 7;
        f(x, y) = in(x, y) * 2 + in(x + 1, y);
        g(x, y) = 0;
        g(x, y) += f(x + rk, y);
        m(x, y) = 1;
        m(x, y) += g(x + rr.x, y + rr.y);
        h(x, y) = m(x, y);
        h(rk, y) = h(rk - 1, y) + h(rk, y);  // a scan: rk carries a dependency
        out(x, y) = h(x, y) + 1;
    }
    std::vector<Func> funcs() const {
        return {in, f, g, m, h, out};
    }
};

Buffer<int> reference() {
    Toy t;
    return t.out.realize({40, 24});
}

Buffer<int> run_with(const std::string &text, const std::string &overrides = "") {
    Toy t;
    Schedule s = parse(text, "toy.sched");
    apply(s, resolve_params(s, overrides), t.funcs(), get_jit_target_from_environment());
    try {
        return t.out.realize({40, 24});
    } catch (const Halide::Error &e) {
        // Halide's errors are not std::exceptions: show the message instead of "unknown exception".
        ADD_FAILURE() << "Halide: " << e.what();
        return Buffer<int>(40, 24);
    }
}

void expect_same(const Buffer<int> &a, const Buffer<int> &b) {
    ASSERT_EQ(a.width(), b.width());
    ASSERT_EQ(a.height(), b.height());
    int bad = 0;
    for (int y = 0; y < a.height(); y++) {
        for (int x = 0; x < a.width(); x++) {
            bad += a(x, y) != b(x, y);
        }
    }
    EXPECT_EQ(bad, 0);
}

// The error an apply() of `text` raises, as what(); "no error" if none.
std::string apply_error(const std::string &text, const Target &target = get_jit_target_from_environment()) {
    Toy t;
    try {
        Schedule s = parse(text, "toy.sched");
        apply(s, resolve_params(s), t.funcs(), target);
    } catch (const Error &e) {
        return e.what();
    }
    return "no error";
}

TEST(SchedApply, CpuScheduleKeepsResults) {
    Buffer<int> ref = reference();
    expect_same(ref, run_with(R"(
param vec = 8 in pow2[4..16]
param rows = 4 in [1..8]
func out : split y into yo, yi by rows tail GuardWithIf ; vectorize x by vec ; parallel yo
func h : compute_at out yo
func m : compute_at h y
  update 0 : reorder x, rr.x, rr.y, y ; vectorize x by vec / 2
func g : compute_at m y
  update 0 : reorder x, rk, y ; vectorize x by vec
func f : compute_at g rk ; vectorize x by 4 tail RoundUp
func in : compute_root ; parallel y ; vectorize x by vec
)"));
    expect_same(ref, run_with("param vec = 8 in pow2[4..16]\nfunc out : vectorize x by vec\nfunc g : compute_root",
                              "vec=16"));
}

TEST(SchedApply, TilingFusingStorageAndWrappers) {
    Buffer<int> ref = reference();
    expect_same(ref, run_with(R"(
func out : tile x, y into xo, yo, xi, yi by 8, 4 tail GuardWithIf ; fuse xo, yo into t ; parallel t ; unroll yi
func h : compute_root ; reorder_storage y, x ; bound x min -1 extent 41
  update 0 : parallel y by 2
func m : compute_at h y ; store_at h y ; align_storage x 8
func g : compute_root ; bound_extent y 25
  update 0 : unroll rk by 2 tail GuardWithIf ; serial y
func f.in(g) : compute_at g y ; vectorize x by 8
func f : compute_root ; memoize
func in.in() : compute_root
func in : compute_root ; store_in Heap ; hoist_storage_root
)"));
    // `memoize` keeps its results in the JIT runtime's cache on purpose; free them so that
    // LeakSanitizer (the ASan build) sees no leak.
    Halide::Internal::JITSharedRuntime::release_all();
}

TEST(SchedApply, RVarNames) {
    Buffer<int> ref = reference();
    // A 1-D RDom answers to rk, rk.x and Halide's rk$x; a 2-D one to rr.x / rr$x.
    for (const char *name : {"rk", "rk.x", "rk$x"}) {
        SCOPED_TRACE(name);
        expect_same(ref, run_with(fmt::format("func g : compute_root\n  update 0 : split {} into ro, ri by 4 ; "
                                              "reorder ri, x, ro, y\nfunc f : compute_at g ro",
                                              name)));
    }
    expect_same(ref, run_with("func m : compute_root\n  update 0 : reorder rr$y, rr.x, x, y ; unroll rr.y\n"
                              "func g : compute_at m update 0 rr.x"));
    EXPECT_EQ(apply_error("func m update 0 : unroll rr"),
              "toy.sched:1:26: unknown Var 'rr' in Func 'm' update 0; Vars are: rr.x rr.y x y");
    // An RVar split keeps RVars: the new names are listed as such.
    EXPECT_EQ(apply_error("func g update 0 : split rk into ro, ri by 2 ; unroll r"),
              "toy.sched:1:54: unknown Var 'r' in Func 'g' update 0; Vars are: ri ro x y");
}

TEST(SchedApply, ComputeWith) {
    // Two independent consumers of `in` computed in one loop nest.
    Var x("x"), y("y");
    Func in("in"), a("a"), b("b"), out("out");
    in(x, y) = x + y;
    a(x, y) = in(x, y) * 2;
    b(x, y) = in(x, y) * 3;
    out(x, y) = a(x, y) + b(x, y);
    Buffer<int> ref = out.realize({16, 8});
    Func in2("in"), a2("a"), b2("b"), out2("out");
    in2(x, y) = x + y;
    a2(x, y) = in2(x, y) * 2;
    b2(x, y) = in2(x, y) * 3;
    out2(x, y) = a2(x, y) + b2(x, y);
    Schedule s = parse("func a : compute_root\nfunc b : compute_root ; compute_with a y\nfunc in : compute_root",
                       "cw.sched");
    apply(s, {}, {in2, a2, b2, out2}, get_jit_target_from_environment());
    expect_same(ref, out2.realize({16, 8}));
}

TEST(SchedApply, LateDirectivesMayPrecedeTheLoopsTheyName) {
    // `compute_at out yo` comes before the block that creates yo.
    expect_same(reference(), run_with("func h : compute_at out yo\nfunc out : split y into yo, yi by 8"));
}

TEST(SchedApply, UnknownNames) {
    EXPECT_EQ(apply_error("func o : parallel y"), "toy.sched:1:6: unknown Func 'o'; Funcs are: in f g m h out");
    EXPECT_EQ(apply_error("func out : split tt into a, b by 4"),
              "toy.sched:1:18: unknown Var 'tt' in Func 'out' stage 0; Vars are: x y");
    EXPECT_EQ(apply_error("func f : compute_at out zz"),
              "toy.sched:1:25: unknown loop 'zz' in Func 'out'; loops are: stage 0: x y");
    EXPECT_EQ(apply_error("func f : compute_at g update 0 zz"),
              "toy.sched:1:32: unknown Var 'zz' in Func 'g' update 0; Vars are: rk x y");
    EXPECT_EQ(apply_error("func f : compute_at gg y"), "toy.sched:1:21: unknown Func 'gg'; Funcs are: in f g m h out");
    EXPECT_EQ(apply_error("func f.in(q) : compute_root"),
              "toy.sched:1:11: unknown Func 'q'; Funcs are: in f g m h out");
    EXPECT_EQ(apply_error("func out : split x into y, xi by 4"),
              "toy.sched:1:25: Var 'y' already exists in Func 'out' stage 0; pick a new name");
    EXPECT_EQ(apply_error("func out : bound q min 0 extent 4"),
              "toy.sched:1:18: unknown Var 'q' of Func 'out' (storage dimensions are pure Vars); Vars are: x y");
}

TEST(SchedApply, BadStages) {
    EXPECT_EQ(apply_error("func g update 3 : parallel y"),
              "toy.sched:1:1: Func 'g' has 1 update (update 0); 'update 3' does not exist");
    EXPECT_EQ(apply_error("func out :\n  update 0 : parallel y"),
              "toy.sched:2:3: Func 'out' has no updates; 'update 0' does not exist");
    EXPECT_EQ(apply_error("func f : compute_at g update 1 x"),
              "toy.sched:1:21: Func 'g' has 1 update (update 0); 'update 1' does not exist");
}

TEST(SchedApply, BadFactors) {
    EXPECT_EQ(apply_error("param v = 8\nfunc out : vectorize x by v - 8"),
              "toy.sched:2:29: 'v - 8' = 0 must be positive");
    EXPECT_EQ(apply_error("param v = 8\nfunc out : split x into xo, xi by v * 1000000000"),
              "toy.sched:2:37: 'v * 1000000000' = 8000000000 does not fit in a 32-bit Halide Expr");
    Toy t;
    Schedule s = parse("param v = 8\nfunc out : vectorize x by 64 / (v - 8)", "toy.sched");
    try {
        apply(s, resolve_params(s), t.funcs(), get_jit_target_from_environment());
        FAIL();
    } catch (const Error &e) {
        EXPECT_STREQ(e.what(), "toy.sched:2:30: division by zero in '64 / (v - 8)'");
    }
    // Params missing from the map given to apply().
    try {
        apply(s, {}, t.funcs(), get_jit_target_from_environment());
        FAIL();
    } catch (const Error &e) {
        EXPECT_STREQ(e.what(), "toy.sched:2:33: undefined name 'v'; none are defined");
    }
}

TEST(SchedApply, HalideRejectionsBecomeSchedErrors) {
    // Halide refuses these in the scheduling call itself; the applier reports them at the directive.
    auto starts = [](const std::string &got, const std::string &prefix) {
        EXPECT_EQ(got.substr(0, prefix.size()), prefix) << got;
    };
    starts(apply_error("func h update 0 : parallel rk"),
           "toy.sched:1:19: Halide rejected 'parallel' on Func 'h' update 0: ");
    starts(apply_error("func h update 0 : vectorize rk by 4"),
           "toy.sched:1:19: Halide rejected 'vectorize' on Func 'h' update 0: ");
    starts(apply_error("func out : reorder x, y, x"), "toy.sched:1:12: Halide rejected 'reorder' on Func 'out' stage 0: ");
    EXPECT_NE(apply_error("func h update 0 : parallel rk").find("race condition"), std::string::npos);
    // ... unless the file says the race is intended.
    EXPECT_EQ(apply_error("func g update 0 : atomic ; parallel rk"), "no error");
    EXPECT_EQ(apply_error("func h update 0 : allow_race_conditions ; parallel rk"), "no error");
}

TEST(SchedApply, GpuDirectivesNeedAGpuTarget) {
    EXPECT_EQ(apply_error("func out : gpu_tile x, y into bx, by, tx, ty by 8, 8"),
              "toy.sched:1:12: 'gpu_tile' needs a GPU target; the target is " +
                  get_jit_target_from_environment().to_string());
}

TEST(SchedApply, AutoscheduleIsNotApplied) {
    EXPECT_EQ(apply_error("autoschedule adams2019 autoscheduler.beam_size=1"),
              "toy.sched:1:1: 'autoschedule adams2019' is not applied by seqmix::sched::apply; run the autoscheduler "
              "on the pipeline instead (it schedules whole pipelines)");
}

TEST(SchedApply, GpuDirectivesLowerForCuda) {
    Target cuda("host-cuda");
    const char *text = R"(
func out : gpu_tile x, y into bx, by, tx, ty by 16, 8 tail GuardWithIf
func h : compute_root ; gpu_tile x, y into bx, by, tx, ty by 8, 8
  update 0 : gpu_blocks y
func m : compute_root ; gpu_tile x, y into bx, by, tx, ty by 8, 8
  update 0 : gpu_tile x, y into bx, by, tx, ty by 8, 8
func g : compute_at m tx
func f : compute_root ; split y into yo, yi by 4 ; gpu_blocks yo ; gpu_threads x, yi
func in.in(f) : compute_at f yo ; store_in GPUShared ; gpu_threads x, y
func in : compute_root ; gpu_single_thread
)";
    Toy t;
    Schedule s = parse(text, "gpu.sched");
    apply(s, resolve_params(s), t.funcs(), cuda);
    Pipeline p(t.out);
    try {
        Module mod = p.compile_to_module({}, "toy_cuda", cuda);
        EXPECT_FALSE(mod.functions().empty());
    } catch (const Halide::Error &e) {
        FAIL() << "Halide: " << e.what();
    }
    // gpu_lanes needs a loop of at most 32 lanes inside a GPU block.
    Toy t2;
    Schedule s2 = parse("func out : gpu_tile x, y into bx, by, tx, ty by 32, 1 ; gpu_lanes tx", "gpu.sched");
    apply(s2, {}, t2.funcs(), cuda);
}

// ---- issue 5 vocabulary: rfactor, specialize, prefetch, compute_with align, ring_buffer,
// autoschedule.

TEST(SchedApply, RfactorNamesTheNewFunc) {
    Buffer<int> ref = reference();
    expect_same(run_with("func g : compute_root\n"
                         "func g update 0 : split rk into rko, rki by 4 ; rfactor rko as u into g_part\n"
                         "func g_part : compute_root ; vectorize x by 4\n"
                         "  update 0 : reorder x, rki, u ; vectorize x by 4\n"),
                ref);
    // The default Var name is the RVar's.
    expect_same(run_with("func g : compute_root\nfunc g update 0 : rfactor rk into gi\nfunc gi : compute_root\n"), ref);
}

TEST(SchedApply, RfactorErrors) {
    EXPECT_EQ(apply_error("func g update 0 : rfactor x into gi"),
              "toy.sched:1:27: 'x' is a pure Var of Func 'g' update 0; rfactor preserves RVars");
    EXPECT_EQ(apply_error("func g update 0 : rfactor rk into f"),
              "toy.sched:1:35: 'f' already names a Func; give the rfactor Func a new name");
    EXPECT_EQ(apply_error("func gi : compute_root\nfunc g update 0 : rfactor rk into gi"),
              "toy.sched:1:6: unknown Func 'gi'; Funcs are: in f g m h out");
    // A scan carries a dependency over its RVar: Halide refuses, reported at the directive.
    std::string e = apply_error("func h update 0 : rfactor rk into hi");
    EXPECT_EQ(e.rfind("toy.sched:1:19: Halide rejected 'rfactor' on Func 'h' update 0: ", 0), 0u) << e;
}

TEST(SchedApply, SpecializeOnSymbols) {
    Buffer<int> ref = reference();
    Toy t;
    Halide::Param<int> w("w");
    Schedule s = parse("func out : split x into xo, xi by 8\n"
                       "specialize W >= 32 and n == 8 :\n  vectorize xi\n  parallel y\n"
                       "specialize W < 32 : unroll xi\n"
                       "func g : compute_root\n  update 0 :\n  specialize W >= 32 : vectorize x by n\n"
                       "param n = 8\n",
                       "toy.sched");
    apply(s, resolve_params(s), t.funcs(), get_jit_target_from_environment(), {{"W", Halide::Expr(w)}});
    EXPECT_EQ(t.out.function().definition().specializations().size(), 2u);
    EXPECT_EQ(t.g.function().update(0).specializations().size(), 1u);
    w.set(40);
    expect_same(t.out.realize({40, 24}), ref);
}

TEST(SchedApply, SpecializeErrors) {
    EXPECT_EQ(apply_error("func out :\nspecialize T >= 2 : parallel y"),
              "toy.sched:2:12: unknown name 'T' in a specialize condition; shape symbols are: (none: this generator "
              "passes none); params may be used too");
    // Names are the specialisation's own loops.
    EXPECT_EQ(apply_error("func out : split x into xo, xi by 8\nspecialize 1 == 1 : parallel xx"),
              "toy.sched:2:30: unknown Var 'xx' in Func 'out' stage 0; Vars are: xi xo y");
}

TEST(SchedApply, PrefetchAndRingBuffer) {
    Buffer<int> ref = reference();
    expect_same(run_with("func h : compute_root\nfunc out : split y into yo, yi by 4 ; prefetch h at yo from yo offset 1"),
                ref);
    expect_same(run_with("func f : compute_at g y ; store_root ; fold_storage y 2\n"
                         "func out : prefetch h at y from y bound Clamp\nfunc h : compute_root\n"),
                ref);
    EXPECT_EQ(apply_error("func out : prefetch nope at y from y"),
              "toy.sched:1:21: unknown Func 'nope'; Funcs are: in f g m h out");
    EXPECT_EQ(apply_error("func out : prefetch h at y from yy"),
              "toy.sched:1:33: unknown Var 'yy' in Func 'out' stage 0; Vars are: x y");
    EXPECT_EQ(apply_error("func f : ring_buffer 0"), "toy.sched:1:22: '0' = 0 must be positive");
    {
        Toy t;
        Schedule s = parse("func f : compute_at out y ; hoist_storage_root ; ring_buffer 2", "toy.sched");
        apply(s, {}, t.funcs(), get_jit_target_from_environment());
        EXPECT_TRUE(t.f.function().schedule().ring_buffer().defined());
    }
}

TEST(SchedApply, ComputeWithAlign) {
    Var x("x");
    Func a("a"), b("b"), c("c");
    a(x) = x;
    b(x) = x * 2;
    c(x) = a(x) + b(x + 1);
    Buffer<int> ref = c.realize({32});
    Func a2("a"), b2("b"), c2("c");
    a2(x) = x;
    b2(x) = x * 2;
    c2(x) = a2(x) + b2(x + 1);
    Schedule s = parse("func a : compute_root\nfunc b : compute_root ; compute_with a x align AlignStart\n", "cw.sched");
    apply(s, {}, {a2, b2, c2}, get_jit_target_from_environment());
    Buffer<int> got = c2.realize({32});
    for (int i = 0; i < 32; i++) {
        EXPECT_EQ(got(i), ref(i));
    }
}

TEST(SchedApply, AutoscheduleMullapudi) {
    Buffer<int> ref = reference();
    Toy t;
    t.out.set_estimates({{0, 40}, {0, 24}});
    Schedule s = parse("autoschedule mullapudi2016 parallelism=2\n", "auto.sched");
    Pipeline p(t.out);
    autoschedule(s, p, get_jit_target_from_environment());
    expect_same(t.out.realize({40, 24}), ref);
}

TEST(SchedApply, AutoscheduleErrors) {
    Toy t;
    Pipeline p(t.out);
    Schedule s = parse("\nautoschedule nonesuch\n", "auto.sched");
    try {
        autoschedule(s, p, get_jit_target_from_environment());
        ADD_FAILURE() << "no error";
    } catch (const Error &e) {
        EXPECT_EQ(std::string(e.what()), "auto.sched:2:1: unknown autoscheduler 'nonesuch'; autoschedulers are: "
                                         "adams2019 anderson2021 li2018 mullapudi2016");
    }
    // No estimates: the autoscheduler's own error, at the line.
    Schedule m = parse("autoschedule mullapudi2016\n", "auto.sched");
    try {
        autoschedule(m, p, get_jit_target_from_environment());
        ADD_FAILURE() << "no error";
    } catch (const Error &e) {
        EXPECT_EQ(std::string(e.what()).rfind("auto.sched:1:1: autoscheduler=Mullapudi2016 failed: Please provide a valid estimate", 0), 0u) << e.what();
    }
}

}  // namespace
}  // namespace seqmix::sched
