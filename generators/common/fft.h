// The FFT building block of the long convolutions (MIXERS.md, "Convolutions and structured
// matrices": long_conv, lmu): a Stockham autosort FFT of fixed length n = 2^a or 3 * 2^a, as a
// chain of named radix-r passes (4s, a 2 if needed, then a 3 if needed), in the manner of
// Halide's apps/fft (passes as Funcs, the radix loop unrolled so the butterfly's roots of unity
// are constants; github.com/halide/Halide/blob/main/apps/fft/fft.cpp). Written for this
// project: the transforms are batched, with the batch index `ln` ("lane") innermost, so that a
// schedule vectorises across independent transforms and every index computation inside a pass
// is scalar (no gathers), and one pass's butterflies are read by the next pass in Stockham's
// order without a reshuffle stage.
//
// Real signals: two real sequences a, b are transformed at once as z = a + i b; their spectra
// are A = (Z[k] + conj Z[-k]) / 2 and B = (Z[k] - conj Z[-k]) / 2i (`split_pair`). The inverse of
// P + i Q, with P and Q Hermitian spectra, is p + i q with p, q real: two real results per
// complex inverse transform.
//
// Pass s (radix r, Ns = product of the earlier radices) maps x_s to butterflies
//   bf_s(ln, p, j, ...) = sum_q x_s(ln, j + q n/r) w^(q (j mod Ns)) / (Ns r) e^(sign 2 pi i p q / r)
// and x_{s+1} at flat index m is bf_s(ln, (m / Ns) mod r, (m / (Ns r)) Ns + m mod Ns).
#pragma once

#include "Halide.h"

#include <memory>
#include <string>
#include <vector>

namespace seqmix::fft {

using Halide::Expr;
using Halide::Func;
using Halide::Tuple;
using Halide::Var;

struct Complex {
    Expr re, im;
    Complex() = default;
    Complex(Expr r, Expr i) : re(std::move(r)), im(std::move(i)) {}
    explicit Complex(const Tuple &t) : re(t[0]), im(t[1]) {}
    Tuple tuple() const { return Tuple(re, im); }
};

inline Complex operator+(const Complex &a, const Complex &b) { return {a.re + b.re, a.im + b.im}; }
inline Complex operator-(const Complex &a, const Complex &b) { return {a.re - b.re, a.im - b.im}; }
inline Complex operator*(const Complex &a, const Complex &b) {
    return {a.re * b.re - a.im * b.im, a.re * b.im + a.im * b.re};
}
inline Complex operator*(const Complex &a, Expr s) { return {a.re * s, a.im * s}; }
inline Complex conj(const Complex &a) { return {a.re, -a.im}; }
inline Complex select(Expr c, const Complex &a, const Complex &b) {
    return {Halide::select(c, a.re, b.re), Halide::select(c, a.im, b.im)};
}

// The radices of a length-n transform: 4s, one 2 if needed, one 3 last if 3 divides n.
// Fails (Halide::CompileError) for other lengths.
std::vector<int> radix_plan(int n);

// The twiddle table of length n: twiddle(m) = e^(-2 pi i m / n), a Func of two values.
Func twiddle_table(const std::string &name, int n);

// One batched transform: `passes` are the named butterfly Funcs bf_s(ln, p, j, rest...).
class Transform {
public:
    // x(ln, m, rest...) is the input at flat index m < n (a Func of two values); sign -1 is the
    // forward transform, +1 the inverse (unnormalised). Pass Funcs are named prefix0, prefix1, ...
    Transform(const std::string &prefix, const Func &x, int n, int sign, const Func &twiddle, int rest_dims);

    // The transform at flat index k (any integer Expr in [0, n)), rest = the batch indices.
    Complex at(const Expr &ln, const Expr &k, const std::vector<Expr> &rest) const;

    // Every Func of the transform, for a schedule: per pass s its gathered, twiddled inputs
    // <prefix>s_in(ln, q, j, rest...) and its butterflies <prefix>s.
    const std::vector<Func> &funcs() const { return funcs_; }

private:
    Complex input_of_pass(size_t s, const Expr &ln, const Expr &m, const std::vector<Expr> &rest) const;

