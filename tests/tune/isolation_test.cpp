// Builder and runner isolation: a candidate that aborts, loops, computes wrong outputs or returns
// an error costs that candidate only, with the right status; so does a generator that crashes or
// hangs. The candidate modules are the fixtures of fixtures.cpp (gla's calling convention).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "builder.h"
#include "runner.h"
#include "scratch.h"

namespace seqmix::tune {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

Runner tiny_runner(double timeout_s) {
    RunSpec s;
    s.mixer = "gla";
    s.shape = parse_shape("B=1,T=8,H=1,K=4,V=4");
    s.protocol.run_timeout_s = timeout_s;
    s.protocol.repeats = 2;
    return Runner(s);
}

CandidateModule fixture(const std::string &kind) {
    return {kind, std::string(TUNE_FIXTURE_DIR) + "/libtune_fixture_" + kind + ".so", "candidate"};
}

TEST(TuneIsolation, AbortingCandidateIsARunError) {
    Runner r = tiny_runner(30);
    const json m = r.measure(fixture("abort"));
    EXPECT_EQ(m["status"], "run_error");
    EXPECT_NE(m["error"].get<std::string>().find("signal 6"), std::string::npos) << m.dump();
}

TEST(TuneIsolation, HangingCandidateIsARunTimeout) {
    Runner r = tiny_runner(1.5);
    const json m = r.measure(fixture("hang"));
    EXPECT_EQ(m["status"], "run_timeout") << m.dump();
    // and the runner goes on: the next candidate is measured normally
    EXPECT_EQ(r.measure(fixture("wrong"))["status"], "wrong");
}

TEST(TuneIsolation, WrongCandidateIsRecordedWrongWithItsError) {
    Runner r = tiny_runner(30);
    const json m = r.measure(fixture("wrong"));
    EXPECT_EQ(m["status"], "wrong");
    EXPECT_FALSE(m["check"]["pass"].get<bool>());
    EXPECT_GT(m["check"]["outputs"]["o"]["rel_rms"].get<double>(), 0.5);
    EXPECT_FALSE(m.contains("run"));  // never timed, never chosen
}

TEST(TuneIsolation, ErrorCodeIsARunError) {
    Runner r = tiny_runner(30);
    const json m = r.measure(fixture("error"));
    EXPECT_EQ(m["status"], "run_error");
    EXPECT_NE(m["error"].get<std::string>().find("returned -3"), std::string::npos) << m.dump();
}

TEST(TuneIsolation, MissingModuleIsARunError) {
    Runner r = tiny_runner(30);
    EXPECT_EQ(r.measure({"x", "/nonexistent.so", "f"})["status"], "run_error");
}

// A fake generator: a shell script standing in for seqmix_generators.
std::string fake_generator(const std::string &name, const std::string &body) {
    const fs::path p = scratch_dir("generator_" + name) / name;
    std::ofstream(p) << "#!/bin/sh\n" << body << "\n";
    fs::permissions(p, fs::perms::owner_all);
    return p.string();
}

TEST(TuneIsolation, CrashingAndHangingCompilesCostOneCandidateEach) {
    BuildConfig cfg;
    cfg.halide_target = halide_target_of("x86-64-avx2");
    cfg.work_dir = scratch_dir("work").string();
    cfg.timeout_s = 1.5;
    cfg.jobs = 2;
    cfg.generator = fake_generator("crash.sh", "kill -ABRT $$");
    auto r = build(cfg, {{"c1", "gla", "func o : parallel h\n"}});
    ASSERT_EQ(r.size(), 1u);
    EXPECT_EQ(r[0].status, "build_error");
    EXPECT_NE(r[0].error.find("signal 6"), std::string::npos) << r[0].error;
    cfg.generator = fake_generator("hang.sh", "sleep 100");
    const auto t0 = std::chrono::steady_clock::now();
    r = build(cfg, {{"h1", "gla", ""}, {"h2", "gla", ""}});
    EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(), 10.0);
    ASSERT_EQ(r.size(), 2u);
    EXPECT_EQ(r[0].status, "build_timeout");
    EXPECT_EQ(r[1].status, "build_timeout");
    cfg.generator = fake_generator("fail.sh", "echo 'gla.sched:1:6: unknown Func' >&2; exit 1");
    r = build(cfg, {{"f1", "gla", ""}});
    EXPECT_EQ(r[0].status, "build_error");
    EXPECT_NE(r[0].error.find("unknown Func"), std::string::npos) << r[0].error;
}

TEST(TuneIsolation, UnknownTargetAndMixerAreClearErrors) {
    EXPECT_THROW(halide_target_of("x86-64-avx1024"), std::invalid_argument);
    EXPECT_THROW(make_kernel("mamba9", parse_shape("B=1,T=8"), 1), std::invalid_argument);
    EXPECT_THROW(make_kernel("gla", parse_shape("B=1,T=8"), 1), std::invalid_argument);  // no H, K, V
    EXPECT_THROW(parse_shape("B=1,T=eight"), std::invalid_argument);
    EXPECT_THROW(parse_shape("B1"), std::invalid_argument);
}

}  // namespace
}  // namespace seqmix::tune
