// Parser, formatter, params and conditions of the schedule language. Error messages are checked
// exactly in golden/ (golden_test.cpp); here, valid input and behaviour.
#include "lang/schedule.h"

#include <gtest/gtest.h>

namespace seqmix::sched {
namespace {

const char *kFull = R"(# every directive and form
when T >= 2048 and K == 64          # bucket condition
param chunk = 64 in {16, 32, 64}
param vec = 16 in pow2[4..32]
param tile = 8 in [1..64]
param neg = -3
require chunk * 2 <= 256
require (tile + 1) % 3 != 7 or not vec < 4
autoschedule mullapudi2016 parallelism=16 autoscheduler.beam_size=1
func o : split t into to, ti by chunk tail GuardWithIf ; vectorize vd by vec ; parallel h
func gcum : compute_at o to
  update 0 : vectorize kd by vec
func state update 0 : reorder vd, kd, rc ; parallel h by 2
func k.in(qk) : compute_at qk sb ; store_in GPUShared
func k.in() : compute_root
func v.in(a, b) : compute_inline
func o : gpu_tile vd, t into vdo, to, vdi, ti by 16, 8 tail GuardWithIf
func p :
    tile x, y into xo, yo, xi, yi by tile, chunk / 2 tail RoundUp
    fuse xi, yi into f
    unroll f by min(vec, 4) tail PredicateLoads
    unroll xo
    vectorize yo
    parallel x
    serial y
    gpu_blocks a
    gpu_blocks a, b, c
    gpu_threads a, b
    gpu_lanes l
    gpu_single_thread
    gpu_tile x into bx, tx by 32
    gpu_tile x, y, z into bx, by, bz, tx, ty, tz by 4, max(2, vec), 1
    atomic
    allow_race_conditions
    compute_with q update 1 x
    compute_with q x
    compute_root
    compute_inline
    compute_at q update 0 rk.x
    store_at q rk$x
    store_root
    store_in Register
    hoist_storage q y
    hoist_storage_root
    bound x min 0 extent vec * 2 + 1
    bound_extent y 64
    align_storage x 16
    fold_storage y 4
    reorder_storage y, x
    memoize
    async
)";

TEST(SchedLang, ParsesEveryDirective) {
    Schedule s = parse(kFull, "full.sched");
    ASSERT_TRUE(s.when.has_value());
    EXPECT_EQ(s.when_text, "T >= 2048 and K == 64");
    ASSERT_EQ(s.params.size(), 4u);
    EXPECT_EQ(s.params[0].domain_str(), "{16, 32, 64}");
    EXPECT_EQ(s.params[1].domain_str(), "pow2[4..32]");
    EXPECT_EQ(s.params[2].domain_str(), "[1..64]");
    EXPECT_EQ(s.params[3].value, -3);
    EXPECT_EQ(s.requires_.size(), 2u);
    ASSERT_TRUE(s.autoschedule.has_value());
    EXPECT_EQ(s.autoschedule->name, "mullapudi2016");
    ASSERT_EQ(s.autoschedule->options.size(), 2u);
    EXPECT_EQ(s.autoschedule->options[1].first, "autoscheduler.beam_size");
    EXPECT_EQ(s.autoschedule->options[1].second, "1");

    ASSERT_EQ(s.stages.size(), 9u);
    EXPECT_EQ(s.stages[0].func.str(), "o");
    EXPECT_EQ(s.stages[0].directives.size(), 3u);
    EXPECT_EQ(s.stages[0].directives[0].kind, "split");
    EXPECT_EQ(s.stages[0].directives[0].tail->text, "GuardWithIf");
    EXPECT_EQ(s.stages[2].func.str(), "gcum");
    EXPECT_EQ(s.stages[2].stage, 1);  // `update 0 :` switches to the update stage of gcum
    EXPECT_EQ(s.stages[3].func.str(), "state");
    EXPECT_EQ(s.stages[3].stage, 1);
    EXPECT_EQ(s.stages[4].func.str(), "k.in(qk)");
    EXPECT_EQ(s.stages[5].func.str(), "k.in()");
    EXPECT_EQ(s.stages[6].func.str(), "v.in(a, b)");
    const Directive &gt = s.stages[7].directives[0];
    EXPECT_EQ(gt.kind, "gpu_tile");
    EXPECT_EQ(gt.n_inputs, 2);
    ASSERT_EQ(gt.vars.size(), 6u);
    EXPECT_EQ(gt.vars[2].text, "vdo");
    EXPECT_EQ(gt.vars[3].text, "to");
    const StageBlock &p = s.stages[8];
    EXPECT_EQ(p.directives.size(), 33u);
    // Locations are 1-based line and column of the directive's first word.
    EXPECT_EQ(s.stages[0].directives[1].loc.line, 10);
    EXPECT_EQ(s.stages[0].directives[1].loc.col, 58);
    EXPECT_EQ(p.directives[0].loc.line, 19);
    EXPECT_EQ(p.directives[0].loc.col, 5);
    EXPECT_EQ(p.directives[0].loc.file, "full.sched");
}

TEST(SchedLang, FormatRoundTrips) {
    Schedule s = parse(kFull, "full.sched");
    std::string text = format(s);
    Schedule again = parse(text, "full.sched");
    EXPECT_EQ(again, s) << text;
    EXPECT_EQ(format(again), text);  // canonical text is a fixed point
    // A changed directive is visible to ==.
    again.stages[0].directives[0].vars[1].text = "tt";
    EXPECT_NE(again, s);
}

TEST(SchedLang, FormatIsCanonical) {
    Schedule s = parse("param  c=4 in{1,4}\nfunc f:split x into xo,xi by c*(2+1);vectorize xi\n", "a.sched");
    EXPECT_EQ(format(s), "param c = 4 in {1, 4}\n"
                         "func f :\n"
                         "    split x into xo, xi by c * (2 + 1)\n"
                         "    vectorize xi\n");
}

TEST(SchedLang, ExpressionPrintingKeepsStructure) {
    for (const char *c : {"a - (b - c) == 1", "(a - b) - c == 1", "a / b * c == 2", "a / (b * c) == 2",
                          "-(a + b) < 0", "not (a < 1 or b < 2) and c > 0", "(a < 1 or b < 2) and c > 0",
                          "min(a, max(b, 3)) % 4 >= --a"}) {
        Condition cond = parse_condition(c);
        Condition again = parse_condition(format(cond.expr()));
        EXPECT_EQ(cond.expr(), again.expr()) << c << " printed as " << format(cond.expr());
    }
}

TEST(SchedLang, EmptyAndCommentOnlyFiles) {
    EXPECT_EQ(parse("", "e.sched").stages.size(), 0u);
    EXPECT_EQ(parse("# nothing\n\n   # at all\n;;\n", "e.sched").stages.size(), 0u);
    EXPECT_EQ(format(parse("", "e.sched")), "");
}

TEST(SchedLang, ResolveParams) {
    Schedule s = parse("param chunk = 64 in {16, 32, 64}\nparam vec = 8 in pow2[4..32]\n"
                       "param t = 3 in [1..5]\nrequire chunk * 2 <= 128 or vec == 4\n",
                       "p.sched");
    auto v = resolve_params(s);
    EXPECT_EQ(v.at("chunk"), 64);
    EXPECT_EQ(v.at("vec"), 8);
    EXPECT_EQ(v.at("t"), 3);
    v = resolve_params(s, "chunk=32, vec = 16");
    EXPECT_EQ(v.at("chunk"), 32);
    EXPECT_EQ(v.at("vec"), 16);
    EXPECT_EQ(v.at("t"), 3);
    EXPECT_EQ(resolve_params(s, "t=5").at("t"), 5);
    EXPECT_THROW(resolve_params(s, "vec=12"), Error);   // not a power of two
    EXPECT_THROW(resolve_params(s, "vec=64"), Error);   // above the range
    EXPECT_THROW(resolve_params(s, "t=0"), Error);
    EXPECT_THROW(resolve_params(s, "nope=1"), Error);
    EXPECT_THROW(resolve_params(s, "chunk"), Error);
    EXPECT_THROW(resolve_params(s, "chunk=x"), Error);
    EXPECT_THROW(resolve_params(s, "chunk=16,chunk=32"), Error);
}

TEST(SchedLang, OverrideErrorsPointIntoTheOverrides) {
    Schedule s = parse("param chunk = 64 in {16, 32, 64}\nparam vec = 8\n", "p.sched");
    try {
        resolve_params(s, "vec=4, chnk=16");
        FAIL();
    } catch (const Error &e) {
        EXPECT_STREQ(e.what(), "<overrides>:1:8: unknown param 'chnk' in overrides; params are: chunk vec");
    }
    try {
        resolve_params(s, "chunk=48");
        FAIL();
    } catch (const Error &e) {
        EXPECT_STREQ(e.what(), "p.sched:1:7: param 'chunk' = 48 not in its domain {16, 32, 64}");
        EXPECT_EQ(e.loc().line, 1);
        EXPECT_EQ(e.message(), "param 'chunk' = 48 not in its domain {16, 32, 64}");
    }
    try {
        resolve_params(parse("param chunk = 64\nrequire chunk * 2 <= 256\n", "r.sched"), "chunk=256");
        FAIL();
    } catch (const Error &e) {
        EXPECT_STREQ(e.what(), "r.sched:2:1: require chunk * 2 <= 256 failed with chunk = 256");
    }
}

TEST(SchedLang, ConditionsEvaluate) {
    Condition c = parse_condition("T >= 2048 and K == 64");
    EXPECT_TRUE(evaluate(c, {{"T", 4096}, {"K", 64}}));
    EXPECT_FALSE(evaluate(c, {{"T", 1024}, {"K", 64}}));
    EXPECT_FALSE(evaluate(c, {{"T", 4096}, {"K", 128}}));
    EXPECT_EQ(c.text(), "T >= 2048 and K == 64");

    std::map<std::string, int64_t> sym = {{"B", 2}, {"T", 63}, {"K", 60}, {"V", 64}};
    auto ev = [&](const char *text) { return evaluate(parse_condition(text), sym); };
    EXPECT_TRUE(ev("T % 64 != 0"));
    EXPECT_TRUE(ev("K != V or T < 64"));
    EXPECT_TRUE(ev("not (B > 2)"));
    EXPECT_TRUE(ev("not B > 2"));                  // `not` binds looser than comparisons
    EXPECT_TRUE(ev("(T + 1) / 64 == 1"));
    EXPECT_TRUE(ev("-7 / 2 == -4 and -7 % 2 == 1"));  // floor division, as Halide
    EXPECT_TRUE(ev("7 / -2 == -4 and 7 % -2 == -1"));
    EXPECT_TRUE(ev("min(K, V) == 60 and max(K, V) == 64"));
    EXPECT_TRUE(ev("B * T * K == 7560"));
    EXPECT_TRUE(ev("T > 1 or T / 0 == 1"));   // short-circuit
    EXPECT_TRUE(ev("1 < 2 and 2 < 3 or 5 < 4"));
    EXPECT_FALSE(ev("1 < 2 and (2 > 3 or 5 < 4)"));
    EXPECT_TRUE(ev("2 + 3 * 4 == 14 and (2 + 3) * 4 == 20 and 10 - 3 - 2 == 5"));
}

TEST(SchedLang, ConditionErrors) {
    auto msg = [](const char *text, std::map<std::string, int64_t> sym) -> std::string {
        try {
            evaluate(parse_condition(text, "bucket"), sym);
        } catch (const Error &e) {
            return e.what();
        }
        return "no error";
    };
    EXPECT_EQ(msg("T >= 64 and Q == 1", {{"T", 64}}), "bucket:1:13: undefined name 'Q'; names are: T");
    EXPECT_EQ(msg("T / (K - 64) > 1", {{"T", 64}, {"K", 64}}), "bucket:1:3: division by zero in 'T / (K - 64)'");
    EXPECT_EQ(msg("T * T > 1", {{"T", int64_t(1) << 40}}), "bucket:1:3: integer overflow in 'T * T'");
    EXPECT_EQ(msg("T + 1", {}), "bucket:1:1: expected a condition (a comparison such as 'T >= 64'), got 'T + 1'");
    EXPECT_EQ(msg("T >= 1 2", {}), "bucket:1:8: expected end of condition, got '2'");
    EXPECT_EQ(msg("1 < 2 < 3", {}), "bucket:1:7: comparisons do not chain; use 'and'");
    EXPECT_EQ(msg("(T > 1) + 1 > 0", {}),
              "bucket:1:4: expected an integer expression, got the condition 'T > 1'");
    EXPECT_EQ(msg("T and K", {}), "bucket:1:1: expected a condition, got the integer expression 'T'");
}

TEST(SchedLang, ParseFileAndUnreadable) {
    try {
        parse_file("/nonexistent/x.sched");
        FAIL();
    } catch (const Error &e) {
        EXPECT_EQ(e.loc().file, "/nonexistent/x.sched");
        EXPECT_EQ(e.loc().line, 0);
        EXPECT_STREQ(e.what(), "/nonexistent/x.sched:0:0: cannot read schedule file");
    }
    Schedule s = parse_file(SEQMIX_SCHED_GOLDEN_DIR "/../example.sched");
    EXPECT_EQ(s.filename, SEQMIX_SCHED_GOLDEN_DIR "/../example.sched");
    EXPECT_FALSE(s.stages.empty());
}

TEST(SchedLang, DirectiveNamesAreListed) {
    const auto &n = directive_names();
    EXPECT_NE(std::find(n.begin(), n.end(), "gpu_tile"), n.end());
    EXPECT_NE(std::find(n.begin(), n.end(), "hoist_storage_root"), n.end());
}

TEST(SchedLang, StatementSeparators) {
    Schedule a = parse("func f : split x into xo, xi by 4 ; vectorize xi ; parallel xo\n", "a");
    Schedule b = parse("func f :\n  split x into xo, xi by 4\n\n  # comment\n  vectorize xi\n  parallel xo", "a");
    EXPECT_EQ(a, b);
    Schedule c = parse("func f : update 1 : parallel y", "a");
    ASSERT_EQ(c.stages.size(), 2u);
    EXPECT_EQ(c.stages[1].stage, 2);
}

}  // namespace
}  // namespace seqmix::sched
