#include "lmu_system.h"

#include <cmath>
#include <map>
#include <mutex>
#include <tuple>

namespace seqmix::detail {
namespace {

using Matrix = std::vector<double>;  // n x n, row-major

Matrix multiply(const Matrix &a, const Matrix &b, int n) {
    Matrix c(static_cast<size_t>(n) * n, 0.0);
    for (int i = 0; i < n; i++) {
        for (int k = 0; k < n; k++) {
            const double aik = a[i * n + k];
            for (int j = 0; j < n; j++) c[i * n + j] += aik * b[k * n + j];
        }
    }
    return c;
}

// expm(A): scale A by 2^-s until its max-row-sum norm is below 1/2, sum the Taylor series to
// double precision, square s times.
Matrix expm(const Matrix &a, int n) {
    double norm = 0;
    for (int i = 0; i < n; i++) {
        double row = 0;
        for (int j = 0; j < n; j++) row += std::fabs(a[i * n + j]);
        norm = std::max(norm, row);
    }
    int s = 0;
    while (norm > 0.5) {
        norm /= 2;
        s++;
    }
    Matrix scaled = a;
    for (double &v : scaled) v = std::ldexp(v, -s);
    Matrix result(static_cast<size_t>(n) * n, 0.0), term(result);
    for (int i = 0; i < n; i++) result[i * n + i] = term[i * n + i] = 1.0;
    for (int k = 1; k <= 30; k++) {
        term = multiply(term, scaled, n);
        for (double &v : term) v /= k;
        for (size_t i = 0; i < result.size(); i++) result[i] += term[i];
    }
    for (int i = 0; i < s; i++) result = multiply(result, result, n);
    return result;
}

// x with a x = rhs (Gaussian elimination, partial pivoting; A of the Legendre system is invertible).
std::vector<double> solve(Matrix a, std::vector<double> rhs, int n) {
    for (int col = 0; col < n; col++) {
        int piv = col;
        for (int r = col + 1; r < n; r++) {
            if (std::fabs(a[r * n + col]) > std::fabs(a[piv * n + col])) piv = r;
        }
        for (int j = 0; j < n; j++) std::swap(a[col * n + j], a[piv * n + j]);
        std::swap(rhs[col], rhs[piv]);
        for (int r = col + 1; r < n; r++) {
            const double f = a[r * n + col] / a[col * n + col];
            for (int j = col; j < n; j++) a[r * n + j] -= f * a[col * n + j];
            rhs[r] -= f * rhs[col];
        }
    }
    for (int r = n - 1; r >= 0; r--) {
        for (int j = r + 1; j < n; j++) rhs[r] -= a[r * n + j] * rhs[j];
        rhs[r] /= a[r * n + r];
    }
    return rhs;
}

}  // namespace

LegendreSystem legendre_system(int d, double theta) {
    LegendreSystem sys;
    sys.d = d;
    sys.theta = theta;
    Matrix A(static_cast<size_t>(d) * d);
    std::vector<double> B(d);
    for (int i = 0; i < d; i++) {
        const double r = (2 * i + 1) / theta;
        for (int j = 0; j < d; j++) A[i * d + j] = r * (i < j ? -1.0 : ((i - j + 1) % 2 == 0 ? 1.0 : -1.0));
        B[i] = r * (i % 2 == 0 ? 1.0 : -1.0);
    }
    sys.Abar = expm(A, d);
    std::vector<double> rhs(d, 0.0);
    for (int i = 0; i < d; i++) {
        for (int j = 0; j < d; j++) rhs[i] += (sys.Abar[i * d + j] - (i == j ? 1.0 : 0.0)) * B[j];
    }
    sys.Bbar = solve(A, rhs, d);
    return sys;
}

std::shared_ptr<const LmuArrays> lmu_arrays(int d, double theta, int64_t T, bool with_E) {
    static std::mutex mu;
    // A few recent systems: a model calls with a handful of (d, theta, T).
    static std::map<std::tuple<int, double, int64_t, bool>, std::shared_ptr<const LmuArrays>> cache;
    std::lock_guard<std::mutex> lock(mu);
    auto key = std::make_tuple(d, theta, T, with_E);
    if (auto it = cache.find(key); it != cache.end()) return it->second;
    const LegendreSystem sys = legendre_system(d, theta);
    auto arrays = std::make_shared<LmuArrays>();
    arrays->Abar.assign(sys.Abar.begin(), sys.Abar.end());
    arrays->Bbar.assign(sys.Bbar.begin(), sys.Bbar.end());
    arrays->h.resize(static_cast<size_t>(d) * T);
    std::vector<double> x = sys.Bbar;  // Abar^s Bbar
    for (int64_t s = 0; s < T; s++) {
        for (int i = 0; i < d; i++) arrays->h[i * T + s] = static_cast<float>(x[i]);
        std::vector<double> next(d, 0.0);
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) next[i] += sys.Abar[i * d + j] * x[j];
        }
        x = next;
    }
    if (with_E) {
        arrays->E.resize(static_cast<size_t>(T) * d * d);
        Matrix power = sys.Abar;  // Abar^(t+1)
        for (int64_t t = 0; t < T; t++) {
            std::copy(power.begin(), power.end(), arrays->E.begin() + t * d * d);
            if (t + 1 < T) power = multiply(power, sys.Abar, d);
        }
    }
    if (cache.size() >= 8) cache.clear();
    cache[key] = arrays;
    return arrays;
}

}  // namespace seqmix::detail
