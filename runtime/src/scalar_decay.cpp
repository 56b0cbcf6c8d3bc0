// seqmix::linear_attn, retention, simple_gla and their step forms: validation and dispatch for
// the scalar-decay generators (generators/scalar_decay.cpp). One chunked and one step path; the
// mixers differ only in whether a gate tensor g is passed to the kernel.
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

// The chunked form of `mixer`; g is null for the mixers without a gate input.
template<typename Fn>
void chunked(const char *fn, const char *mixer, const Tensor &q, const Tensor &k, const Tensor &v, const Tensor *g,
             const Tensor &o, const std::optional<Tensor> &initial_state, const std::optional<Tensor> &final_state,
             const RecurrenceOptions &options) {
    detail::Checker c(fn);
    c.tensor("q", q, {"B", "T", "H", "K"});
    c.tensor("k", k, {"B", "T", "H", "K"});
    c.tensor("v", v, {"B", "T", "H", "V"});
    if (g) c.tensor("g", *g, {"B", "T", "H"});
    c.optional_tensor("initial_state", initial_state, {"B", "H", "K", "V"});
    c.tensor("o", o, {"B", "T", "H", "V"}, true);
    c.optional_tensor("final_state", final_state, {"B", "H", "K", "V"}, true);
    c.no_overlap();
    const float scale = scale_or_default(c, options.scale);

    detail::Call call(fn, c, options);
    const std::vector<int64_t> state_shape{c.dim("B"), c.dim("H"), c.dim("K"), c.dim("V")};
    detail::KernelBuffer bq(q, call.ctx, true), bk(k, call.ctx, true), bv(v, call.ctx, true);
    detail::KernelBuffer bo(o, call.ctx, false);
    std::optional<detail::KernelBuffer> bg, b_init, b_final;
    if (g) bg.emplace(*g, call.ctx, true);
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
    if constexpr (std::is_same_v<Fn, detail::simple_gla_fn>) {
        call.run<Fn>(mixer, bq.get(), bk.get(), bv.get(), bg->get(), b_init->get(), scale, bo.get(), b_final->get());
    } else {
        call.run<Fn>(mixer, bq.get(), bk.get(), bv.get(), b_init->get(), scale, bo.get(), b_final->get());
    }
}

template<typename Fn>
void step(const char *fn, const char *mixer, const Tensor &q, const Tensor &k, const Tensor &v, const Tensor *g,
          const Tensor &state, const Tensor &o, const Tensor &new_state, const RecurrenceOptions &options) {
    detail::Checker c(fn);
    c.tensor("q", q, {"B", "H", "K"});
    c.tensor("k", k, {"B", "H", "K"});
    c.tensor("v", v, {"B", "H", "V"});
    if (g) c.tensor("g", *g, {"B", "H"});
    c.tensor("state", state, {"B", "H", "K", "V"});
    c.tensor("o", o, {"B", "H", "V"}, true);
    c.tensor("new_state", new_state, {"B", "H", "K", "V"}, true);
    c.no_overlap();
    const float scale = scale_or_default(c, options.scale);

    detail::Call call(fn, c, options);
    detail::KernelBuffer bq(q, call.ctx, true), bk(k, call.ctx, true), bv(v, call.ctx, true);
    detail::KernelBuffer bs(state, call.ctx, true), bo(o, call.ctx, false), bn(new_state, call.ctx, false);
    if constexpr (std::is_same_v<Fn, detail::simple_gla_step_fn>) {
        detail::KernelBuffer bg(*g, call.ctx, true);
        call.run<Fn>(mixer, bq.get(), bk.get(), bv.get(), bg.get(), bs.get(), scale, bo.get(), bn.get());
    } else {
        call.run<Fn>(mixer, bq.get(), bk.get(), bv.get(), bs.get(), scale, bo.get(), bn.get());
    }
}

}  // namespace

void linear_attn(const Tensor &q, const Tensor &k, const Tensor &v, const Tensor &o,
                 const std::optional<Tensor> &initial_state, const std::optional<Tensor> &final_state,
                 const RecurrenceOptions &options) {
    chunked<detail::linear_attn_fn>("seqmix::linear_attn", "linear_attn", q, k, v, nullptr, o, initial_state,
                                    final_state, options);
}

void retention(const Tensor &q, const Tensor &k, const Tensor &v, const Tensor &o,
               const std::optional<Tensor> &initial_state, const std::optional<Tensor> &final_state,
               const RecurrenceOptions &options) {
    chunked<detail::retention_fn>("seqmix::retention", "retention", q, k, v, nullptr, o, initial_state, final_state,
                                  options);
}

void simple_gla(const Tensor &q, const Tensor &k, const Tensor &v, const Tensor &g, const Tensor &o,
                const std::optional<Tensor> &initial_state, const std::optional<Tensor> &final_state,
                const RecurrenceOptions &options) {
    chunked<detail::simple_gla_fn>("seqmix::simple_gla", "simple_gla", q, k, v, &g, o, initial_state, final_state,
                                   options);
}

void linear_attn_step(const Tensor &q, const Tensor &k, const Tensor &v, const Tensor &state, const Tensor &o,
                      const Tensor &new_state, const RecurrenceOptions &options) {
    step<detail::linear_attn_step_fn>("seqmix::linear_attn_step", "linear_attn_step", q, k, v, nullptr, state, o,
                                      new_state, options);
}

void retention_step(const Tensor &q, const Tensor &k, const Tensor &v, const Tensor &state, const Tensor &o,
                    const Tensor &new_state, const RecurrenceOptions &options) {
    step<detail::retention_step_fn>("seqmix::retention_step", "retention_step", q, k, v, nullptr, state, o,
                                    new_state, options);
}

void simple_gla_step(const Tensor &q, const Tensor &k, const Tensor &v, const Tensor &g, const Tensor &state,
                     const Tensor &o, const Tensor &new_state, const RecurrenceOptions &options) {
    step<detail::simple_gla_step_fn>("seqmix::simple_gla_step", "simple_gla_step", q, k, v, &g, state, o, new_state,
                                     options);
}

}  // namespace seqmix
