// LMU memory (MIXERS.md, "Convolutions and structured matrices"; Legendre Memory Unit,
// LMUFormer): per channel c an LTI memory of order d, m_t = Abar m_{t-1} + Bbar u_t, u [B,T,C],
// m [B,T,C,d]. The runtime discretises the Legendre system (runtime/src/lmu_system.cpp) and
// passes what the kernels need; the kernels only convolve and multiply.
//
// `lmu` (the parallel form): m[b,t,c,i] = sum_{s<=t} h[i,s] u[b,t-s,c] + (Abar^{t+1} m0)[i], with
// the impulse response h[i,s] = (Abar^s Bbar)[i] ([d,T], one filter per memory dimension) and
// E[t] = Abar^{t+1} ([T,d,d], zeros without an initial state m0 [B,C,d]). As long_conv, `param n`
// picks the form: 0 the direct sum (`direct`), n > 0 the FFT form of long_conv (common/fft.h)
// with the filters' spectrum h_spec [n/2+1, 2, d] from long_conv_filter:
//   x0 (channel pairs) -> fwd0.. -> prod (one product per memory dimension i) -> inv0.. -> conv.
// Then `free_resp` (the initial state's part, a d-term reduction), m, and final_state (m at
// T-1, as its own d + T term reduction `last`, so it needs none of m's stages).
// `lmu_step`: one token, new_state = Abar state + Bbar u (`abar_t` the transposed Abar, `amul`
// the d-term reduction).
//
// Halide orders dimensions innermost first: u [B,T,C] is u(c, t, b), m [B,T,C,d] is
// m(i, c, t, b), h [d,T] is h(s, i), E [T,d,d] is E(j, i, t) (E[t][i][j]), states [B,C,d] are
// (i, c, b), Abar [d,d] is Abar(j, i).
#include "common/fft.h"
#include "common/scheduled_generator.h"

namespace seqmix {
namespace {

using namespace Halide;

class Lmu : public ScheduledGenerator<Lmu> {
public:
    Input<Buffer<float, 3>> u{"u"};                          // (c, t, b)
    Input<Buffer<float, 2>> h{"h"};                          // (s, i)
    Input<Buffer<float, 3>> h_spec{"h_spec"};                // (i, re/im, k), FFT form only
    Input<Buffer<float, 3>> E{"E"};                          // (j, i, t)
    Input<Buffer<float, 3>> initial_state{"initial_state"};  // (i, c, b)
    Input<int32_t> has_init{"has_init"};                     // 0: no initial state, skip E
    Output<Buffer<float, 4>> m{"m"};                         // (i, c, t, b)
    Output<Buffer<float, 3>> final_state{"final_state"};     // (i, c, b)

    Var i{"i"}, c{"c"}, t{"t"}, b{"b"}, ln{"ln"}, k{"k"}, g{"g"};
    Func direct{"direct"}, twiddle, x0{"x0"}, prod{"prod"}, conv{"conv"};
    Func free_resp{"free_resp"}, last{"last"};
    std::vector<Func> stages;

