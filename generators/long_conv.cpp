// Long causal convolution (MIXERS.md, "Convolutions and structured matrices"; H3, Hyena,
// FlashFFTConv): u [B,D,T], filter kf [D,L], L <= T,
//   y[b,d,t] = (sum_{s <= min(t, L-1)} kf[d,s] u[b,d,t-s] + Dskip[d] u[b,d,t]) * gate[b,d,t]
// (gate optional: has_gate = 0 reads it as 1).
//
// The schedule's `param n` chooses the form (a per-bucket decision, DESIGN.md "Variants"):
// - n = 0, the direct form: `direct` (the L-tap reduction, a named Func) -> y. O(T L).
// - n > 0, the FFT form over length n >= T + L - 1 (a bucket's condition guarantees it), fused
//   between the transforms: x0 (channel pairs 2p, 2p+1 packed as one complex signal, zero-padded
//   to n) -> fwd0..fwdP (common/fft.h) -> prod (the two channels' spectra times their filters',
//   repacked) -> inv0..invP -> y. The filter's spectrum is an input, kf_spec [n/2+1, 2, D], made
//   by `long_conv_filter` (below) and reusable across calls with the same filter and n.
// `param lanes` channel pairs are transformed side by side (the vector dimension `ln`).
// With `param n1` > 0 (the CUDA buckets) the transforms run in four steps instead, each short
// transform in a block's shared memory (four_step_conv below; common/fft.h, FourStepPlan).
//
// Halide orders dimensions innermost first: u [B,D,T] is u(t, d, b), kf [D,L] is kf(s, d),
// kf_spec [n/2+1, 2, D] is kf_spec(d, c, k); inside the FFT form a channel pair 2 (g lanes + ln)
// (+1) is (ln, g).
#include "common/fft.h"
#include "common/scheduled_generator.h"

#include <memory>

namespace seqmix {
namespace {

using namespace Halide;

// v(t, d, ...) of a [.., D, T] signal, zero outside t < T and d < D (FFT zero-padding and the
// missing partner of an odd channel count).
template<typename F>
Expr zero_padded(const F &v, Expr t, Expr d, Expr T, Expr D, const std::vector<Expr> &rest) {
    std::vector<Expr> a{clamp(t, 0, T - 1), clamp(d, 0, D - 1)};
    a.insert(a.end(), rest.begin(), rest.end());
    return select(t < T && d < D, v(a), 0.0f);
}

class LongConv : public ScheduledGenerator<LongConv> {
public:
    Input<Buffer<float, 3>> u{"u"};              // (t, d, b)
    Input<Buffer<float, 2>> kf{"kf"};            // (s, d)
    Input<Buffer<float, 3>> kf_spec{"kf_spec"};  // (d, c, k), FFT form only
    Input<Buffer<float, 1>> Dskip{"Dskip"};      // (d), zeros when absent
    Input<Buffer<float, 3>> gate{"gate"};        // (t, d, b)
    Input<int32_t> has_gate{"has_gate"};
    Output<Buffer<float, 3>> y{"y"};  // (t, d, b)

    Var t{"t"}, d{"d"}, b{"b"}, ln{"ln"}, k{"k"}, g{"g"};
    Func direct{"direct"}, twiddle, x0{"x0"}, prod{"prod"};
    std::vector<Func> stages;

    void generate() {
        load_schedule("long_conv");
        const int n = param("n");
        Expr T = u.dim(0).extent(), D = u.dim(1).extent(), L = kf.dim(0).extent();
        Expr conv;
        if (n == 0) {
            RDom rs(0, L, "rs");
            direct(t, d, b) = 0.0f;
            direct(t, d, b) += kf(rs, d) * select(t >= rs, u(max(t - rs, 0), d, b), 0.0f);
            conv = direct(t, d, b);
            stages = {direct};
        } else if (const int n1 = param("n1"); n1 > 0) {
            conv = four_step_conv(fft::FourStepPlan(n, n1), T, D);
        } else {
            const int lanes = param("lanes");
            twiddle = fft::twiddle_table("twiddle", n);
            Expr pr = g * lanes + ln;
            x0(ln, k, g, b) = Tuple(zero_padded(u, k, 2 * pr, T, D, {b}), zero_padded(u, k, 2 * pr + 1, T, D, {b}));
            fft::Transform fwd("fwd", x0, n, -1, twiddle, 2);
            Func spec("spec_in");
            spec(d, Halide::_) = kf_spec(clamp(d, 0, D - 1), Halide::_);
            fft::Complex zk = fwd.at(ln, k, {g, b}), zc = fwd.at(ln, (n - k) % n, {g, b});
            prod(ln, k, g, b) = fft::pair_product(zk, zc, fft::half_spectrum_at(spec, 2 * pr, k, n),
                                                  fft::half_spectrum_at(spec, 2 * pr + 1, k, n), n)
                                    .tuple();
            fft::Transform inv("inv", prod, n, +1, twiddle, 2);
            Expr q = d / 2;
            fft::Complex w = inv.at(q % lanes, t, {q / lanes, b});
            conv = select(d % 2 == 0, w.re, w.im);
            stages = {twiddle, x0, prod};
            stages.insert(stages.end(), fwd.funcs().begin(), fwd.funcs().end());
            stages.insert(stages.end(), inv.funcs().begin(), inv.funcs().end());
        }
        y(t, d, b) = (conv + Dskip(d) * u(t, d, b)) * select(has_gate != 0, gate(t, d, b), 1.0f);
        stages.push_back(y);

        u.set_estimates({{0, 4096}, {0, 768}, {0, 4}});
        kf.set_estimates({{0, 4096}, {0, 768}});
        kf_spec.set_estimates({{0, 768}, {0, 2}, {0, n / 2 + 1}});
        Dskip.set_estimates({{0, 768}});
        gate.set_estimates({{0, 4096}, {0, 768}, {0, 4}});
        has_gate.set_estimate(1);
        y.set_estimates({{0, 4096}, {0, 768}, {0, 4}});
    }

