// The variant sweep: every built variant (target x bucket) of a mixer becomes one test instance,
// forced with options.variant = "<target>/<bucket>".
//
// - A variant this host cannot run is a visible GTEST_SKIP with the reason (skip_reason()).
// - A bucket whose `when` condition does not hold for the test's shape is not run, quietly: the
//   runtime rejects a forced variant whose condition fails with a seqmix::Error mentioning
//   "condition", and run_forced() turns exactly that error into `false` (any other error is a
//   failure). The default bucket has no condition, so every shape runs at least once per target.
#pragma once

#include "support/device.h"

#include <seqmix/seqmix.h>

#include <gtest/gtest.h>

#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

// A suite swept over variants: a SEQMIX_ONLY_MIXERS build may leave it none to run, which gtest
// would report as a failing, uninstantiated suite; in a full build that stays a failure.
#ifdef SEQMIX_TEST_ONLY_MIXERS
#define SEQMIX_ALLOW_NO_VARIANTS(suite) GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(suite)
#else
#define SEQMIX_ALLOW_NO_VARIANTS(suite) static_assert(true)
#endif

namespace seqmix::test {

struct Variant {
    seqmix::VariantInfo info;
    Backend backend = Backend::cpu;
    // "x86-64-avx2/default": what options.variant takes and what last_variant() reports.
    std::string forced() const { return info.target + "/" + info.bucket; }
    // "x86_64_avx2_default": the part of a test name that identifies the variant.
    std::string id() const;
};

// The built variants of `mixer` ("attention", "gla", "gla_step"), in dispatch-table order.
std::vector<Variant> variants_of(const std::string &mixer);

// "" if this test binary can run the variant here, else why not (for GTEST_SKIP).
std::string skip_reason(const Variant &variant);

// "" if dispatch can run `mixer` on `backend` here. In a SEQMIX_ONLY_MIXERS build that left
// `mixer` out, why not: a test of one mixer against another (chunked == repeated step) skips
// there. Inline, so that the macro is the test binary's: a full build never skips for this, and a
// partner missing there stays a failure.
inline std::string partner_missing(const std::string &mixer, Backend backend) {
#ifdef SEQMIX_TEST_ONLY_MIXERS
    for (const Variant &v : variants_of(mixer)) {
        if (v.backend == backend && v.info.runnable && !v.info.explicit_only) return "";
    }
    return mixer + " has no variant that runs here in this SEQMIX_ONLY_MIXERS build";
#else
    static_cast<void>(mixer);
    static_cast<void>(backend);
    return "";
#endif
}

// "" unless this SEQMIX_ONLY_MIXERS build left out one of `mixers` (built no variant of it):
// then why, and a test that calls it (validation, the C API) skips. Inline for the same reason
// as partner_missing(): a full build never skips for this.
inline std::string left_out(std::initializer_list<std::string> mixers) {
#ifdef SEQMIX_TEST_ONLY_MIXERS
    for (const std::string &m : mixers) {
        if (variants_of(m).empty()) return m + " is not built in this SEQMIX_ONLY_MIXERS build";
    }
#else
    static_cast<void>(mixers);
#endif
    return "";
}

// Each of `mixers` has the default variant of one CPU target built, so that its variant sweeps
// are never silently empty (a mixer a SEQMIX_ONLY_MIXERS build left out is not asked for).
inline void expect_cpu_default_built(const std::vector<std::string> &mixers) {
    for (const std::string &mixer : mixers) {
        if (!left_out({mixer}).empty()) continue;
        bool found = false;
        for (const Variant &v : variants_of(mixer)) {
            found = found || (v.backend == Backend::cpu && v.info.bucket == "default" && v.info.condition.empty());
        }
        EXPECT_TRUE(found) << "no CPU default variant of " << mixer << " in seqmix::variants()";
    }
}

#define SEQMIX_SKIP_IF_LEFT_OUT(...)                                                              \
    if (const std::string left_out_why = ::seqmix::test::left_out({__VA_ARGS__}); !left_out_why.empty()) \
    GTEST_SKIP() << left_out_why

// Test names may only hold [A-Za-z0-9_].
std::string identifier(const std::string &text);

bool is_condition_error(const seqmix::Error &error);

// Runs call(); false if the runtime refused the forced variant because its bucket condition does
// not hold for these shapes; any other exception propagates (and fails the test).
template <class F>
bool run_forced(F &&call) {
    try {
        std::forward<F>(call)();
        return true;
    } catch (const seqmix::Error &e) {
        if (is_condition_error(e)) {
            ::testing::Test::RecordProperty("not_run", std::string("bucket condition does not hold: ") + e.what());
            return false;
        }
        throw;
    }
}

// The message of the seqmix::Error that call() throws, "" if it throws none (validation tests that
// pin parts of the message; any other exception propagates).
template <class F>
std::string error_message(F &&call) {
    try {
        std::forward<F>(call)();
    } catch (const seqmix::Error &e) {
        return e.what();
    }
    return "";
}

// A value-parameterised test's parameter: one shape case crossed with one variant.
template <class Case>
struct CaseVariant {
    Case c;
    Variant variant;
};

template <class Case>
std::vector<CaseVariant<Case>> cross(const std::vector<Case> &cases, const std::string &mixer) {
    std::vector<CaseVariant<Case>> out;
    const std::vector<Variant> vs = variants_of(mixer);
    for (const Case &c : cases) {
        for (const Variant &v : vs) {
            out.push_back({c, v});
        }
    }
    return out;
}

// Names like fla's ids: "<shape and case>_<variant>", e.g. B1_T63_H2_K64_V64_x86_64_avx2_default.
struct CaseVariantName {
    template <class Case>
    std::string operator()(const ::testing::TestParamInfo<CaseVariant<Case>> &info) const {
        return identifier(info.param.c.name() + "_" + info.param.variant.id());
    }
};

template <class Case>
void PrintTo(const CaseVariant<Case> &p, std::ostream *os) {
    *os << p.c.name() << " on " << p.variant.forced();
}

}  // namespace seqmix::test
