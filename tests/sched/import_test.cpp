// import.h: reading a schedule back out of Halide (export_schedule) must reproduce it exactly when
// applied again, and guard_tails must make an estimate-sized split correct at small extents.
#include "apply/apply.h"
#include "apply/import.h"

#include <gtest/gtest.h>

#include <cmath>

namespace seqmix::sched {
namespace {

using namespace Halide;

// A separable blur and a reduction over it, with estimates for the autoschedulers.
struct Blur {
    ImageParam in{Float(32), 2, "in"};
    Var x{"x"}, y{"y"};
    Func bx{"bx"}, by{"by"}, sum{"sum"}, out{"out"};
    RDom r{0, 4, "r"};

    Blur() {
        Halide::Expr w = in.width() - 1, h = in.height() - 1;
        bx(x, y) = in(clamp(x - 1, 0, w), y) + in(clamp(x, 0, w), y) + in(clamp(x + 1, 0, w), y);
        by(x, y) = bx(x, clamp(y - 1, 0, h)) + bx(x, clamp(y, 0, h)) + bx(x, clamp(y + 1, 0, h));
        sum(x, y) = 0.0f;
        sum(x, y) += by(clamp(x + r, 0, w), y);
        out(x, y) = sum(x, y) * 0.5f;
        in.set_estimates({{0, 1024}, {0, 1024}});
        out.set_estimates({{0, 1024}, {0, 1024}});
    }
    std::vector<Func> funcs() const {
        return {bx, by, sum, out};
    }
    Pipeline pipeline() const {
        return Pipeline(out);
    }
    Buffer<float> run(int width, int height) {
        Buffer<float> input(width, height);
        for (int j = 0; j < height; j++) {
            for (int i = 0; i < width; i++) {
                input(i, j) = std::sin(0.1f * i) + 0.01f * j;
            }
        }
        in.set(input);
        return out.realize({width, height});
    }
};

Buffer<float> unscheduled(int width, int height) {
    Blur b;
    return b.run(width, height);
}

void expect_close(const Buffer<float> &a, const Buffer<float> &b) {
    ASSERT_EQ(a.width(), b.width());
    ASSERT_EQ(a.height(), b.height());
    int bad = 0;
    for (int j = 0; j < a.height(); j++) {
        for (int i = 0; i < a.width(); i++) {
            bad += std::abs(a(i, j) - b(i, j)) > 1e-5f * (1.0f + std::abs(b(i, j)));
        }
    }
    EXPECT_EQ(bad, 0);
}

// Halide's errors are not std::exceptions: report their message instead of "unknown exception".
template <class F>
void halide_checked(F f) {
    try {
        f();
    } catch (const Halide::Error &e) {
        FAIL() << "Halide: " << e.what();
    }
}

void apply_text(Blur &b, const std::string &text) {
    Schedule s = parse(text, "imported.sched");
    apply(s, resolve_params(s), b.funcs(), get_jit_target_from_environment());
}

TEST(SchedImport, AutoscheduleRoundTripsAndStaysCorrectAtSmallShapes) {
    halide_checked([&] {
        Blur a;
        Schedule s = parse("autoschedule mullapudi2016 parallelism=4\n", "auto.sched");
        autoschedule(s, a.pipeline(), get_jit_target_from_environment());
        ExportOptions o;
        o.comments = {"imported"};
        o.explicit_only = true;
        const std::string text = export_schedule(a.pipeline(), o);
        EXPECT_EQ(text.rfind("# imported\nexplicit\n", 0), 0u) << text;
        EXPECT_NE(text.find("func out :"), std::string::npos) << text;
        EXPECT_NE(text.find("vectorize"), std::string::npos) << text;
        // autoschedule() guarded the tails: nothing that computes past the loop end is left.
        EXPECT_EQ(text.find("tail ShiftInwards"), std::string::npos) << text;
        EXPECT_EQ(text.find("tail RoundUp"), std::string::npos) << text;

        Blur b;
        apply_text(b, text);
        EXPECT_EQ(export_schedule(b.pipeline(), o), text);
        // At the estimate, and far below it (the autoscheduler's factors exceed these extents).
        expect_close(a.run(1024, 1024), unscheduled(1024, 1024));
        expect_close(b.run(1024, 1024), unscheduled(1024, 1024));
        expect_close(b.run(5, 3), unscheduled(5, 3));
        expect_close(b.run(1, 1), unscheduled(1, 1));
    });
}

TEST(SchedImport, GuardTailsFixesAnEstimateSizedSplit) {
    halide_checked([&] {
        // ShiftInwards by 64 over an extent of 10 reads in(-54): Halide refuses at run time.
        ImageParam in(Float(32), 1, "in");
        Var x("x");
        Func out("out");
        out(x) = in(x) * 2.0f;
        Schedule s = parse("func out : split x into xo, xi by 64 tail ShiftInwards ; vectorize xi\n", "t.sched");
        apply(s, {}, {out}, get_jit_target_from_environment());
        Buffer<float> input(10);
        input.fill(1.5f);
        in.set(input);
        EXPECT_THROW(out.realize({10}), Halide::Error);

        std::vector<std::string> changed = guard_tails(Pipeline(out));
        ASSERT_EQ(changed.size(), 1u);
        EXPECT_EQ(changed[0], "out: x -> xo, xi by 64 (ShiftInwards)");
        // A new Pipeline: the Func's own has the old schedule compiled (guard_tails edits the
        // schedule objects, which does not invalidate Halide's JIT cache).
        Buffer<float> r = Pipeline(out).realize({10});
        EXPECT_EQ(r(0), 3.0f);
        EXPECT_EQ(r(9), 3.0f);
        EXPECT_TRUE(guard_tails(Pipeline(out)).empty());

        // RoundUp on a producer and update stages too.
        Blur b;
        apply_text(b, "func bx : compute_at sum yi ; split x into xo, xi by 8 tail RoundUp\n"
                      "func out : split x into xo, xi by 64 tail ShiftInwards\n"
                      "func sum : compute_root\n  update 0 : split y into yo, yi by 16 tail RoundUp\n");
        EXPECT_EQ(guard_tails(b.pipeline()).size(), 3u);
        expect_close(b.run(10, 4), unscheduled(10, 4));
    });
}

TEST(SchedImport, ExportCoversTheVocabulary) {
    halide_checked([&] {
        const std::string hand =
            "func bx : compute_at by yo ; store_at sum y ; store_in Heap ; rename x to xx ; partition xx Never\n"
            "func by : compute_at sum y ; split y into yo, yi by 4 tail GuardWithIf ; fuse x, yi into xy ; "
            "reorder_storage y, x ; align_storage y 8 ; bound_storage x 64\n"
            "func sum : compute_root ; bound y min 0 extent 24 ; align_bounds x 4 ; parallel y\n"
            "  update 0 : reorder x, r, y ; vectorize x by 4 tail GuardWithIf ; allow_race_conditions\n"
            "func out : split y into yo, yi by 8 tail GuardWithIf ; prefetch sum at yo from yo offset 1 "
            "bound GuardWithIf ; parallel yo\n";
        Blur a;
        apply_text(a, hand);
        const std::string text = export_schedule(a.pipeline());
        SCOPED_TRACE(text);
        for (const char *needle : {"store_in Heap", "rename x to xx", "partition xx Never", "fuse x, yi into xy",
                                   "reorder_storage y, x", "align_storage y 8", "bound_storage x 64", "bound y min 0 extent 24",
                                   "align_bounds x 4 remainder 0", "allow_race_conditions",
                                   "prefetch sum at yo from yo offset 1 bound GuardWithIf", "store_at sum y"}) {
            EXPECT_NE(text.find(needle), std::string::npos) << needle << " missing from\n" << text;
        }
        Blur b;
        apply_text(b, text);
        EXPECT_EQ(export_schedule(b.pipeline()), text);
        expect_close(b.run(40, 24), unscheduled(40, 24));
    });
}

TEST(SchedImport, NonConstantFactorIsAnError) {
    halide_checked([&] {
        Blur b;
        Var xo("xo"), xi("xi");
        b.out.split(b.x, xo, xi, b.in.width() / 4);
        try {
            export_schedule(b.pipeline());
            FAIL() << "no error";
        } catch (const Error &e) {
            EXPECT_NE(std::string(e.what()).find("split factor is not a constant"), std::string::npos) << e.what();
        }
    });
}

}  // namespace
}  // namespace seqmix::sched
