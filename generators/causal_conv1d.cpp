// Causal depthwise conv1d (MIXERS.md, "State-space models"; mamba's causal_conv1d, fla's
// ShortConvolution), sequence-major:
//   y[b,t,d] = act(bias[d] + sum_{j<W} weight[d,j] * x[b, t-(W-1)+j, d])
// with x before position 0 read from initial_state [B,D,W-1] (zeros if absent), act = identity or
// SiLU; final_state = the last W-1 inputs (initial_state's entries when T < W-1).
//
// `causal_conv1d` stages: x_ext (x with the state in front) -> weight_t -> conv (the W-tap
// reduction, a named Func) -> y; final_state reads x_ext.
// `causal_conv1d_step`: one token; window (state then x) -> conv -> y, new_state (window shifted).
//
// Halide orders dimensions innermost first: x [B,T,D] is x(d, t, b), weight [D,W] is
// weight(j, d), a state [B,D,W-1] is state(j, d, b). W is a run-time extent (2..4, validated by
// the runtime); schedules may `specialize W == 4` to unroll the taps.
#include "common/scheduled_generator.h"

namespace seqmix {
namespace {

using namespace Halide;

// act(a): SiLU when `silu` is nonzero, identity otherwise.
Expr activation(Expr a, Expr silu) {
    return select(silu != 0, a / (1.0f + exp(-a)), a);
}

class CausalConv1d : public ScheduledGenerator<CausalConv1d> {
public:
    Input<Buffer<float, 3>> x{"x"};                          // (d, t, b)
    Input<Buffer<float, 2>> weight{"weight"};                // (j, d)
    Input<Buffer<float, 1>> bias{"bias"};                    // (d), zeros when absent
    Input<Buffer<float, 3>> initial_state{"initial_state"};  // (j, d, b), j < W-1
    Input<int32_t> silu{"silu"};
    Output<Buffer<float, 3>> y{"y"};                      // (d, t, b)
    Output<Buffer<float, 3>> final_state{"final_state"};  // (j, d, b)

    Var d{"d"}, t{"t"}, b{"b"}, j{"j"};
    Func x_ext{"x_ext"}, weight_t{"weight_t"}, conv{"conv"};

    void generate() {
        load_schedule("causal_conv1d");
        Expr W = weight.dim(0).extent(), T = x.dim(1).extent();
        // x_ext(d, t, b): x at t >= 0, the state's entry (W-1) + t at t < 0.
        x_ext(d, t, b) = select(t >= 0, x(d, clamp(t, 0, T - 1), b),
                                initial_state(clamp(t + W - 1, 0, W - 2), d, b));
        weight_t(d, j) = weight(j, d);
        RDom rw(0, W, "rw");
        conv(d, t, b) = bias(d);
        conv(d, t, b) += weight_t(d, rw) * x_ext(d, t - (W - 1) + rw, b);
        y(d, t, b) = activation(conv(d, t, b), silu);
        final_state(j, d, b) = x_ext(d, T - (W - 1) + j, b);

        x.set_estimates({{0, 2048}, {0, 4096}, {0, 4}});
        weight.set_estimates({{0, 4}, {0, 2048}});
        bias.set_estimates({{0, 2048}});
        initial_state.set_estimates({{0, 3}, {0, 2048}, {0, 4}});
        silu.set_estimate(1);
        y.set_estimates({{0, 2048}, {0, 4096}, {0, 4}});
        final_state.set_estimates({{0, 3}, {0, 2048}, {0, 4}});
    }

    void schedule() {
        apply_schedule({x_ext, weight_t, conv, y, final_state});
    }

protected:
    std::map<std::string, Expr> shape_symbols() override {
        return {{"B", x.dim(2).extent()}, {"T", x.dim(1).extent()}, {"D", x.dim(0).extent()},
                {"W", weight.dim(0).extent()}};
    }
};

class CausalConv1dStep : public ScheduledGenerator<CausalConv1dStep> {
public:
    Input<Buffer<float, 2>> x{"x"};            // (d, b)
    Input<Buffer<float, 2>> weight{"weight"};  // (j, d)
    Input<Buffer<float, 1>> bias{"bias"};      // (d)
    Input<Buffer<float, 3>> state{"state"};    // (j, d, b), j < W-1
    Input<int32_t> silu{"silu"};
    Output<Buffer<float, 2>> y{"y"};                  // (d, b)
    Output<Buffer<float, 3>> new_state{"new_state"};  // (j, d, b)

    Var d{"d"}, b{"b"}, j{"j"};
    Func window{"window"}, conv{"conv"};

    void generate() {
        load_schedule("causal_conv1d_step");
        Expr W = weight.dim(0).extent();
        // The W inputs the new token's output sees: the state (oldest first), then x.
        window(j, d, b) = select(j < W - 1, state(clamp(j, 0, W - 2), d, b), x(d, b));
        RDom rw(0, W, "rw");
        conv(d, b) = bias(d);
        conv(d, b) += weight(rw, d) * window(rw, d, b);
        y(d, b) = activation(conv(d, b), silu);
        new_state(j, d, b) = window(j + 1, d, b);

        x.set_estimates({{0, 2048}, {0, 64}});
        weight.set_estimates({{0, 4}, {0, 2048}});
        bias.set_estimates({{0, 2048}});
        state.set_estimates({{0, 3}, {0, 2048}, {0, 64}});
        silu.set_estimate(1);
        y.set_estimates({{0, 2048}, {0, 64}});
        new_state.set_estimates({{0, 3}, {0, 2048}, {0, 64}});
    }

    void schedule() {
        apply_schedule({window, conv, y, new_state});
    }

protected:
    std::map<std::string, Expr> shape_symbols() override {
        return {{"B", x.dim(1).extent()}, {"D", x.dim(0).extent()}, {"W", weight.dim(0).extent()}};
    }
};

}  // namespace
}  // namespace seqmix

HALIDE_REGISTER_GENERATOR(seqmix::CausalConv1d, causal_conv1d)
HALIDE_REGISTER_GENERATOR(seqmix::CausalConv1dStep, causal_conv1d_step)
