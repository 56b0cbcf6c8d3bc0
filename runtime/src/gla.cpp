// seqmix::gla, gla_state, gla_decay, gla_inter and gla_step: validation and dispatch for their
// generators (gla.cpp, gla_inter.cpp).
#include <cmath>

#include <fmt/format.h>

#include "buffers.h"
#include "call.h"

namespace seqmix {
namespace {

float scale_or_default(const detail::Checker &c, const std::optional<float> &scale) {
    const float s = scale.value_or(1.0f / std::sqrt(static_cast<float>(c.dim("K"))));
    if (!std::isfinite(s)) c.fail(fmt::format("options.scale is {}, expected a finite value", s));
    return s;
}

}  // namespace

void gla(const Tensor &q, const Tensor &k, const Tensor &v, const Tensor &g, const Tensor &o,
         const std::optional<Tensor> &initial_state, const std::optional<Tensor> &final_state,
         const GlaOptions &options) {
    detail::Checker c("seqmix::gla");
    c.tensor("q", q, {"B", "T", "H", "K"});
    c.tensor("k", k, {"B", "T", "H", "K"});
    c.tensor("v", v, {"B", "T", "H", "V"});
    c.tensor("g", g, {"B", "T", "H", "K"});
    c.optional_tensor("initial_state", initial_state, {"B", "H", "K", "V"});
    c.tensor("o", o, {"B", "T", "H", "V"}, true);
    c.optional_tensor("final_state", final_state, {"B", "H", "K", "V"}, true);
    c.no_overlap();
    const float scale = scale_or_default(c, options.scale);

    detail::Call call("seqmix::gla", c, options);
    const std::vector<int64_t> state_shape{c.dim("B"), c.dim("H"), c.dim("K"), c.dim("V")};
    detail::KernelBuffer bq(q, call.ctx, true), bk(k, call.ctx, true), bv(v, call.ctx, true), bg(g, call.ctx, true);
    detail::KernelBuffer bo(o, call.ctx, false);
    std::optional<detail::KernelBuffer> b_init, b_final;
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
    call.run<detail::gla_fn>("gla", bq.get(), bk.get(), bv.get(), bg.get(), b_init->get(), scale, bo.get(),
                             b_final->get());
}

void gla_state(const Tensor &k, const Tensor &v, const Tensor &g, const Tensor &final_state, const Tensor &decay,
               const GlaOptions &options) {
    detail::Checker c("seqmix::gla_state");
    c.tensor("k", k, {"B", "T", "H", "K"});
    c.tensor("v", v, {"B", "T", "H", "V"});
    c.tensor("g", g, {"B", "T", "H", "K"});
    c.tensor("final_state", final_state, {"B", "H", "K", "V"}, true);
    c.tensor("decay", decay, {"B", "H", "K"}, true);
    c.no_overlap();

    detail::Call call("seqmix::gla_state", c, options);
    detail::KernelBuffer bk(k, call.ctx, true), bv(v, call.ctx, true), bg(g, call.ctx, true);
    detail::KernelBuffer bf(final_state, call.ctx, false), bd(decay, call.ctx, false);
    call.run<detail::gla_state_fn>("gla_state", bk.get(), bv.get(), bg.get(), bf.get(), bd.get());
}

void gla_decay(const Tensor &g, const Tensor &decay, const GlaOptions &options) {
    detail::Checker c("seqmix::gla_decay");
    c.tensor("g", g, {"B", "T", "H", "K"});
    c.tensor("decay", decay, {"B", "H", "K"}, true);
    c.no_overlap();

    detail::Call call("seqmix::gla_decay", c, options);
    detail::KernelBuffer bg(g, call.ctx, true), bd(decay, call.ctx, false);
    call.run<detail::gla_decay_fn>("gla_decay", bg.get(), bd.get());
}

void gla_inter(const Tensor &q, const Tensor &g, const Tensor &state, const Tensor &o, const GlaOptions &options) {
    detail::Checker c("seqmix::gla_inter");
    c.tensor("q", q, {"B", "T", "H", "K"});
    c.tensor("g", g, {"B", "T", "H", "Kg"});
    if (c.dim("Kg") != 1 && c.dim("Kg") != c.dim("K")) {
        c.fail(fmt::format("g has shape {}, expected [B,T,H,K] with K == q's {} or [B,T,H,1] (one gate per head)",
                           detail::shape_string(g.shape), c.dim("K")));
    }
    c.tensor("state", state, {"B", "H", "K", "V"});
    c.tensor("o", o, {"B", "T", "H", "V"}, true);
    c.no_overlap();
    const float scale = scale_or_default(c, options.scale);

    detail::Call call("seqmix::gla_inter", c, options);
    detail::KernelBuffer bq(q, call.ctx, true), bg(g, call.ctx, true), bs(state, call.ctx, true);
    // o is the kernel's input o_in and its output (one buffer, holding data like an input): each
    // element is read, then written, by the same point of the pipeline.
    detail::KernelBuffer bo(o, call.ctx, true);
    call.run<detail::gla_inter_fn>("gla_inter", bq.get(), bg.get(), bs.get(), bo.get(), scale, bo.get());
}

void gla_step(const Tensor &q, const Tensor &k, const Tensor &v, const Tensor &g, const Tensor &state,
              const Tensor &o, const Tensor &new_state, const GlaOptions &options) {
    detail::Checker c("seqmix::gla_step");
    c.tensor("q", q, {"B", "H", "K"});
    c.tensor("k", k, {"B", "H", "K"});
    c.tensor("v", v, {"B", "H", "V"});
    c.tensor("g", g, {"B", "H", "K"});
    c.tensor("state", state, {"B", "H", "K", "V"});
    c.tensor("o", o, {"B", "H", "V"}, true);
    c.tensor("new_state", new_state, {"B", "H", "K", "V"}, true);
    c.no_overlap();
    const float scale = scale_or_default(c, options.scale);

    detail::Call call("seqmix::gla_step", c, options);
    detail::KernelBuffer bq(q, call.ctx, true), bk(k, call.ctx, true), bv(v, call.ctx, true), bg(g, call.ctx, true);
    detail::KernelBuffer bs(state, call.ctx, true), bo(o, call.ctx, false), bn(new_state, call.ctx, false);
    call.run<detail::gla_step_fn>("gla_step", bq.get(), bk.get(), bv.get(), bg.get(), bs.get(), scale, bo.get(),
                                  bn.get());
}

}  // namespace seqmix