    void schedule() {
        apply_schedule(stages);
    }

protected:
    std::map<std::string, Expr> shape_symbols() override {
        return {{"B", u.dim(2).extent()}, {"D", u.dim(1).extent()}, {"T", u.dim(0).extent()},
                {"L", kf.dim(0).extent()}};
    }

private:
    Func res{"res"}, spec_half{"spec_half"}, spec_t{"spec_t"};

    // The FFT form in four steps (`param n1` > 0, GPUs: common/fft.h, FourStepPlan): x0 (channel
    // pairs packed, the signal at t = n2 m1 + m2) -> fwd_cols (columns, in shared memory per tile
    // of m2; to global) -> spectrum (rows, the product with the filter's spectrum and the inverse
    // rows, per tile of row pairs) -> inv_mid (to global) -> res (inverse columns per tile of m2)
    // -> y. `res` is stored by (m1, m2), which y cannot tile (t % n2 spans every m2 of any range
    // of t): it goes through global memory once more.
    Expr four_step_conv(const fft::FourStepPlan &plan, Expr T, Expr D) {
        const int lanes = param("lanes");
        Var m1("m1"), m2("m2"), k2("k2"), pi("pi"), which("which");
        Expr pr = g * lanes + ln;
        Expr tm = plan.n2 * m1 + m2;
        x0(ln, m1, m2, g, b) = Tuple(zero_padded(u, tm, 2 * pr, T, D, {b}), zero_padded(u, tm, 2 * pr + 1, T, D, {b}));
        fft::FourStepForward fwd("fwd", x0, plan, 2);
        // The filter's spectrum in the rows' order, so that prod reads it along k2 (kf_spec keeps
        // the channels innermost): spec_t(k2, pi, d) = S_d[pi + n1 k2], the rows `which` = 0; a row
        // `which` = 1 holds the bins n - k of its pair's row, whose values are conj(S_d[k]) (real
        // filters). spec_half reads kf_spec along d (a schedule stages it to transpose).
        Func spec("spec_in");
        spec(d, Halide::_) = kf_spec(clamp(d, 0, D - 1), Halide::_);
        spec_half(d, pi, k2) = fft::half_spectrum_at(spec, d, pi + plan.n1 * k2, plan.n).tuple();
        spec_t(k2, pi, d) = spec_half(d, pi, k2);
        Expr bin = fft::row_k1(pi, which, plan.n1) + plan.n1 * k2;
        Expr k2m = ((plan.n - bin) % plan.n) / plan.n1;
        // One load per value: the bin's index is selected, not the loaded value (`which` is a thread
        // dimension on GPUs, so a select of two loads issues both).
        auto filter_at = [&](Expr dd) {
            const fft::Complex v(spec_t(select(which == 0, k2, k2m), pi, dd));
            return fft::select(which == 0, v, fft::conj(v));
        };
        prod(ln, k2, pi, which, g, b) =
            fft::pair_product(fwd.at_row(ln, k2, pi, which, {g, b}), fwd.at_row_mirror(ln, k2, pi, which, {g, b}),
                              filter_at(2 * pr), filter_at(2 * pr + 1), plan.n)
                .tuple();
        fft::FourStepInverse inv("inv", prod, plan, 2);
        // res holds the real (c = 0) and imaginary (c = 1) results as one Func, so that y reads only
        // its own channel's half (a Tuple's two values would both be loaded under y's select).
        Var c("c");
        const fft::Complex v = inv.at(ln, m1, m2, {g, b});
        res(c, ln, m1, m2, g, b) = select(c == 0, v.re, v.im);
        stages = {x0, spec_half, spec_t, prod, res};
        for (const std::vector<Func> &fs : {fwd.funcs(), inv.funcs()}) stages.insert(stages.end(), fs.begin(), fs.end());
        Expr q = d / 2;
        Expr pair = q % lanes, group = q / lanes;
        return res(d % 2, pair, t / plan.n2, t % plan.n2, group, b);
    }
};

// The filter's spectrum for the FFT form of length n: kf_spec(d, c, k), k <= n/2, of kf
// zero-padded to n. Stages: x0 (filter pairs packed) -> fwd0..fwdP -> kf_spec.
class LongConvFilter : public ScheduledGenerator<LongConvFilter> {
public:
    Input<Buffer<float, 2>> kf{"kf"};             // (s, d)
    Output<Buffer<float, 3>> kf_spec{"kf_spec"};  // (d, c, k)

