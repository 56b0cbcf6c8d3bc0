// LSTM with head-wise block-diagonal recurrence (MIXERS.md, "Nonlinear RNNs"; FlashRNN):
//   (i, f, z, o) = G_t + h_{t-1} R + bias,  c_t = sig(f) c_{t-1} + sig(i) tanh(z),
//   h_t = sig(o) tanh(c_t),  per head h with R [H,Hd,4*Hd]; H = 1 is the classic LSTM.
//
// `lstm` is ONE time step for every batch row and head: G [B,H,4*Hd] (the token's precomputed
// input projections), R, bias [H,4*Hd], the states h_prev, c_prev [B,H,Hd] -> h_out, c_out.
// The runtime (runtime/src/rnn.cpp) runs it once per token, pointing G and h_out at the
// token's slices of the caller's [B,T,H,*] tensors (no copies): the recurrence is sequential in
// T, and a step is a [B,Hd] x [Hd,4*Hd] GEMM per head that needs all of h_{t-1}, so a step is
// the natural unit of parallel work (over heads, units and batch rows). On a CPU one call costs
// a few microseconds against ~100 us of GEMM per step at Hd = 256, B = 8; on a GPU it is one
// launch per step with R streamed from L2 (Halide 21 has no grid-wide barrier, so a loop over T
// inside one launch could only run one block per (batch row, head): far too few blocks, and a
// head's R fits the 48 KB of shared memory only for Hd <= 55).
//
// Stages: rec (the recurrent matvec, bias folded in: common/rnn.h) -> act (the four gates with
// their nonlinearities, fused) -> c_out, h_out (the cell update, elementwise).
#include "common/rnn.h"
#include "common/scheduled_generator.h"

namespace seqmix {
namespace {

using namespace Halide;

class Lstm : public ScheduledGenerator<Lstm> {
public:
    Input<Buffer<float, 3>> G{"G"};            // (u, h, b), u = g * Hd + j, gates (i, f, z, o)
    Input<Buffer<float, 3>> R{"R"};            // (u, k, h)
    Input<Buffer<float, 2>> bias{"bias"};      // (u, h), zeros when absent
    Input<Buffer<float, 3>> h_prev{"h_prev"};  // (j, h, b)
    Input<Buffer<float, 3>> c_prev{"c_prev"};  // (j, h, b)
    Output<Buffer<float, 3>> h_out{"h_out"};   // (j, h, b)
    Output<Buffer<float, 3>> c_out{"c_out"};   // (j, h, b)

    Var j{"j"}, g{"g"}, h{"h"}, b{"b"};
    Func rec{"rec"}, act{"act"};

    void generate() {
        load_schedule("lstm");
        Expr Hd = h_prev.dim(0).extent();
        rnn::define_recurrent_gates(rec, R, bias, h_prev, Hd);
        Expr pre = G(g * Hd + j, h, b) + rec(j, g, h, b);
        // Schedules unroll g, which turns this select into one nonlinearity per gate.
        act(j, g, h, b) = select(g == 2, rnn::tanh_exp(pre), rnn::sigmoid(pre));
        Expr c_new = act(j, 1, h, b) * c_prev(j, h, b) + act(j, 0, h, b) * act(j, 2, h, b);
        c_out(j, h, b) = c_new;
        h_out(j, h, b) = act(j, 3, h, b) * rnn::tanh_exp(c_new);

        G.set_estimates({{0, 1024}, {0, 1}, {0, 8}});
        R.set_estimates({{0, 1024}, {0, 256}, {0, 1}});
        bias.set_estimates({{0, 1024}, {0, 1}});
        h_prev.set_estimates({{0, 256}, {0, 1}, {0, 8}});
        c_prev.set_estimates({{0, 256}, {0, 1}, {0, 8}});
        h_out.set_estimates({{0, 256}, {0, 1}, {0, 8}});
        c_out.set_estimates({{0, 256}, {0, 1}, {0, 8}});
    }

    void schedule() {
        apply_schedule({rec, act, c_out, h_out});
    }

protected:
    std::map<std::string, Expr> shape_symbols() override {
        return {{"B", h_prev.dim(2).extent()}, {"H", h_prev.dim(1).extent()}, {"Hd", h_prev.dim(0).extent()}};
    }
};

}  // namespace
}  // namespace seqmix

HALIDE_REGISTER_GENERATOR(seqmix::Lstm, lstm)