    Func x_;
    int n_;
    std::vector<int> radix_, stride_;
    std::vector<Func> passes_, funcs_;
};

// The four-step (Bailey) form of a length-n transform, n = n1 n2, for GPUs: every sub-transform is
// short enough for a block's shared memory, and the signal makes three trips through global memory
// instead of one per radix pass. With signal index m = n2 m1 + m2 and bin k = k1 + n1 k2,
//   X[k1 + n1 k2] = sum_m2 w_n2^(m2 k2) [w_n^(m2 k1) sum_m1 x[n2 m1 + m2] w_n1^(m1 k1)]
// (w_n = e^(-2 pi i / n)): the "columns" (n1-point transforms over m1, one per m2), a twiddle,
// then the "rows" (n2-point transforms over m2, one per k1). The inverse runs the same steps
// backwards: rows, the conjugate twiddle, columns.
//
// The pair trick reads bins k and -k together, which lie in rows k1 and (n1 - k1) mod n1: the
// rows are held as row pairs (pi, which), pi in [0, n1/2], row k1 = pi (which 0) or n1 - pi
// (which 1), so that one block holds both rows of each pair (pi = 0 and n1/2 are their own
// partners: both `which` hold the same row).
struct FourStepPlan {
    int n = 0, n1 = 0, n2 = 0;
    FourStepPlan(int n_, int n1_);  // fails (Halide::CompileError) unless n1 divides n
};

// The twiddle tables of one four-step transform, its own (named <prefix>_twl, _twh, _tw1, _tw2) so
// that a schedule can compute each in the one kernel that reads it: lo(e) = w_n^e (e < L) and
// hi(h) = w_n^(L h) give w_n^e = lo(e mod L) hi(floor(e / L)); col and row are the tables of the
// n1- and n2-point transforms.
struct FourStepTwiddles {
    static constexpr int L = 128;
    Func lo, hi, col, row;
    FourStepTwiddles(const std::string &prefix, const FourStepPlan &plan);  // fails unless L divides n
    std::vector<Func> funcs() const { return {lo, hi, col, row}; }
};

inline Expr row_k1(const Expr &pi, const Expr &which, int n1) {
    return Halide::select(which == 0, pi, (n1 - pi) % n1);
}
// (clamped only for bounds inference: a k1 in [0, n1) over a range of threads would give the
// pairs [0, n1) and twice the rows)
inline Expr row_pair(const Expr &k1, int n1) { return Halide::clamp(Halide::min(k1, n1 - k1), 0, n1 / 2); }
inline Expr row_which(const Expr &k1, int n1) { return Halide::select(k1 > n1 / 2, 1, 0); }

// The forward four-step transform of x(ln, m1, m2, rest...) (the signal at n2 m1 + m2):
//   cols(ln, k1, m2, rest...) = w_n^(m2 k1) [n1-point transform over m1](k1)   (passes <prefix>c0..)
//   the rows: n2-point transforms over m2 of cols at row row_k1(pi, which)    (passes <prefix>r0..)
class FourStepForward {
public:
    FourStepForward(const std::string &prefix, const Func &x, const FourStepPlan &plan, int rest_dims);

    // X[k1 + n1 k2] for the row pair (pi, which) holding k1, at k2.
    Complex at_row(const Expr &ln, const Expr &k2, const Expr &pi, const Expr &which,
                   const std::vector<Expr> &rest) const;
    // X[-k] for the same bin: row (pi, 1 - which), at the k2 of the bin (n - k) mod n.
    Complex at_row_mirror(const Expr &ln, const Expr &k2, const Expr &pi, const Expr &which,
                          const std::vector<Expr> &rest) const;

    // Every Func to schedule: the twiddle tables, cols and both transforms' passes.
    std::vector<Func> funcs() const;

private:
    FourStepPlan plan_;
    FourStepTwiddles tw_;
    Func cols_;
    std::unique_ptr<Transform> col_, row_;
};

// The inverse four-step transform of a spectrum held in rows, spec(ln, k2, pi, which, rest...)
// (bin k1 + n1 k2, k1 = row_k1(pi, which)), unnormalised:
//   mid(ln, m2, pi, which, rest...) = conj(w_n^(m2 k1)) [inverse n2-point transform over k2](m2)
//                                                                  (passes <prefix>r0..)
//   the columns: inverse n1-point transforms over k1 of mid         (passes <prefix>c0..)
// whose output at (ln, m1, {m2, rest}) is the signal at n2 m1 + m2.
class FourStepInverse {
public:
    FourStepInverse(const std::string &prefix, const Func &spec, const FourStepPlan &plan, int rest_dims);

    Complex at(const Expr &ln, const Expr &m1, const Expr &m2, const std::vector<Expr> &rest) const;

    // Every Func to schedule: the twiddle tables, mid and both transforms' passes.
    std::vector<Func> funcs() const;

private:
    FourStepPlan plan_;
    FourStepTwiddles tw_;
    Func mid_;
    std::unique_ptr<Transform> row_, col_;
};

// The spectra of the two real signals packed as z = a + i b, at bin k: {A[k], B[k]}.
// zk = Z[k], zc = Z[(n - k) mod n].
inline std::pair<Complex, Complex> split_pair(const Complex &zk, const Complex &zc) {
    Complex c = conj(zc);
    Complex s = zk + c, d = zk - c;
    return {s * Expr(0.5f), Complex(d.im * 0.5f, -d.re * 0.5f)};
}

// Bin k (in [0, n)) of a real signal's spectrum kept for k <= n/2 as spec(d, c, k), c = 0 the real
// and 1 the imaginary part (long_conv_filter's output): the other half is conjugate-symmetric.
template<typename Spec>
Complex half_spectrum_at(const Spec &spec, const Expr &d, const Expr &k, int n) {
    Expr low = k <= n / 2;
    // (clamped only so that bounds inference sees [0, n/2]: the select never leaves it)
    Expr kk = Halide::clamp(Halide::select(low, k, n - k), 0, n / 2);
    Complex v(spec(d, 0, kk), spec(d, 1, kk));
    return select(low, v, conj(v));
}

// The spectrum whose inverse transform is a * ka + i (b * kb) (both convolutions real), scaled by
// 1/n for the unnormalised inverse, where z = a + i b has spectrum Z: zk = Z[k], zc = Z[-k].
inline Complex pair_product(const Complex &zk, const Complex &zc, const Complex &ka, const Complex &kb, int n) {
    auto [a, b] = split_pair(zk, zc);
    Complex pa = a * ka, pb = b * kb;
    return Complex(pa.re - pb.im, pa.im + pb.re) * Expr(1.0f / n);
}

}  // namespace seqmix::fft
