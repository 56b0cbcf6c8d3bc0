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

    const std::vector<Func> &passes() const { return passes_; }

private:
    Complex input_of_pass(size_t s, const Expr &ln, const Expr &m, const std::vector<Expr> &rest) const;

    Func x_;
    int n_;
    std::vector<int> radix_, stride_;
    std::vector<Func> passes_;
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
