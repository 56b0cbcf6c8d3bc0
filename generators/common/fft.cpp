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

std::vector<Expr> prepend(const Expr &a, const std::vector<Expr> &rest) {
    std::vector<Expr> all{a};
    all.insert(all.end(), rest.begin(), rest.end());
    return all;
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
        // The butterfly's r inputs, twiddled, as their own Func: a GPU schedule computes them into
        // registers before the butterflies, which otherwise reload every input from shared memory
        // for each of the r outputs (the pass's stores into the block's one shared allocation may
        // alias its loads for LLVM) and redo every twiddle product r times. Inlined (unscheduled),
        // the pass is the expression it was.
        Func in(prefix + std::to_string(s) + "_in");
        Var qv("q");
        {
            Expr k = j % ns;
            Complex a = input_of_pass(s, ln, j + qv * (n / r), rest_e);
            if (ns > 1) {
                // w^(q k / (Ns r)) from the length-n table: index q k n / (Ns r) < n (q = 0: w = 1).
                Complex w(twiddle(k * (qv * (n / (ns * r)))));
                if (sign > 0) w = conj(w);
                a = select(qv == 0, a, a * w);
            }
            std::vector<Var> in_vars{ln, qv, j};
            in_vars.insert(in_vars.end(), rest.begin(), rest.end());
            in(in_vars) = a.tuple();
        }
        Func bf(prefix + std::to_string(s));
        Complex sum;
        for (int q = 0; q < r; q++) {
            Complex a(in(args(ln, q, prepend(j, rest_e))));
            Complex term = q == 0 ? a : rotate(a, (p * q) % r, r, sign);
            sum = q == 0 ? term : sum + term;
        }
        std::vector<Var> lhs_vars{ln, p, j};
        lhs_vars.insert(lhs_vars.end(), rest.begin(), rest.end());
        bf(lhs_vars) = sum.tuple();
        funcs_.push_back(in);
        funcs_.push_back(bf);
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

FourStepPlan::FourStepPlan(int n_, int n1_) : n(n_), n1(n1_), n2(n1_ > 0 ? n_ / n1_ : 0) {
    if (n1 < 2 || n % n1 != 0 || n2 < 2) {
        throw Halide::CompileError("fft: four-step split n1 = " + std::to_string(n1) + " does not divide n = " +
                                   std::to_string(n) + " into two factors >= 2");
    }
}

FourStepTwiddles::FourStepTwiddles(const std::string &prefix, const FourStepPlan &plan)
    : lo(twiddle_table(prefix + "_twl", plan.n)), hi(twiddle_table(prefix + "_twh", plan.n / L)),
      col(twiddle_table(prefix + "_tw1", plan.n1)), row(twiddle_table(prefix + "_tw2", plan.n2)) {
    if (plan.n % L != 0) {
        throw Halide::CompileError("fft: the four-step form needs n divisible by " + std::to_string(L) + ", not n = " +
                                   std::to_string(plan.n));
    }
}

namespace {

// w_n^(e) for 0 <= e < n, conjugated for the inverse (sign +1), as w_n^(e mod 128) w_n^(128 floor(e / 128))
// from the two short tables: the four-step twiddle's index m2 k1 jumps by k1 between adjacent
// threads, so a lookup in one length-n table reads a scattered sector per point (measured: it does
// not stay in L1); the two factors come from 128 + n/128 entries, few enough for a block to compute
// them itself (no kernel of its own). The product adds one rounding (~1e-7 relative).
Complex twiddle_at(const FourStepTwiddles &tw, const Expr &e, int sign) {
    Complex w = Complex(tw.lo(e % FourStepTwiddles::L)) * Complex(tw.hi(e / FourStepTwiddles::L));
    return sign > 0 ? conj(w) : w;
}

}  // namespace

FourStepForward::FourStepForward(const std::string &prefix, const Func &x, const FourStepPlan &plan, int rest_dims)
    : plan_(plan), tw_(prefix, plan), cols_(prefix + "_cols") {
    Var ln("ln"), k1("k1"), m2("m2"), m("m"), pi("pi"), which("which");
    const std::vector<Var> rest = rest_vars(rest_dims);
    const std::vector<Expr> rest_e = as_exprs(rest);
    col_ = std::make_unique<Transform>(prefix + "c", x, plan.n1, -1, tw_.col, rest_dims + 1);
    cols_(args(ln, k1, prepend(m2, rest_e))) =
        (col_->at(ln, k1, prepend(m2, rest_e)) * twiddle_at(tw_, m2 * k1, -1)).tuple();
    Func row_in(prefix + "_row_in");
    row_in(args(ln, m, args(pi, which, rest_e))) = cols_(args(ln, row_k1(pi, which, plan.n1), prepend(m, rest_e)));
    row_ = std::make_unique<Transform>(prefix + "r", row_in, plan.n2, -1, tw_.row, rest_dims + 2);
}

std::vector<Func> FourStepForward::funcs() const {
    std::vector<Func> all = tw_.funcs();
    all.push_back(cols_);
    for (const Transform *tr : {col_.get(), row_.get()}) all.insert(all.end(), tr->funcs().begin(), tr->funcs().end());
    return all;
}

Complex FourStepForward::at_row(const Expr &ln, const Expr &k2, const Expr &pi, const Expr &which,
                                const std::vector<Expr> &rest) const {
    return row_->at(ln, k2, args(pi, which, rest));
}

Complex FourStepForward::at_row_mirror(const Expr &ln, const Expr &k2, const Expr &pi, const Expr &which,
                                       const std::vector<Expr> &rest) const {
    const Expr k = row_k1(pi, which, plan_.n1) + plan_.n1 * k2;
    const Expr k2m = ((plan_.n - k) % plan_.n) / plan_.n1;
    return row_->at(ln, k2m, args(pi, 1 - which, rest));
}

FourStepInverse::FourStepInverse(const std::string &prefix, const Func &spec, const FourStepPlan &plan, int rest_dims)
    : plan_(plan), tw_(prefix, plan), mid_(prefix + "_mid") {
    Var ln("ln"), m2("m2"), k1("k1"), pi("pi"), which("which");
    const std::vector<Var> rest = rest_vars(rest_dims);
    const std::vector<Expr> rest_e = as_exprs(rest);
    row_ = std::make_unique<Transform>(prefix + "r", spec, plan.n2, +1, tw_.row, rest_dims + 2);
    const std::vector<Expr> pw = args(pi, which, rest_e);
    mid_(args(ln, m2, pw)) =
        (row_->at(ln, m2, pw) * twiddle_at(tw_, m2 * row_k1(pi, which, plan.n1), +1)).tuple();
    Func col_in(prefix + "_col_in");
    col_in(args(ln, k1, prepend(m2, rest_e))) =
        mid_(args(ln, m2, args(row_pair(k1, plan.n1), row_which(k1, plan.n1), rest_e)));
    col_ = std::make_unique<Transform>(prefix + "c", col_in, plan.n1, +1, tw_.col, rest_dims + 1);
}

std::vector<Func> FourStepInverse::funcs() const {
    std::vector<Func> all = tw_.funcs();
    all.push_back(mid_);
    for (const Transform *tr : {row_.get(), col_.get()}) all.insert(all.end(), tr->funcs().begin(), tr->funcs().end());
    return all;
}

Complex FourStepInverse::at(const Expr &ln, const Expr &m1, const Expr &m2, const std::vector<Expr> &rest) const {
    return col_->at(ln, m1, prepend(m2, rest));
}

}  // namespace seqmix::fft
