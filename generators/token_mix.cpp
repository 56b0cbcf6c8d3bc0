// Dense token mixing (MIXERS.md, "Convolutions and structured matrices"; MLP-Mixer, TSMixer):
//   y[b,t,c] = bias[t] + sum_s W[t,s] x[b,s,c],   causal: only s <= t (W lower-triangular).
// Per batch row a GEMM [T,T] x [T,C]. x, y [B,T,C] are (c, t, b) in Halide's innermost-first
// order; W [T,T] is W(s, t) (row t contiguous over s); bias [T] is bias(t).
//
// Stages: w_mix (W with the causal mask applied: a schedule packs it per row tile, so the mask
// costs one select per packed element, not per multiply-add) -> x_panel (x, a named stage so a
// schedule can pack the column panel a task reads, as GEMM libraries pack B) -> acc (bias, then
// the s reduction) -> y.
//
// Causal rows skip the zero upper triangle a block of `row_block` rows at a time (an algorithm
// param: schedules make it their register tile's row count): the reduction's `where` stops the
// s loop at the block's last row, and w_mix's mask keeps the block's earlier rows exact.
#include "common/scheduled_generator.h"

namespace seqmix {
namespace {

using namespace Halide;

class TokenMix : public ScheduledGenerator<TokenMix> {
public:
    Input<Buffer<float, 3>> x{"x"};     // (c, t, b)
    Input<Buffer<float, 2>> W{"W"};     // (s, t)
    Input<Buffer<float, 1>> bias{"bias"};  // (t), zeros when absent
    Input<int32_t> causal{"causal"};
    Output<Buffer<float, 3>> y{"y"};  // (c, t, b)

    Var c{"c"}, t{"t"}, b{"b"}, s{"s"};
    Func w_mix{"w_mix"}, x_panel{"x_panel"}, acc{"acc"};

    void generate() {
        load_schedule("token_mix");
        const Expr T = x.dim(1).extent(), C = x.dim(0).extent();
        // k_block > 0 (GPU files): whole block tiles. The s reduction runs to T rounded up to
        // k_block (zero weights past T), and W and x are read clamped, so tiles that overhang T or
        // C compute on in-bounds values that the output's guards discard: every per-thread loop
        // has a constant extent and no guard. 0 (CPU files): the plain reads, for vector loads.
        const int k_block = param_or("k_block", 0);
        Expr T_red = T;
        if (k_block > 0) {
            const Expr s_in = clamp(s, 0, T - 1);
            w_mix(s, t) = select(s >= T || (causal != 0 && s > t), 0.0f, W(s_in, clamp(t, 0, T - 1)));
            x_panel(c, s, b) = x(clamp(c, 0, C - 1), s_in, b);
            T_red = (T + k_block - 1) / k_block * k_block;
        } else {
            w_mix(s, t) = select(causal != 0 && s > t, 0.0f, W(s, t));
            x_panel(c, s, b) = x(c, s, b);
        }
        RDom rs(0, T_red, "rs");
        // Causal: s below the end of t's block of `row_block` rows. Within a block the condition
        // does not depend on the row, so a schedule whose register tile is that block gets one
        // trimmed s loop and no per-row guards; w_mix's mask zeroes the s > t entries the block
        // still reads. Non-causal: every s.
        const int row_block = param("row_block");
        rs.where(causal == 0 || rs < (t / row_block + 1) * row_block);
        acc(c, t, b) = k_block > 0 ? bias(clamp(t, 0, T - 1)) : bias(t);
        acc(c, t, b) += w_mix(rs, t) * x_panel(c, rs, b);
        y(c, t, b) = acc(c, t, b);
        // The runtime passes whole tensors (min 0): row blocks of the output then start at
        // multiples of row_block, which is what lets the causal `where` simplify per block.
        y.dim(1).set_min(0);

        x.set_estimates({{0, 512}, {0, 1024}, {0, 4}});
        W.set_estimates({{0, 1024}, {0, 1024}});
        bias.set_estimates({{0, 1024}});
        causal.set_estimate(0);
        y.set_estimates({{0, 512}, {0, 1024}, {0, 4}});
    }

    void schedule() {
        apply_schedule({w_mix, x_panel, acc, y});
    }

protected:
    std::map<std::string, Expr> shape_symbols() override {
        return {{"B", x.dim(2).extent()}, {"T", x.dim(1).extent()}, {"C", x.dim(0).extent()},
                {"causal", causal}};
    }
};

}  // namespace
}  // namespace seqmix

HALIDE_REGISTER_GENERATOR(seqmix::TokenMix, token_mix)
