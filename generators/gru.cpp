// GRU with head-wise block-diagonal recurrence (MIXERS.md, "Nonlinear RNNs"; PyTorch/cuDNN
// convention, input bias folded into G):
//   r = sig(G_r + h R_r + bh_r),  u = sig(G_u + h R_u + bh_u),  n = tanh(G_n + r * (h R_n + bh_n)),
//   h_t = (1 - u) * n + u * h_{t-1},  per head with R [H,Hd,3*Hd], bh [H,3*Hd].
//
// `gru` is ONE time step for every batch row and head, run once per token by the runtime, for
// the reasons lstm.cpp gives. Stages: rec (the recurrent matvec with bh folded in:
// common/rnn.h) -> act (r, u, n fused; n needs r and the recurrent part of its own gate apart,
// which is why bh is folded into rec and G is added here) -> h_out.
#include "common/rnn.h"
#include "common/scheduled_generator.h"

namespace seqmix {
namespace {

using namespace Halide;

class Gru : public ScheduledGenerator<Gru> {
public:
    Input<Buffer<float, 3>> G{"G"};            // (u, h, b), u = g * Hd + j, gates (r, u, n)
    Input<Buffer<float, 3>> R{"R"};            // (u, k, h)
    Input<Buffer<float, 2>> bias{"bias"};      // (u, h): bh, zeros when absent
    Input<Buffer<float, 3>> h_prev{"h_prev"};  // (j, h, b)
    Output<Buffer<float, 3>> h_out{"h_out"};   // (j, h, b)

    Var j{"j"}, g{"g"}, h{"h"}, b{"b"};
    Func rec{"rec"}, act{"act"};

    void generate() {
        load_schedule("gru");
        Expr Hd = h_prev.dim(0).extent();
        rnn::define_recurrent_gates(rec, R, bias, h_prev, Hd);
        // act(j, 0|1) = r, u; act(j, 2) = n, reading r = act(j, 0) through its own expression
        // (schedules unroll g: each gate is computed once per element).
        Expr r = rnn::sigmoid(G(j, h, b) + rec(j, 0, h, b));
        Expr pre = G(g * Hd + j, h, b) + rec(j, g, h, b);
        act(j, g, h, b) = select(g == 2, rnn::tanh_exp(G(2 * Hd + j, h, b) + r * rec(j, 2, h, b)), rnn::sigmoid(pre));
        Expr u = act(j, 1, h, b), n = act(j, 2, h, b);
        h_out(j, h, b) = (1.0f - u) * n + u * h_prev(j, h, b);

        G.set_estimates({{0, 768}, {0, 1}, {0, 8}});
        R.set_estimates({{0, 768}, {0, 256}, {0, 1}});
        bias.set_estimates({{0, 768}, {0, 1}});
        h_prev.set_estimates({{0, 256}, {0, 1}, {0, 8}});
        h_out.set_estimates({{0, 256}, {0, 1}, {0, 8}});
    }

    void schedule() {
        apply_schedule({rec, act, h_out});
    }

protected:
    std::map<std::string, Expr> shape_symbols() override {
        return {{"B", h_prev.dim(2).extent()}, {"H", h_prev.dim(1).extent()}, {"Hd", h_prev.dim(0).extent()}};
    }
};

}  // namespace
}  // namespace seqmix

HALIDE_REGISTER_GENERATOR(seqmix::Gru, gru)
