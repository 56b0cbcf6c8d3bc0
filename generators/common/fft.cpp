#include "common/fft.h"

#include <cmath>

namespace seqmix::fft {

std::vector<int> radix_plan(int n) {
    std::vector<int> plan;
    int rest = n;
    // The 3 goes last: then every pass's stride Ns (the product of the radices before it) is a
    // power of two, and the index arithmetic between passes is shifts and masks.
    const bool three = rest % 3 == 0;
    if (three) rest /= 3;
    while (rest % 4 == 0) {
        plan.push_back(4);
        rest /= 4;
    }
    if (rest == 2) {
        plan.push_back(2);
        rest = 1;
    }
    if (three) plan.push_back(3);
    if (rest != 1 || n < 2) {
        throw Halide::CompileError("fft: length " + std::to_string(n) + " is not 2^a or 3 * 2^a (a >= 1)");
    }
    return plan;
}

Func twiddle_table(const std::string &name, int n) {
    Func tw(name);
    Var m("m");
    // The angle in float32: m < 2^24 is exact and m / n rounds once (~1e-7 relative), below the
    // transform's own rounding; no float64 (OpenCL devices need not have it).
    Expr angle = Halide::cast<float>(m) * (float)(-2.0 * M_PI / n);
    tw(m) = Tuple(Halide::cos(angle), Halide::sin(angle));
    return tw;
}

namespace {

// a * e^(sign 2 pi i e / r) for the exponent e = (p q) mod r: a select chain over e, which folds
// to one branch once a schedule unrolls p (the chain stays correct when it does not).
Complex rotate(const Complex &a, const Expr &e, int r, int sign) {
    const float s3 = std::sqrt(3.0f) / 2.0f;
    switch (r) {
    case 2:
        return select(e == 0, a, Complex(-a.re, -a.im));
    case 3: {
        Complex w1 = a * Complex(Expr(-0.5f), Expr(sign * s3));
        Complex w2 = a * Complex(Expr(-0.5f), Expr(-sign * s3));
        return select(e == 0, a, select(e == 1, w1, w2));
    }
    default: {
        // e^(sign i pi / 2) = sign * i: multiplying by it maps (x, y) to (-sign y, sign x).
        Complex q1(-sign * a.im, sign * a.re), q3(sign * a.im, -sign * a.re);
        return select(e == 0, a, select(e == 1, q1, select(e == 2, Complex(-a.re, -a.im), q3)));
    }
    }
}

std::vector<Var> rest_vars(int rest_dims) {
    std::vector<Var> v;
    for (int i = 0; i < rest_dims; i++) v.emplace_back("r" + std::to_string(i));
    return v;
}

std::vector<Expr> as_exprs(const std::vector<Var> &vars) {
    return std::vector<Expr>(vars.begin(), vars.end());
}

std::vector<Expr> args(const Expr &a, const Expr &b, const std::vector<Expr> &rest) {
    std::vector<Expr> all{a, b};
    all.insert(all.end(), rest.begin(), rest.end());
    return all;
}

}  // namespace

Transform::Transform(const std::string &prefix, const Func &x, int n, int sign, const Func &twiddle, int rest_dims)
    : x_(x), n_(n), radix_(radix_plan(n)) {
    Var ln("ln"), p("p"), j("j");
    std::vector<Var> rest = rest_vars(rest_dims);
    std::vector<Expr> rest_e = as_exprs(rest);
    int ns = 1;
    for (size_t s = 0; s < radix_.size(); s++) {
        const int r = radix_[s];
        stride_.push_back(ns);
        Func bf(prefix + std::to_string(s));
        Expr k = j % ns;
        Complex sum;
        for (int q = 0; q < r; q++) {
            Complex a = input_of_pass(s, ln, j + q * (n / r), rest_e);
            if (q > 0 && ns > 1) {
                // w^(q k / (Ns r)) from the length-n table: index q k n / (Ns r) < n.
                Complex w(twiddle(k * (q * (n / (ns * r)))));
                if (sign > 0) w = conj(w);
                a = a * w;
            }
            Complex term = q == 0 ? a : rotate(a, (p * q) % r, r, sign);
            sum = q == 0 ? term : sum + term;
        }
        std::vector<Var> lhs_vars{ln, p, j};
        lhs_vars.insert(lhs_vars.end(), rest.begin(), rest.end());
        bf(lhs_vars) = sum.tuple();
        passes_.push_back(bf);
        ns *= r;
    }
}

Complex Transform::input_of_pass(size_t s, const Expr &ln, const Expr &m, const std::vector<Expr> &rest) const {
    if (s == 0) return Complex(x_(args(ln, m, rest)));
    const int r = radix_[s - 1], ns = stride_[s - 1];
    Expr p = (m / ns) % r, j = (m / (ns * r)) * ns + m % ns;
    std::vector<Expr> a{ln, p, j};
    a.insert(a.end(), rest.begin(), rest.end());
    return Complex(passes_[s - 1](a));
}

Complex Transform::at(const Expr &ln, const Expr &k, const std::vector<Expr> &rest) const {
    return input_of_pass(passes_.size(), ln, k, rest);
}

}  // namespace seqmix::fft
