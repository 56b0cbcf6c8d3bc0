// seqmix::attention: validation and dispatch for the `attention` generator.
#include <cmath>

#include <fmt/format.h>

#include "buffers.h"
#include "call.h"

namespace seqmix {

void attention(const Tensor &q, const Tensor &k, const Tensor &v, const Tensor &o, const std::optional<Tensor> &lse,
               const AttentionOptions &options) {
    detail::Checker c("seqmix::attention");
    c.tensor("q", q, {"B", "T", "H", "K"});
    c.tensor("k", k, {"B", "S", "Hkv", "K"});
    c.tensor("v", v, {"B", "S", "Hkv", "V"});
    c.tensor("o", o, {"B", "T", "H", "V"}, true);
    c.optional_tensor("lse", lse, {"B", "H", "T"}, true);
    if (c.dim("H") % c.dim("Hkv") != 0) {
        c.fail(fmt::format("q has H = {} heads, which is not a multiple of k's Hkv = {}", c.dim("H"), c.dim("Hkv")));
    }
    c.no_overlap();
    if (options.window < 0) c.fail(fmt::format("options.window is {}, expected >= 0 (0: no window)", options.window));
    if (options.window > INT32_MAX) c.fail(fmt::format("options.window is {}, expected < 2^31", options.window));
    const float scale = options.scale.value_or(1.0f / std::sqrt(static_cast<float>(c.dim("K"))));
    if (!std::isfinite(scale)) c.fail(fmt::format("options.scale is {}, expected a finite value", scale));

    detail::Call call("seqmix::attention", c, options);
    detail::KernelBuffer bq(q, call.ctx, true), bk(k, call.ctx, true), bv(v, call.ctx, true), bo(o, call.ctx, false);
    std::optional<detail::KernelBuffer> blse;
    if (lse) {
        blse.emplace(*lse, call.ctx, false);
    } else {
        blse.emplace(std::vector<int64_t>{c.dim("B"), c.dim("H"), c.dim("T")}, c.device(), call.ctx, false);
    }
    call.run<detail::attention_fn>("attention", bq.get(), bk.get(), bv.get(), scale, options.causal ? 1 : 0,
                                   static_cast<int32_t>(options.window), bo.get(), blse->get());
}

}  // namespace seqmix
