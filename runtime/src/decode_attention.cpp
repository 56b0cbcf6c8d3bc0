// seqmix::decode_attention: validation and dispatch for the `decode_attention` generator.
#include <cmath>

#include <fmt/format.h>

#include "buffers.h"
#include "call.h"

namespace seqmix {

void decode_attention(const Tensor &q, const Tensor &k, const Tensor &v, const Tensor &lens, const Tensor &o,
                      const std::optional<Tensor> &lse, const DecodeAttentionOptions &options) {
    detail::Checker c("seqmix::decode_attention");
    c.tensor("q", q, {"B", "Tq", "H", "K"});
    c.tensor("k", k, {"B", "L", "Hkv", "K"});
    c.tensor("v", v, {"B", "L", "Hkv", "V"});
    c.tensor("lens", lens, {"B"}, false, DType::i32);
    c.tensor("o", o, {"B", "Tq", "H", "V"}, true);
    c.optional_tensor("lse", lse, {"B", "H", "Tq"}, true);
    if (c.dim("Tq") > 8) c.fail(fmt::format("q has Tq = {} new tokens, expected 1..8", c.dim("Tq")));
    if (c.dim("H") % c.dim("Hkv") != 0) {
        c.fail(fmt::format("q has H = {} heads, which is not a multiple of k's Hkv = {}", c.dim("H"), c.dim("Hkv")));
    }
    c.no_overlap();
    const float scale = options.scale.value_or(1.0f / std::sqrt(static_cast<float>(c.dim("K"))));
    if (!std::isfinite(scale)) c.fail(fmt::format("options.scale is {}, expected a finite value", scale));

    detail::Call call("seqmix::decode_attention", c, options);
    detail::KernelBuffer bq(q, call.ctx, true), bk(k, call.ctx, true), bv(v, call.ctx, true);
    detail::KernelBuffer bl(lens, call.ctx, true), bo(o, call.ctx, false);
    std::optional<detail::KernelBuffer> blse;
    if (lse) {
        blse.emplace(*lse, call.ctx, false);
    } else {
        blse.emplace(std::vector<int64_t>{c.dim("B"), c.dim("H"), c.dim("Tq")}, c.device(), call.ctx, false);
    }
    call.run<detail::decode_attention_fn>("decode_attention", bq.get(), bk.get(), bv.get(), bl.get(), scale, bo.get(),
                                          blse->get());
}

}  // namespace seqmix