    void generate() {
        load_schedule("lmu");
        const int n = param("n");
        Expr C = u.dim(0).extent(), T = u.dim(1).extent(), Dm = h.dim(1).extent();
        if (n == 0) {
            RDom rs(0, T, "rs");
            direct(i, c, t, b) = 0.0f;
            direct(i, c, t, b) += h(rs, i) * select(t >= rs, u(c, max(t - rs, 0), b), 0.0f);
            conv(i, c, t, b) = direct(i, c, t, b);
            stages = {direct, conv};
        } else {
            const int lanes = param("lanes");
            twiddle = fft::twiddle_table("twiddle", n);
            Expr pr = g * lanes + ln;
            auto padded = [&](Expr ch) {
                return select(k < T && ch < C, u(clamp(ch, 0, C - 1), clamp(k, 0, T - 1), b), 0.0f);
            };
            x0(ln, k, g, b) = Tuple(padded(2 * pr), padded(2 * pr + 1));
            fft::Transform fwd("fwd", x0, n, -1, twiddle, 2);
            // Both channels of a pair see the same filter i.
            fft::Complex hk = fft::half_spectrum_at(h_spec, i, k, n);
            prod(ln, k, i, g, b) = fft::pair_product(fwd.at(ln, k, {g, b}), fwd.at(ln, (n - k) % n, {g, b}), hk, hk, n)
                                       .tuple();
            fft::Transform inv("inv", prod, n, +1, twiddle, 3);
            Expr q = c / 2;
            fft::Complex w = inv.at(q % lanes, t, {i, q / lanes, b});
            conv(i, c, t, b) = select(c % 2 == 0, w.re, w.im);
            stages = {twiddle, x0, prod, conv};
            stages.insert(stages.end(), fwd.funcs().begin(), fwd.funcs().end());
            stages.insert(stages.end(), inv.funcs().begin(), inv.funcs().end());
        }
        // Without an initial state the d-term reductions over E have no terms at all.
        RDom rj(0, select(has_init != 0, Dm, 0), "rj");
        free_resp(i, c, t, b) = 0.0f;
        free_resp(i, c, t, b) += E(rj, i, t) * initial_state(rj, c, b);
        m(i, c, t, b) = conv(i, c, t, b) + free_resp(i, c, t, b);

        RDom rl(0, T, "rl");
        last(i, c, b) = 0.0f;
        last(i, c, b) += E(rj, i, T - 1) * initial_state(rj, c, b);
        last(i, c, b) += h(rl, i) * u(c, T - 1 - rl, b);
        final_state(i, c, b) = last(i, c, b);
        stages.insert(stages.end(), {free_resp, m, last, final_state});

        u.set_estimates({{0, 256}, {0, 4096}, {0, 4}});
        h.set_estimates({{0, 4096}, {0, 16}});
        h_spec.set_estimates({{0, 16}, {0, 2}, {0, n / 2 + 1}});
        E.set_estimates({{0, 16}, {0, 16}, {0, 4096}});
        initial_state.set_estimates({{0, 16}, {0, 256}, {0, 4}});
        has_init.set_estimate(0);
        m.set_estimates({{0, 16}, {0, 256}, {0, 4096}, {0, 4}});
        final_state.set_estimates({{0, 16}, {0, 256}, {0, 4}});
    }

    void schedule() {
        apply_schedule(stages);
    }

protected:
    std::map<std::string, Expr> shape_symbols() override {
        return {{"B", u.dim(2).extent()}, {"T", u.dim(1).extent()}, {"C", u.dim(0).extent()},
                {"DM", h.dim(1).extent()}};
    }
};

class LmuStep : public ScheduledGenerator<LmuStep> {
public:
    Input<Buffer<float, 2>> u{"u"};          // (c, b)
    Input<Buffer<float, 3>> state{"state"};  // (j, c, b)
    Input<Buffer<float, 2>> Abar{"Abar"};    // (j, i)
    Input<Buffer<float, 1>> Bbar{"Bbar"};    // (i)
    Output<Buffer<float, 3>> new_state{"new_state"};  // (i, c, b)

    Var i{"i"}, j{"j"}, c{"c"}, b{"b"};
    Func abar_t{"abar_t"}, amul{"amul"};

    void generate() {
        load_schedule("lmu_step");
        RDom rj(0, Abar.dim(0).extent(), "rj");
        // Abar with i innermost: a matvec per (c, b) whose rows load as vectors along i.
        abar_t(i, j) = Abar(j, i);
        amul(i, c, b) = Bbar(i) * u(c, b);
        amul(i, c, b) += abar_t(i, rj) * state(rj, c, b);
        new_state(i, c, b) = amul(i, c, b);

        u.set_estimates({{0, 256}, {0, 16}});
        state.set_estimates({{0, 16}, {0, 256}, {0, 16}});
        Abar.set_estimates({{0, 16}, {0, 16}});
        Bbar.set_estimates({{0, 16}});
        new_state.set_estimates({{0, 16}, {0, 256}, {0, 16}});
    }

    void schedule() {
        apply_schedule({abar_t, amul, new_state});
    }

protected:
    std::map<std::string, Expr> shape_symbols() override {
        return {{"B", u.dim(1).extent()}, {"C", u.dim(0).extent()}, {"DM", Abar.dim(0).extent()}};
    }
};

}  // namespace
}  // namespace seqmix

HALIDE_REGISTER_GENERATOR(seqmix::Lmu, lmu)
HALIDE_REGISTER_GENERATOR(seqmix::LmuStep, lmu_step)
