// The host scratch cache (runtime/src/host_cache.h): a second call with the same shape takes its
// intermediates from the cache, gives the same bits as an uncached call, and the idle bytes stay
// within the limit, which set_host_cache_limit() and empty_host_cache() enforce at once.
// HostCacheEnvironment runs in its own ctest entries with SEQMIX_HOST_CACHE_MB set.
#include <seqmix/seqmix.h>

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "support/random.h"
#include "support/variants.h"

namespace {

using seqmix::Tensor;

constexpr size_t kMiB = size_t(1) << 20;

// seqmix::gla on CPU at B=1, T=4096, H=2, K=V=64: its CPU schedules keep whole-sequence stages
// (decays, chunk states) of hundreds of KiB to MiB, above the cache's 1 MiB floor.
class HostCache : public ::testing::Test {
protected:
    static constexpr int64_t B = 1, T = 4096, H = 2, K = 64, V = 64;

    void SetUp() override {
        std::string why = seqmix::test::partner_missing("gla", seqmix::test::Backend::cpu);
        if (!why.empty()) GTEST_SKIP() << why;
        seqmix::test::Rng rng(7);
        q_ = rng.normal(B * T * H * K);
        k_ = rng.normal(B * T * H * K);
        v_ = rng.normal(B * T * H * V);
        g_ = std::vector<float>(q_.size(), -0.05f);
        saved_limit_ = seqmix::host_cache_stats().limit;
    }
    void TearDown() override { seqmix::set_host_cache_limit(saved_limit_); }

    std::vector<float> run() {
        std::vector<float> o(v_.size());
        seqmix::gla(Tensor::contiguous(q_.data(), {B, T, H, K}), Tensor::contiguous(k_.data(), {B, T, H, K}),
                    Tensor::contiguous(v_.data(), {B, T, H, V}), Tensor::contiguous(g_.data(), {B, T, H, K}),
                    Tensor::contiguous(o.data(), {B, T, H, V}));
        return o;
    }

    std::vector<float> q_, k_, v_, g_;
    size_t saved_limit_ = 0;
};

TEST_F(HostCache, SecondCallHitsAndMatchesUncached) {
    seqmix::set_host_cache_limit(0);
    const std::vector<float> uncached = run();
    EXPECT_EQ(seqmix::host_cache_stats().cached_bytes, 0u);

    seqmix::set_host_cache_limit(256 * kMiB);
    run();
    const seqmix::HostCacheStats first = seqmix::host_cache_stats();
    ASSERT_GT(first.cached_blocks, 0u) << "no intermediate of 1 MiB or more: the test shape needs to grow";
    EXPECT_LE(first.cached_bytes, first.limit);

    const std::vector<float> cached = run();
    const seqmix::HostCacheStats second = seqmix::host_cache_stats();
    EXPECT_GE(second.hits - first.hits, first.cached_blocks) << "every block the first call left was reused";
    EXPECT_EQ(second.misses, first.misses) << "the same shape needs no new block";
    EXPECT_EQ(second.cached_bytes, first.cached_bytes);
    EXPECT_EQ(cached, uncached) << "a reused block is written before it is read: same bits";
}

TEST_F(HostCache, LimitBoundsIdleBytes) {
    seqmix::set_host_cache_limit(256 * kMiB);
    run();
    const size_t held = seqmix::host_cache_stats().cached_bytes;
    ASSERT_GT(held, 0u);
    const size_t smaller = held / 2;
    seqmix::set_host_cache_limit(smaller);
    EXPECT_LE(seqmix::host_cache_stats().cached_bytes, smaller) << "lowering the limit evicts at once";
    run();
    seqmix::HostCacheStats s = seqmix::host_cache_stats();
    EXPECT_EQ(s.limit, smaller);
    EXPECT_LE(s.cached_bytes, smaller) << "a call's frees never exceed the limit";
}

TEST_F(HostCache, EmptyKeepsTheLimit) {
    seqmix::set_host_cache_limit(256 * kMiB);
    run();
    ASSERT_GT(seqmix::host_cache_stats().cached_bytes, 0u);
    seqmix::empty_host_cache();
    seqmix::HostCacheStats s = seqmix::host_cache_stats();
    EXPECT_EQ(s.cached_bytes, 0u);
    EXPECT_EQ(s.cached_blocks, 0u);
    EXPECT_EQ(s.limit, 256 * kMiB);
}

TEST_F(HostCache, ZeroLimitCachesNothing) {
    seqmix::set_host_cache_limit(0);
    const size_t hits = seqmix::host_cache_stats().hits;
    run();
    run();
    seqmix::HostCacheStats s = seqmix::host_cache_stats();
    EXPECT_EQ(s.cached_bytes, 0u);
    EXPECT_EQ(s.hits, hits);
}

// The limit the environment set when the process started (ctest sets SEQMIX_HOST_CACHE_MB and
// SEQMIX_TEST_EXPECTED_CACHE_MB for these entries; run elsewhere, it skips).
TEST(HostCacheEnvironment, LimitFromEnvironment) {
    const char *expected = std::getenv("SEQMIX_TEST_EXPECTED_CACHE_MB");
    if (!expected) GTEST_SKIP() << "run by ctest's host_cache_env_* entries, which set SEQMIX_HOST_CACHE_MB";
    EXPECT_EQ(seqmix::host_cache_stats().limit, std::stoull(expected) * kMiB)
        << "SEQMIX_HOST_CACHE_MB=" << std::getenv("SEQMIX_HOST_CACHE_MB");
}

} // namespace
