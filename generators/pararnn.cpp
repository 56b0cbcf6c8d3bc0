// ParaRNN: a nonlinear RNN with diagonal recurrent weights solved for all time steps at once
// (MIXERS.md, "Nonlinear RNNs"). Cells (common/rnn.h): GRU (r, u, n) with recurrent bias bh,
// and LSTM (i, f, z, o) with its (h, c) pair per unit; Rd [H,Hd,ng] holds the diagonal weights,
// G [B,T,H,ng*Hd] the input projections, bias [H,ng*Hd] (GRU: bh; LSTM: added to G).
//
// One generator, two forms, chosen per shape bucket by the algorithm param `newton`:
// - newton = 1: ONE Newton iteration. From the iterate (h_cur, c_cur) [B,T,H,Hd] it forms the
//   residuals r_t = f(s_{t-1}, x_t) - s_t and Jacobians J_t = df/ds (s_{-1} = the initial
//   state), solves d_t = J_t d_{t-1} + r_t with the chunked scan of common/rnn.h (chunks of
//   `chunk`), and writes h_next = h_cur + d_h, c_next = c_cur + d_c and err(h, b) = max |d|.
//   The runtime iterates from h = c = 0 until max err < tol or max_iters.
// - newton = 0: the sequential cell, a scan over t (h_cur, c_cur unread, err = 0): the runtime's
//   loop then stops after one call. Faster wherever the units B*H*Hd alone fill the machine.
// Stages (newton): lin (residual and Jacobian, Tuple rh rc Jhh Jhc Jch Jcc) -> local -> carry
// -> d -> h_next, c_next, final_h, final_c, err_part -> err. (sequential): seq -> the outputs.
//
// Halide orders dimensions innermost first: G [B,T,H,ng*Hd] is G(u, h, t, b) with u = g * Hd + j;
// Rd is Rd(g, j, h); states [B,H,Hd] are s(j, h, b); sequences [B,T,H,Hd] are s(j, h, t, b).
// The internal stages (lin, local, carry, d, seq) put t second: (j, t, h, b).
// `cell` is 0 (GRU) or 1 (LSTM), a run-time input: schedules `specialize cell == 1` so that each
// branch computes one cell.
#include "common/rnn.h"
#include "common/scheduled_generator.h"

namespace seqmix {
namespace {

using namespace Halide;

class ParaRnn : public ScheduledGenerator<ParaRnn> {
public:
    Input<Buffer<float, 4>> G{"G"};            // (u, h, t, b)
    Input<Buffer<float, 3>> Rd{"Rd"};          // (g, j, h)
    Input<Buffer<float, 2>> bias{"bias"};      // (u, h)
    Input<Buffer<float, 3>> h0{"h0"};          // (j, h, b)
    Input<Buffer<float, 3>> c0{"c0"};          // (j, h, b)
    Input<Buffer<float, 4>> h_cur{"h_cur"};    // (j, h, t, b)
    Input<Buffer<float, 4>> c_cur{"c_cur"};    // (j, h, t, b)
    Input<int32_t> cell{"cell"};
    Output<Buffer<float, 4>> h_next{"h_next"};    // (j, h, t, b)
    Output<Buffer<float, 4>> c_next{"c_next"};    // (j, h, t, b)
    Output<Buffer<float, 3>> final_h{"final_h"};  // (j, h, b)
    Output<Buffer<float, 3>> final_c{"final_c"};  // (j, h, b)
    Output<Buffer<float, 2>> err{"err"};          // (h, b)

    Var j{"j"}, t{"t"}, h{"h"}, b{"b"}, c{"c"};
    Func lin{"lin"}, local{"local"}, carry{"carry"}, d{"d"}, err_part{"err_part"}, seq{"seq"};

    // The cell's step at (j, t, h, b) from the previous state (hp, cp).
    rnn::CellStep step(const Expr &hp, const Expr &cp, const Expr &tt) {
        Expr Hd = h0.dim(0).extent(), ng = select(cell != 0, 4, 3);
        auto gate = [&, Hd, ng](int g) { return min(g, ng - 1) * Hd + j; };
        auto x = [&](int g) { return G(gate(g), h, tt, b) + select(cell != 0, bias(gate(g), h), 0.0f); };
        auto bh = [&](int g) { return bias(gate(g), h); };
        auto rd = [&, ng](int g) { return Rd(min(g, ng - 1), j, h); };
        rnn::CellStep gs = rnn::gru_diag_step(x, bh, rd, hp);
        rnn::CellStep ls = rnn::lstm_diag_step(x, rd, hp, cp);
        auto pick = [&](const Expr &l, const Expr &g) { return select(cell != 0, l, g); };
        return {pick(ls.fh, gs.fh), pick(ls.fc, gs.fc), pick(ls.Jhh, gs.Jhh),
                pick(ls.Jhc, gs.Jhc), pick(ls.Jch, gs.Jch), pick(ls.Jcc, gs.Jcc)};
    }

