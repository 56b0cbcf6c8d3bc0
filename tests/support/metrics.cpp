#include "support/metrics.h"

#include <algorithm>
#include <cstdio>
#include <cmath>
#include <sstream>

namespace seqmix::test {

namespace {

constexpr double kTiny = 1e-30;

std::string num(double x) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3g", x);
    return buf;
}

std::string index_string(int64_t flat, const std::vector<int64_t> &shape) {
    std::vector<int64_t> idx(shape.size());
    for (size_t d = shape.size(); d-- > 0;) {
        idx[d] = shape[d] > 0 ? flat % shape[d] : 0;
        flat = shape[d] > 0 ? flat / shape[d] : 0;
    }
    return shape_string(idx);
}

}  // namespace

std::string shape_string(const std::vector<int64_t> &shape) {
    std::ostringstream os;
    os << "[";
    for (size_t i = 0; i < shape.size(); i++) {
        os << (i ? "," : "") << shape[i];
    }
    os << "]";
    return os.str();
}

ErrorStats compare(const std::vector<float> &actual, const std::vector<double> &expected) {
    ErrorStats s;
    double err2 = 0, ref2 = 0;
    int64_t n = 0;
    for (size_t i = 0; i < expected.size() && i < actual.size(); i++) {
        const double e = expected[i];
        const double a = actual[i];
        if (!std::isfinite(e)) {
            if (!(a == e)) {  // -inf must come back as -inf (NaN never equals)
                if (s.first_bad_nonfinite < 0) s.first_bad_nonfinite = static_cast<int64_t>(i);
                s.bad_nonfinite++;
            }
            continue;
        }
        if (!std::isfinite(a)) {
            if (s.first_bad_nonfinite < 0) s.first_bad_nonfinite = static_cast<int64_t>(i);
            s.bad_nonfinite++;
            continue;
        }
        const double d = std::abs(a - e);
        err2 += d * d;
        ref2 += e * e;
        n++;
        if (s.worst < 0 || d > s.max_abs) {
            s.max_abs = d;
            s.worst = static_cast<int64_t>(i);
        }
        s.expected_max = std::max(s.expected_max, std::abs(e));
    }
    s.rel_rms = std::sqrt(err2) / std::max(std::sqrt(ref2), kTiny);
    s.expected_rms = n ? std::sqrt(ref2 / static_cast<double>(n)) : 0.0;
    return s;
}

Tolerance fp32_tolerance(double base_rel_rms, int64_t n, const std::vector<double> &expected) {
    const double growth = std::sqrt(static_cast<double>(std::max<int64_t>(n, 64)) / 64.0);
    const double rel = base_rel_rms * growth;
    double emax = 0;
    for (double e : expected) {
        if (std::isfinite(e)) emax = std::max(emax, std::abs(e));
    }
    return {rel, 10.0 * rel * std::max(emax, kTiny)};
}

::testing::AssertionResult close(const std::string &name, const std::vector<float> &actual,
                                 const std::vector<double> &expected, const std::vector<int64_t> &shape,
                                 const Tolerance &tol) {
    if (actual.size() != expected.size()) {
        return ::testing::AssertionFailure() << name << " " << shape_string(shape) << ": got " << actual.size()
                                             << " values, reference has " << expected.size();
    }
    const ErrorStats s = compare(actual, expected);
    const bool ok = s.bad_nonfinite == 0 && s.rel_rms <= tol.rel_rms && s.max_abs <= tol.max_abs;
    auto r = ok ? ::testing::AssertionSuccess() : ::testing::AssertionFailure();
    r << name << " " << shape_string(shape) << ": rel_rms " << num(s.rel_rms) << " (tol " << num(tol.rel_rms)
      << "), max_abs " << num(s.max_abs) << " (tol " << num(tol.max_abs) << "), |expected| rms " << num(s.expected_rms)
      << " max " << num(s.expected_max);
    if (s.worst >= 0) {
        r << "; worst at " << index_string(s.worst, shape) << ": got " << actual[s.worst] << ", expected "
          << expected[s.worst];
    }
    if (s.bad_nonfinite) {
        r << "; " << s.bad_nonfinite << " element(s) disagree in finiteness, first at "
          << index_string(s.first_bad_nonfinite, shape) << ": got " << actual[s.first_bad_nonfinite]
          << ", expected " << expected[s.first_bad_nonfinite];
    }
    return r;
}

::testing::AssertionResult all_finite(const std::string &name, const std::vector<float> &values) {
    for (size_t i = 0; i < values.size(); i++) {
        if (!std::isfinite(values[i])) {
            return ::testing::AssertionFailure() << name << "[" << i << "] = " << values[i] << " is not finite";
        }
    }
    return ::testing::AssertionSuccess();
}

}  // namespace seqmix::test
