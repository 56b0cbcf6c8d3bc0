// The directives added for issue 5 (specialize blocks, rfactor, prefetch, compute_with align,
// ring_buffer) in the language: parsing, format round trip, and the comment-keeping formatter.
#include "lang/schedule.h"

#include <gtest/gtest.h>

namespace seqmix::sched {
namespace {

const char *kText = R"(param n = 4 in {2, 4}
func g update 0 : split rk into rko, rki by n ; rfactor rko as u into g_part
func g_part : compute_root ; vectorize x by 4
  update 0 : vectorize x by 4
func o : split y into yo, yi by 8 ; prefetch in at yo from yo offset 2 bound Clamp
specialize T >= 2048 and K == 64 :
    parallel yo
specialize T < 16 : vectorize x by n
func m : compute_with g y align AlignStart ; ring_buffer 2
)";

TEST(SchedVocab, ParsesNewDirectives) {
    Schedule s = parse(kText, "v.sched");
    ASSERT_EQ(s.stages.size(), 7u);
    const Directive &rf = s.stages[0].directives[1];
    EXPECT_EQ(rf.kind, "rfactor");
    ASSERT_EQ(rf.vars.size(), 2u);
    EXPECT_EQ(rf.vars[0].text, "rko");
    EXPECT_EQ(rf.vars[1].text, "u");
    EXPECT_EQ(rf.func->base.text, "g_part");
    const Directive &pf = s.stages[3].directives[1];
    EXPECT_EQ(pf.kind, "prefetch");
    EXPECT_EQ(pf.func->str(), "in");
    EXPECT_EQ(pf.vars[0].text, "yo");
    EXPECT_EQ(pf.exprs.size(), 1u);
    EXPECT_EQ(pf.word->text, "Clamp");
    // specialize blocks: siblings of the stage of the block before them.
    EXPECT_FALSE(s.stages[3].specialize);
    ASSERT_TRUE(s.stages[4].specialize);
    EXPECT_EQ(s.stages[4].func.str(), "o");
    EXPECT_EQ(s.stages[4].stage, 0);
    EXPECT_EQ(format(*s.stages[4].specialize), "T >= 2048 and K == 64");
    EXPECT_EQ(s.stages[4].directives.size(), 1u);
    ASSERT_TRUE(s.stages[5].specialize);
    EXPECT_EQ(format(*s.stages[5].specialize), "T < 16");
    EXPECT_EQ(s.stages[6].directives[0].word->text, "AlignStart");
    EXPECT_EQ(s.stages[6].directives[1].kind, "ring_buffer");
}

TEST(SchedVocab, RfactorDefaultsTheVarName) {
    Schedule s = parse("func g update 0 : rfactor rk, rr.x into gi\n", "v.sched");
    const Directive &d = s.stages[0].directives[0];
    ASSERT_EQ(d.vars.size(), 4u);
    EXPECT_EQ(d.vars[1].text, "rk");
    EXPECT_EQ(d.vars[3].text, "rr_x");
    EXPECT_EQ(format(s), "func g update 0 :\n    rfactor rk as rk, rr.x as rr_x into gi\n");
}

TEST(SchedVocab, FormatRoundTrips) {
    Schedule s = parse(kText, "v.sched");
    std::string f = format(s);
    EXPECT_EQ(parse(f, "v.sched"), s) << f;
    EXPECT_EQ(format(parse(f, "v.sched")), f);
    EXPECT_NE(f.find("  specialize T >= 2048 and K == 64 :\n    parallel yo\n"), std::string::npos) << f;
}

TEST(SchedVocab, UpdateSpecialisation) {
    Schedule s = parse("func g :\n  update 0 :\n  specialize K == 64 : vectorize x by 8\n", "v.sched");
    ASSERT_EQ(s.stages.size(), 3u);
    EXPECT_EQ(s.stages[2].stage, 1);
    EXPECT_EQ(parse(format(s), "v.sched"), s);
}

TEST(SchedVocab, SpecializeNamesNeedNotBeParams) {
    // Shape symbols are resolved when applied; factors still must be params.
    EXPECT_NO_THROW(parse("func o :\nspecialize T >= 2048 :\n  vectorize x by 8\n", "v.sched"));
    EXPECT_THROW(parse("func o :\nspecialize T >= 2048 :\n  vectorize x by T\n", "v.sched"), Error);
}

TEST(SchedVocab, FormatSourceKeepsComments) {
    const char *src = "# header\n#   second line\nparam vec = 8   # lanes\n\n\n# state side\nfunc s : "
                      "vectorize x by vec ; parallel y  # trailing\n  update 0 : vectorize x\n# end\n";
    std::string out = format_source(src, "c.sched");
    EXPECT_EQ(out,
              "# header\n#   second line\nparam vec = 8  # lanes\n\n# state side\nfunc s :\n    vectorize x by vec\n"
              "    parallel y  # trailing\nfunc s update 0 :\n    vectorize x\n# end\n");
    EXPECT_EQ(format_source(out, "c.sched"), out);  // idempotent
    EXPECT_EQ(parse(out, "c.sched"), parse(src, "c.sched"));
}

TEST(SchedVocab, FormatSourceReportsParseErrors) {
    EXPECT_THROW(format_source("func o : splt x\n", "e.sched"), Error);
}

}  // namespace
}  // namespace seqmix::sched

namespace seqmix::sched {
namespace {

// `explicit`, and the directives that import writes: rename, partition, align_bounds.
const char *kImported = R"(explicit
param chunk = 64
func o : rename t to tt ; partition tt Never ; split vd into vo, vi by 16 tail GuardWithIf
func f : align_bounds x 8 remainder 1 ; align_bounds y 4 ; compute_root
)";

TEST(SchedVocab, ExplicitAndImportDirectives) {
    Schedule s = parse(kImported, "i.sched");
    EXPECT_TRUE(s.explicit_only.has_value());
    ASSERT_EQ(s.stages.size(), 2u);
    const auto &o = s.stages[0].directives;
    EXPECT_EQ(o[0].kind, "rename");
    EXPECT_EQ(o[0].vars[1].text, "tt");
    EXPECT_EQ(o[1].kind, "partition");
    EXPECT_EQ(o[1].word->text, "Never");
    const auto &f = s.stages[1].directives;
    EXPECT_EQ(f[0].kind, "align_bounds");
    EXPECT_EQ(f[0].exprs.size(), 2u);
    EXPECT_EQ(f[1].exprs.size(), 1u);
    EXPECT_EQ(parse(format(s), "i.sched"), s);
    EXPECT_NE(parse("param chunk = 64\n", "i.sched"), s);  // explicit takes part in ==
}

TEST(SchedVocab, ExplicitOnlyBeforeFuncBlocks) {
    EXPECT_NO_THROW(parse("when T > 4\nexplicit\nfunc o : compute_root\n", "i.sched"));
    EXPECT_THROW(parse("func o : compute_root\nexplicit\n", "i.sched"), Error);
}

}  // namespace
}  // namespace seqmix::sched
