// seqmix::causal_conv1d and seqmix::causal_conv1d_step: validation and dispatch for the
// `causal_conv1d` and `causal_conv1d_step` generators.
#include <fmt/format.h>

#include "buffers.h"
#include "call.h"

namespace seqmix {
namespace {

// weight [D,W] with W = 2..4 (mamba's causal_conv1d supports these widths).
void check_width(const detail::Checker &c) {
    const int64_t W = c.dim("W");
    if (W < 2 || W > 4) c.fail(fmt::format("weight has width W = {}, expected 2, 3 or 4", W));
}

// A conv state [B,D,W-1]: its last dimension bound as "Wm1" must be W - 1.
void check_state_width(const detail::Checker &c, const char *name) {
    if (c.dim("Wm1") != c.dim("W") - 1) {
        c.fail(fmt::format("{} has last dimension {}, expected W - 1 = {} (weight's W = {})", name, c.dim("Wm1"),
                           c.dim("W") - 1, c.dim("W")));
    }
}

int32_t silu_flag(const CausalConv1dOptions &options) {
    return options.activation == Activation::silu ? 1 : 0;
}

}  // namespace

void causal_conv1d(const Tensor &x, const Tensor &weight, const Tensor &y, const std::optional<Tensor> &bias,
                   const std::optional<Tensor> &initial_state, const std::optional<Tensor> &final_state,
                   const CausalConv1dOptions &options) {
    detail::Checker c("seqmix::causal_conv1d");
    c.tensor("x", x, {"B", "T", "D"});
    c.tensor("weight", weight, {"D", "W"});
    check_width(c);
    c.optional_tensor("bias", bias, {"D"});
    c.optional_tensor("initial_state", initial_state, {"B", "D", "Wm1"});
    if (initial_state) check_state_width(c, "initial_state");
    c.tensor("y", y, {"B", "T", "D"}, true);
    c.optional_tensor("final_state", final_state, {"B", "D", "Wm1"}, true);
    if (final_state) check_state_width(c, "final_state");
    c.no_overlap();

    detail::Call call("seqmix::causal_conv1d", c, options);
    const std::vector<int64_t> state_shape{c.dim("B"), c.dim("D"), c.dim("W") - 1};
    detail::KernelBuffer bx(x, call.ctx, true), bw(weight, call.ctx, true), by(y, call.ctx, false);
    std::optional<detail::KernelBuffer> bb, b_init, b_final;
    if (bias) {
        bb.emplace(*bias, call.ctx, true);
    } else {
        bb.emplace(std::vector<int64_t>{c.dim("D")}, c.device(), call.ctx, true);
    }
    if (initial_state) {
        b_init.emplace(*initial_state, call.ctx, true);
    } else {
        b_init.emplace(state_shape, c.device(), call.ctx, true);
    }
    if (final_state) {
        b_final.emplace(*final_state, call.ctx, false);
    } else {
        b_final.emplace(state_shape, c.device(), call.ctx, false);
    }
    call.run<detail::causal_conv1d_fn>("causal_conv1d", bx.get(), bw.get(), bb->get(), b_init->get(),
                                       silu_flag(options), by.get(), b_final->get());
}

void causal_conv1d_step(const Tensor &x, const Tensor &weight, const Tensor &state, const Tensor &y,
                        const Tensor &new_state, const std::optional<Tensor> &bias,
                        const CausalConv1dOptions &options) {
    detail::Checker c("seqmix::causal_conv1d_step");
    c.tensor("x", x, {"B", "D"});
    c.tensor("weight", weight, {"D", "W"});
    check_width(c);
    c.optional_tensor("bias", bias, {"D"});
    c.tensor("state", state, {"B", "D", "Wm1"});
    check_state_width(c, "state");
    c.tensor("y", y, {"B", "D"}, true);
    c.tensor("new_state", new_state, {"B", "D", "Wm1"}, true);
    c.no_overlap();

    detail::Call call("seqmix::causal_conv1d_step", c, options);
    detail::KernelBuffer bx(x, call.ctx, true), bw(weight, call.ctx, true), bs(state, call.ctx, true);
    detail::KernelBuffer by(y, call.ctx, false), bn(new_state, call.ctx, false);
    std::optional<detail::KernelBuffer> bb;
    if (bias) {
        bb.emplace(*bias, call.ctx, true);
    } else {
        bb.emplace(std::vector<int64_t>{c.dim("D")}, c.device(), call.ctx, true);
    }
    call.run<detail::causal_conv1d_step_fn>("causal_conv1d_step", bx.get(), bw.get(), bb->get(), bs.get(),
                                            silu_flag(options), by.get(), bn.get());
}

}  // namespace seqmix