    Var d{"d"}, c{"c"}, k{"k"}, ln{"ln"}, g{"g"};
    Func twiddle, x0{"x0"}, spec_rows{"spec_rows"};
    std::vector<Func> stages;

    void generate() {
        load_schedule("long_conv_filter");
        const int n = param("n"), lanes = param("lanes");
        Expr L = kf.dim(0).extent(), D = kf.dim(1).extent();
        Expr pr = g * lanes + ln;
        Expr q = d / 2;
        if (const int n1 = param("n1"); n1 > 0) {
            // Four steps (GPUs, long_conv's FourStepPlan): x0 -> fwd_cols -> spec_rows (by row pairs,
            // to global) -> kf_spec, which gathers each bin from its row.
            const fft::FourStepPlan plan(n, n1);
            Var m1("m1"), m2("m2"), k2("k2"), pi("pi"), which("which"), c2("c2");
            Expr tm = plan.n2 * m1 + m2;
            x0(ln, m1, m2, g) = Tuple(zero_padded(kf, tm, 2 * pr, L, D, {}), zero_padded(kf, tm, 2 * pr + 1, L, D, {}));
            fft::FourStepForward fwd("fwd", x0, plan, 1);
            // The pair's two spectra are split in the rows kernel, where bins k and -k (rows k1 and
            // n1 - k1) are both at hand: spec_rows(c2, ...), c2 = 2 * channel + (0 re, 1 im). kf_spec
            // gathers one value per output instead of the pair's four.
            auto [sa, sb] =
                fft::split_pair(fwd.at_row(ln, k2, pi, which, {g}), fwd.at_row_mirror(ln, k2, pi, which, {g}));
            spec_rows(c2, ln, k2, pi, which, g) =
                select(c2 == 0, sa.re, select(c2 == 1, sa.im, select(c2 == 2, sb.re, sb.im)));
            Expr k1 = k % plan.n1;
            kf_spec(d, c, k) = spec_rows(2 * (d % 2) + c, q % lanes, k / plan.n1, fft::row_pair(k1, plan.n1),
                                         fft::row_which(k1, plan.n1), q / lanes);
            stages = {x0, spec_rows};
            const std::vector<Func> fs = fwd.funcs();
            stages.insert(stages.end(), fs.begin(), fs.end());
        } else {
            twiddle = fft::twiddle_table("twiddle", n);
            x0(ln, k, g) = Tuple(zero_padded(kf, k, 2 * pr, L, D, {}), zero_padded(kf, k, 2 * pr + 1, L, D, {}));
            fft::Transform fwd("fwd", x0, n, -1, twiddle, 1);
            auto [ka, kb] = fft::split_pair(fwd.at(q % lanes, k, {q / lanes}), fwd.at(q % lanes, (n - k) % n, {q / lanes}));
            fft::Complex v = fft::select(d % 2 == 0, ka, kb);
            kf_spec(d, c, k) = select(c == 0, v.re, v.im);
            stages = {twiddle, x0};
            stages.insert(stages.end(), fwd.funcs().begin(), fwd.funcs().end());
        }
        stages.push_back(kf_spec);

        kf.set_estimates({{0, 4096}, {0, 768}});
        kf_spec.set_estimates({{0, 768}, {0, 2}, {0, n / 2 + 1}});
    }

    void schedule() {
        apply_schedule(stages);
    }

protected:
    std::map<std::string, Expr> shape_symbols() override {
        return {{"D", kf.dim(1).extent()}, {"L", kf.dim(0).extent()}};
    }
};

}  // namespace
}  // namespace seqmix

HALIDE_REGISTER_GENERATOR(seqmix::LongConv, long_conv)
HALIDE_REGISTER_GENERATOR(seqmix::LongConvFilter, long_conv_filter)
