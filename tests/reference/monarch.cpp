// float64 reference for the Monarch mixer, MIXERS.md "Convolutions and structured matrices":
// the four factors as dense N x N matrices (N = m*m), multiplied out, then applied.
#include "reference/monarch.h"

#include <cassert>
#include <cstddef>

namespace seqmix::ref {

namespace {

using Matrix = std::vector<double>;  // [N,N] row-major

// Block-diagonal matrix from blocks [m,m,m]: block k occupies rows and columns k*m .. k*m+m-1.
Matrix block_diagonal(const std::vector<double> &blocks, int64_t m) {
    const int64_t N = m * m;
    Matrix a(size_t(N * N), 0.0);
    for (int64_t k = 0; k < m; k++)
        for (int64_t i = 0; i < m; i++)
            for (int64_t j = 0; j < m; j++) a[size_t((k * m + i) * N + k * m + j)] = blocks[size_t((k * m + i) * m + j)];
    return a;
}

// P: (P v)[i*m + k] = v[k*m + i], the transpose of v seen as [m,m].
Matrix transpose_permutation(int64_t m) {
    const int64_t N = m * m;
    Matrix p(size_t(N * N), 0.0);
    for (int64_t k = 0; k < m; k++)
        for (int64_t i = 0; i < m; i++) p[size_t((i * m + k) * N + k * m + i)] = 1.0;
    return p;
}

Matrix matmul(const Matrix &a, const Matrix &b, int64_t N) {
    Matrix c(size_t(N * N), 0.0);
    // The left factor is a permutation or block-diagonal: skipping its zeros makes the product
    // O(N^2 m) instead of O(N^3), so the long tests (N = 4096) stay in seconds.
    for (int64_t i = 0; i < N; i++)
        for (int64_t k = 0; k < N; k++) {
            const double aik = a[size_t(i * N + k)];
            if (aik == 0.0) continue;
            for (int64_t j = 0; j < N; j++) c[size_t(i * N + j)] += aik * b[size_t(k * N + j)];
        }
    return c;
}

}  // namespace

int64_t monarch_m(int64_t n) {
    int64_t m = 1;
    while (m * m < n) m++;
    return m;
}

std::vector<double> monarch_dense(const std::vector<double> &L, const std::vector<double> &R, int64_t n) {
    const int64_t m = monarch_m(n), N = m * m;
    assert(int64_t(L.size()) == m * m * m && int64_t(R.size()) == m * m * m);
    const Matrix P = transpose_permutation(m);
    const Matrix full = matmul(P, matmul(block_diagonal(L, m), matmul(P, block_diagonal(R, m), N), N), N);
    // Zero padding of x to N and truncation of y to n keep the leading n x n block.
    std::vector<double> M(size_t(n * n));
    for (int64_t r = 0; r < n; r++)
        for (int64_t c = 0; c < n; c++) M[size_t(r * n + c)] = full[size_t(r * N + c)];
    return M;
}

std::vector<double> monarch_ref(const std::vector<double> &x, const std::vector<double> &L, const std::vector<double> &R,
                                int64_t B, int64_t T, int64_t C, bool sequence_axis) {
    assert(int64_t(x.size()) == B * T * C);
    const int64_t n = sequence_axis ? T : C;
    const std::vector<double> M = monarch_dense(L, R, n);
    std::vector<double> y(x.size(), 0.0);
    // Element e of the mixed axis of line (b, other) sits at (b, t, c) with the axis index = e.
    auto at = [&](int64_t b, int64_t other, int64_t e) {
        return sequence_axis ? (b * T + e) * C + other : (b * T + other) * C + e;
    };
    const int64_t others = sequence_axis ? C : T;
    for (int64_t b = 0; b < B; b++)
        for (int64_t o = 0; o < others; o++)
            for (int64_t r = 0; r < n; r++) {
                double acc = 0.0;
                for (int64_t e = 0; e < n; e++) acc += M[size_t(r * n + e)] * x[size_t(at(b, o, e))];
                y[size_t(at(b, o, r))] = acc;
            }
    return y;
}

}  // namespace seqmix::ref
