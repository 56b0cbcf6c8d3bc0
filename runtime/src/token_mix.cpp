// seqmix::token_mix: validation and dispatch for the `token_mix` generator.
#include "buffers.h"
#include "call.h"

namespace seqmix {

void token_mix(const Tensor &x, const Tensor &W, const Tensor &y, const std::optional<Tensor> &bias,
               const TokenMixOptions &options) {
    detail::Checker c("seqmix::token_mix");
    c.tensor("x", x, {"B", "T", "C"});
    c.tensor("W", W, {"T", "T"});
    c.optional_tensor("bias", bias, {"T"});
    c.tensor("y", y, {"B", "T", "C"}, true);
    c.no_overlap();

    detail::Call call("seqmix::token_mix", c, options);
    detail::KernelBuffer bx(x, call.ctx, true), bw(W, call.ctx, true), by(y, call.ctx, false);
    std::optional<detail::KernelBuffer> bb;
    if (bias) {
        bb.emplace(*bias, call.ctx, true);
    } else {
        bb.emplace(std::vector<int64_t>{c.dim("T")}, c.device(), call.ctx, true);
    }
    call.run<detail::token_mix_fn>("token_mix", bx.get(), bw.get(), bb->get(), options.causal ? 1 : 0, by.get());
}

}  // namespace seqmix
