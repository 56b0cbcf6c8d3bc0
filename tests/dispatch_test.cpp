// Dispatch by shape bucket (DESIGN.md, "Variants and shape buckets"): with gla@short built
// (`when T <= 256`), an unforced CPU call picks the best runnable CPU target's `short` variant for
// T <= 256 and its `default` for T > 256; forcing a bucket whose condition fails is an Error that
// says so; variants() lists the bucket with its condition text.
#include <seqmix/seqmix.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace {

using seqmix::Tensor;

bool is_cpu_target(const std::string &target) {
    return target.rfind("x86-64", 0) == 0;
}

// The gla@short variants, in dispatch-table order.
std::vector<seqmix::VariantInfo> short_buckets() {
    std::vector<seqmix::VariantInfo> out;
    for (const auto &v : seqmix::variants()) {
        if (v.mixer == "gla" && v.bucket == "short") out.push_back(v);
    }
    return out;
}

// The target an unforced CPU call should pick: the first runnable CPU target in dispatch order.
std::optional<std::string> best_cpu_target() {
    for (const auto &v : seqmix::variants()) {
        if (v.mixer == "gla" && v.runnable && is_cpu_target(v.target)) return v.target;
    }
    return std::nullopt;
}

bool ends_with(const std::string &s, const std::string &tail) {
    return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

// Runs seqmix::gla on CPU at [B=1, T, H=2, K=64, V=64] with small inputs and log-gates < 0.
void run_gla(int64_t T, const std::string &variant = "") {
    const int64_t B = 1, H = 2, K = 64, V = 64;
    std::vector<float> q(B * T * H * K), k(q.size()), g(q.size()), v(B * T * H * V), o(v.size());
    for (size_t i = 0; i < q.size(); i++) {
        q[i] = 0.01f * static_cast<float>(i % 7);
        k[i] = 0.02f * static_cast<float>(i % 5);
        g[i] = -0.1f - 0.01f * static_cast<float>(i % 3);
    }
    for (size_t i = 0; i < v.size(); i++) v[i] = 0.03f * static_cast<float>(i % 11);
    seqmix::GlaOptions options;
    options.variant = variant;
    seqmix::gla(Tensor::contiguous(q.data(), {B, T, H, K}), Tensor::contiguous(k.data(), {B, T, H, K}),
                Tensor::contiguous(v.data(), {B, T, H, V}), Tensor::contiguous(g.data(), {B, T, H, K}),
                Tensor::contiguous(o.data(), {B, T, H, V}), std::nullopt, std::nullopt, options);
}

class GlaDispatch : public ::testing::Test {
protected:
    void SetUp() override {
        if (short_buckets().empty()) GTEST_SKIP() << "gla@short is not built (no schedules/<target>/gla@short.sched)";
        target_ = best_cpu_target();
        if (!target_) GTEST_SKIP() << "no runnable CPU variant of gla on this host";
        bool has_short = false;
        for (const auto &v : short_buckets()) has_short |= (v.target == *target_);
        if (!has_short) GTEST_SKIP() << "gla@short is not built for " << *target_;
    }
    std::optional<std::string> target_;
};

TEST_F(GlaDispatch, VariantsListTheBucketWithItsCondition) {
    for (const auto &v : short_buckets()) {
        EXPECT_NE(v.condition.find("T <= 256"), std::string::npos)
            << v.target << "/short has condition '" << v.condition << "'";
        EXPECT_EQ(v.symbol.find("seqmix_gla_"), 0u) << v.symbol;
        EXPECT_NE(v.symbol.find("short"), std::string::npos) << v.symbol;
    }
}

TEST_F(GlaDispatch, ShortSequencesRunTheShortBucket) {
    for (int64_t T : {1, 63, 256}) {
        run_gla(T);
        EXPECT_EQ(seqmix::last_variant(), *target_ + "/short") << "T = " << T;
    }
}

TEST_F(GlaDispatch, LongerSequencesRunTheDefault) {
    for (int64_t T : {257, 1000}) {
        run_gla(T);
        EXPECT_EQ(seqmix::last_variant(), *target_ + "/default") << "T = " << T;
        EXPECT_TRUE(ends_with(seqmix::last_variant(), "/default"));
    }
}

TEST_F(GlaDispatch, ForcedBucketWhoseConditionFailsThrows) {
    bool built = false;
    for (const auto &v : short_buckets()) built |= (v.target == "x86-64");
    if (!built) GTEST_SKIP() << "x86-64/short is not built";
    try {
        run_gla(1000, "x86-64/short");
        FAIL() << "forcing x86-64/short at T = 1000 did not throw";
    } catch (const seqmix::Error &e) {
        EXPECT_NE(std::string(e.what()).find("condition"), std::string::npos) << e.what();
    }
}

TEST_F(GlaDispatch, ForcedBucketWhoseConditionHoldsRuns) {
    bool built = false;
    for (const auto &v : seqmix::variants()) built = built || (v.mixer == "gla" && v.target == "x86-64" && v.bucket == "short");
    // The GPU hosts' binaries build the AVX-512 CPU target only (scripts/gpu_bundle.sh).
    if (!built) GTEST_SKIP() << "x86-64/short is not built here";
    run_gla(100, "x86-64/short");
    EXPECT_EQ(seqmix::last_variant(), "x86-64/short");
}

}  // namespace

namespace {

// `explicit` variants (the autoscheduler baselines, gla@adams2019 ...): listed by variants(), run
// when options.variant names them, never picked by dispatch on its own.
TEST(ExplicitVariants, RunWhenNamedNeverDispatched) {
    std::vector<seqmix::VariantInfo> explicit_cpu;
    for (const auto &v : seqmix::variants()) {
        if (v.mixer == "gla" && v.explicit_only && v.runnable && is_cpu_target(v.target)) explicit_cpu.push_back(v);
    }
    if (explicit_cpu.empty()) GTEST_SKIP() << "no runnable explicit CPU variant of gla is built here";
    for (int64_t T : {1, 64, 300, 4096}) {
        run_gla(T);
        for (const auto &v : explicit_cpu) {
            EXPECT_NE(seqmix::last_variant(), v.target + "/" + v.bucket) << "T=" << T;
        }
    }
    for (const auto &v : explicit_cpu) {
        EXPECT_TRUE(v.condition.empty()) << v.bucket << ": " << v.condition;
        run_gla(100, v.target + "/" + v.bucket);
        EXPECT_EQ(seqmix::last_variant(), v.target + "/" + v.bucket);
    }
}

TEST(ExplicitVariants, BucketsAndDefaultsAreNotExplicit) {
    for (const auto &v : seqmix::variants()) {
        if (v.bucket == "default" || v.bucket == "short" || v.bucket == "d64") {
            EXPECT_FALSE(v.explicit_only) << v.mixer << " " << v.target << "/" << v.bucket;
        }
    }
}

}  // namespace
