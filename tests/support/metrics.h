// Error metrics of a float32 kernel output against its float64 reference, per named output.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

namespace seqmix::test {

// rel_rms: ||actual - expected||_2 / max(||expected||_2, tiny) over the finite reference values.
// max_abs: max |actual - expected| over the same values.
// A non-finite reference value (lse = -inf of a row with no allowed key) must be matched exactly;
// a NaN or inf in actual where the reference is finite is always a failure.
struct ErrorStats {
    double rel_rms = 0;
    double max_abs = 0;
    double expected_rms = 0;     // ||expected||_2 / sqrt(n), for scale in messages
    double expected_max = 0;     // max |expected| over finite values
    int64_t worst = -1;          // flat index of the largest abs error
    int64_t bad_nonfinite = 0;   // elements whose finiteness disagrees with the reference
    int64_t first_bad_nonfinite = -1;
};
ErrorStats compare(const std::vector<float> &actual, const std::vector<double> &expected);

struct Tolerance {
    double rel_rms;
    double max_abs;
};

// Tolerance for an fp32 kernel whose outputs accumulate ~n terms (the longest reduction: S keys for
// attention, T tokens of state for GLA). fp32 has unit roundoff u = 2^-24 ~ 6e-8; the kernels also
// reassociate (tiles, chunks, relative gate exponents) and use fp32 exp. base is the allowed
// rel-RMS for n <= 64; rounding errors of a long sum grow like a random walk, sqrt(n) u
// (Higham, "probabilistic error analysis", Higham & Mary 2019), not n u, so the tolerance grows with
// sqrt(n / 64). The max-abs bound is 10 x rel_rms x max|expected|: the largest element error of
// ~1e5..1e6 roughly Gaussian errors is ~5x their RMS, and the RMS is at most max|expected| x rel_rms.
Tolerance fp32_tolerance(double base_rel_rms, int64_t n, const std::vector<double> &expected);

std::string shape_string(const std::vector<int64_t> &shape);

// EXPECT_TRUE(close("o", got, ref.o, {B,T,H,V}, tol)): on failure prints the output's name and
// shape, both metrics against their tolerances, and the worst element (index, got, expected).
::testing::AssertionResult close(const std::string &name, const std::vector<float> &actual,
                                 const std::vector<double> &expected, const std::vector<int64_t> &shape,
                                 const Tolerance &tol);

// Every value finite (no NaN, no inf).
::testing::AssertionResult all_finite(const std::string &name, const std::vector<float> &values);

}  // namespace seqmix::test