    void generate() {
        load_schedule("pararnn");
        Expr T = G.dim(2).extent();
        if (param("newton")) {
            define_newton(T);
        } else {
            define_sequential(T);
        }
        G.set_estimates({{0, 768}, {0, 1}, {0, 4096}, {0, 1}});
        Rd.set_estimates({{0, 3}, {0, 256}, {0, 1}});
        bias.set_estimates({{0, 768}, {0, 1}});
        for (auto *s : {&h0, &c0}) s->set_estimates({{0, 256}, {0, 1}, {0, 1}});
        for (auto *s : {&h_cur, &c_cur}) s->set_estimates({{0, 256}, {0, 1}, {0, 4096}, {0, 1}});
        for (auto *s : {&h_next, &c_next}) s->set_estimates({{0, 256}, {0, 1}, {0, 4096}, {0, 1}});
        for (auto *s : {&final_h, &final_c}) s->set_estimates({{0, 256}, {0, 1}, {0, 1}});
        cell.set_estimate(0);
        err.set_estimates({{0, 1}, {0, 1}});
    }

    void define_newton(const Expr &T) {
        const int C = param("chunk");
        Expr tc = clamp(t, 0, T - 1), tp = clamp(t - 1, 0, T - 1);
        Expr hp = select(t == 0, h0(j, h, b), h_cur(j, h, tp, b));
        Expr cp = select(t == 0, c0(j, h, b), c_cur(j, h, tp, b));
        rnn::CellStep s = step(hp, cp, tc);
        // Past the end: identity Jacobian, no residual (the scan passes its value through).
        Expr in = t < T;
        lin(j, t, h, b) = Tuple(select(in, s.fh - h_cur(j, h, tc, b), 0.0f), select(in, s.fc - c_cur(j, h, tc, b), 0.0f),
                                select(in, s.Jhh, 1.0f), select(in, s.Jhc, 0.0f), select(in, s.Jch, 0.0f),
                                select(in, s.Jcc, 1.0f));
        Expr nc = (T + C - 1) / C;
        rnn::define_chunked_scan2(local, carry, d, lin, C, nc);
        h_next(j, h, t, b) = h_cur(j, h, t, b) + d(j, t, h, b)[0];
        c_next(j, h, t, b) = c_cur(j, h, t, b) + d(j, t, h, b)[1];
        final_h(j, h, b) = h_cur(j, h, T - 1, b) + d(j, T - 1, h, b)[0];
        final_c(j, h, b) = c_cur(j, h, T - 1, b) + d(j, T - 1, h, b)[1];
        RDom ri(0, C, "ri");
        ri.where(c * C + ri < T);
        err_part(j, c, h, b) = 0.0f;
        err_part(j, c, h, b) = max(err_part(j, c, h, b), max(abs(d(j, c * C + ri, h, b)[0]), abs(d(j, c * C + ri, h, b)[1])));
        RDom ru(0, h0.dim(0).extent(), 0, nc, "ru");
        err(h, b) = 0.0f;
        err(h, b) = max(err(h, b), err_part(ru.x, ru.y, h, b));
    }

    void define_sequential(const Expr &T) {
        // Every element is written by the scan: no pure pass over [B,T,H,Hd].
        seq(j, t, h, b) = Tuple(undef<float>(), undef<float>());
        RDom rt(0, T, "rt");
        Expr hp = select(rt == 0, h0(j, h, b), seq(j, max(rt - 1, 0), h, b)[0]);
        Expr cp = select(rt == 0, c0(j, h, b), seq(j, max(rt - 1, 0), h, b)[1]);
        rnn::CellStep s = step(hp, cp, rt);
        seq(j, rt, h, b) = Tuple(s.fh, s.fc);
        h_next(j, h, t, b) = seq(j, t, h, b)[0];
        c_next(j, h, t, b) = seq(j, t, h, b)[1];
        final_h(j, h, b) = seq(j, T - 1, h, b)[0];
        final_c(j, h, b) = seq(j, T - 1, h, b)[1];
        err(h, b) = 0.0f;
    }

    void schedule() {
        if (param("newton")) {
            apply_schedule({lin, local, carry, d, h_next, c_next, final_h, final_c, err_part, err});
        } else {
            apply_schedule({seq, h_next, c_next, final_h, final_c, err});
        }
    }

protected:
    std::map<std::string, Expr> shape_symbols() override {
        return {{"B", G.dim(3).extent()}, {"T", G.dim(2).extent()}, {"H", G.dim(1).extent()},
                {"Hd", h0.dim(0).extent()}, {"cell", cell}};
    }
};

}  // namespace
}  // namespace seqmix

HALIDE_REGISTER_GENERATOR(seqmix::ParaRnn, pararnn)
