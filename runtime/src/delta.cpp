// seqmix::delta_rule, gated_delta_rule, kda, gated_delta_rule2, rwkv7 and their _step forms:
// validation and dispatch for the generators of generators/delta.cpp. Every function checks its
// tensors (shape symbols, dtype, strides, device, overlap) with detail::Checker as gla does, then
// runs the chosen variant with missing states supplied as zeros / scratch.
#include <cmath>
#include <memory>
#include <type_traits>

#include <fmt/format.h>

#include "buffers.h"
#include "call.h"

namespace seqmix {
namespace {

float scale_or(const detail::Checker &c, const std::optional<float> &scale, float fallback) {
    const float s = scale.value_or(fallback);
    if (!std::isfinite(s)) c.fail(fmt::format("options.scale is {}, expected a finite value", s));
    return s;
}

float delta_scale(const detail::Checker &c, const std::optional<float> &scale) {
    return scale_or(c, scale, 1.0f / std::sqrt(static_cast<float>(c.dim("K"))));
}

using Layout = std::vector<std::string>;
const Layout kSeqK{"B", "T", "H", "K"}, kSeqV{"B", "T", "H", "V"}, kSeqTok{"B", "T", "H"};
const Layout kTokK{"B", "H", "K"}, kTokV{"B", "H", "V"}, kTok{"B", "H"}, kState{"B", "H", "K", "V"};

// A named input of a call: its tensor and layout.
struct Arg {
    const char *name;
    const Tensor &t;
    const Layout &layout;
};

// The chunked form: inputs (checked in order, so the first fixes B, T, H, K), then o and the two
// optional states; runs `mixer` as F(ctx, inputs..., initial_state, scale, [qk_l2norm,] o, final_state).
template<typename F, typename... Extra>
void run_chunked(const char *fn, const char *mixer, std::initializer_list<Arg> inputs, const Tensor &o,
                 const std::optional<Tensor> &initial_state, const std::optional<Tensor> &final_state,
                 const CallOptions &options, const std::optional<float> &scale, bool default_scale_is_1,
                 Extra... extra) {
    detail::Checker c(fn);
    for (const Arg &a : inputs) c.tensor(a.name, a.t, a.layout);
    c.optional_tensor("initial_state", initial_state, kState);
    c.tensor("o", o, kSeqV, true);
    c.optional_tensor("final_state", final_state, kState, true);
    c.no_overlap();
    const float s = default_scale_is_1 ? scale_or(c, scale, 1.0f) : delta_scale(c, scale);

    detail::Call call(fn, c, options);
    const std::vector<int64_t> state_shape{c.dim("B"), c.dim("H"), c.dim("K"), c.dim("V")};
    std::vector<std::unique_ptr<detail::KernelBuffer>> in;
    for (const Arg &a : inputs) in.push_back(std::make_unique<detail::KernelBuffer>(a.t, call.ctx, true));
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
    std::vector<halide_buffer_t *> p;
    for (auto &b : in) p.push_back(b->get());
    if constexpr (std::is_same_v<F, detail::delta_rule_fn>) {
        call.run<F>(mixer, p[0], p[1], p[2], p[3], b_init->get(), s, extra..., bo.get(), b_final->get());
    } else if constexpr (std::is_same_v<F, detail::gated_delta_rule_fn>) {
        call.run<F>(mixer, p[0], p[1], p[2], p[3], p[4], b_init->get(), s, extra..., bo.get(), b_final->get());
    } else {  // gated_delta_rule2_fn, rwkv7_fn: six inputs
        call.run<F>(mixer, p[0], p[1], p[2], p[3], p[4], p[5], b_init->get(), s, extra..., bo.get(), b_final->get());
    }
}

// The step form: inputs, state -> o, new_state.
template<typename F, typename... Extra>
void run_step(const char *fn, const char *mixer, std::initializer_list<Arg> inputs, const Tensor &state,
              const Tensor &o, const Tensor &new_state, const CallOptions &options, const std::optional<float> &scale,
              bool default_scale_is_1, Extra... extra) {
    detail::Checker c(fn);
    for (const Arg &a : inputs) c.tensor(a.name, a.t, a.layout);
    c.tensor("state", state, kState);
    c.tensor("o", o, kTokV, true);
    c.tensor("new_state", new_state, kState, true);
    c.no_overlap();
    const float s = default_scale_is_1 ? scale_or(c, scale, 1.0f) : delta_scale(c, scale);

    detail::Call call(fn, c, options);
    std::vector<std::unique_ptr<detail::KernelBuffer>> in;
    for (const Arg &a : inputs) in.push_back(std::make_unique<detail::KernelBuffer>(a.t, call.ctx, true));
    detail::KernelBuffer bs(state, call.ctx, true), bo(o, call.ctx, false), bn(new_state, call.ctx, false);
    std::vector<halide_buffer_t *> p;
    for (auto &b : in) p.push_back(b->get());
    if constexpr (std::is_same_v<F, detail::delta_rule_fn>) {
        call.run<F>(mixer, p[0], p[1], p[2], p[3], bs.get(), s, extra..., bo.get(), bn.get());
    } else if constexpr (std::is_same_v<F, detail::gated_delta_rule_fn>) {
        call.run<F>(mixer, p[0], p[1], p[2], p[3], p[4], bs.get(), s, extra..., bo.get(), bn.get());
    } else {
        call.run<F>(mixer, p[0], p[1], p[2], p[3], p[4], p[5], bs.get(), s, extra..., bo.get(), bn.get());
    }
}

}  // namespace

void delta_rule(const Tensor &q, const Tensor &k, const Tensor &v, const Tensor &beta, const Tensor &o,
                const std::optional<Tensor> &initial_state, const std::optional<Tensor> &final_state,
                const DeltaRuleOptions &options) {
    run_chunked<detail::delta_rule_fn>("seqmix::delta_rule", "delta_rule",
                                       {{"q", q, kSeqK}, {"k", k, kSeqK}, {"v", v, kSeqV}, {"beta", beta, kSeqTok}},
                                       o, initial_state, final_state, options, options.scale, false,
                                       options.qk_l2norm);
}

void gated_delta_rule(const Tensor &q, const Tensor &k, const Tensor &v, const Tensor &g, const Tensor &beta,
                      const Tensor &o, const std::optional<Tensor> &initial_state,
                      const std::optional<Tensor> &final_state, const DeltaRuleOptions &options) {
    run_chunked<detail::gated_delta_rule_fn>(
        "seqmix::gated_delta_rule", "gated_delta_rule",
        {{"q", q, kSeqK}, {"k", k, kSeqK}, {"v", v, kSeqV}, {"g", g, kSeqTok}, {"beta", beta, kSeqTok}}, o,
        initial_state, final_state, options, options.scale, false, options.qk_l2norm);
}

void kda(const Tensor &q, const Tensor &k, const Tensor &v, const Tensor &g, const Tensor &beta, const Tensor &o,
         const std::optional<Tensor> &initial_state, const std::optional<Tensor> &final_state,
         const DeltaRuleOptions &options) {
    run_chunked<detail::kda_fn>(
        "seqmix::kda", "kda",
        {{"q", q, kSeqK}, {"k", k, kSeqK}, {"v", v, kSeqV}, {"g", g, kSeqK}, {"beta", beta, kSeqTok}}, o,
        initial_state, final_state, options, options.scale, false, options.qk_l2norm);
}

void gated_delta_rule2(const Tensor &q, const Tensor &k, const Tensor &v, const Tensor &g, const Tensor &b,
                       const Tensor &w, const Tensor &o, const std::optional<Tensor> &initial_state,
                       const std::optional<Tensor> &final_state, const DeltaRuleOptions &options) {
    run_chunked<detail::gated_delta_rule2_fn>(
        "seqmix::gated_delta_rule2", "gated_delta_rule2",
        {{"q", q, kSeqK}, {"k", k, kSeqK}, {"v", v, kSeqV}, {"g", g, kSeqK}, {"b", b, kSeqK}, {"w", w, kSeqV}}, o,
        initial_state, final_state, options, options.scale, false, options.qk_l2norm);
}

void rwkv7(const Tensor &r, const Tensor &w, const Tensor &k, const Tensor &v, const Tensor &a, const Tensor &b,
           const Tensor &o, const std::optional<Tensor> &initial_state, const std::optional<Tensor> &final_state,
           const Rwkv7Options &options) {
    run_chunked<detail::rwkv7_fn>(
        "seqmix::rwkv7", "rwkv7",
        {{"r", r, kSeqK}, {"w", w, kSeqK}, {"k", k, kSeqK}, {"v", v, kSeqV}, {"a", a, kSeqK}, {"b", b, kSeqK}}, o,
        initial_state, final_state, options, options.scale, true);
}

void delta_rule_step(const Tensor &q, const Tensor &k, const Tensor &v, const Tensor &beta, const Tensor &state,
                     const Tensor &o, const Tensor &new_state, const DeltaRuleOptions &options) {
    run_step<detail::delta_rule_step_fn>("seqmix::delta_rule_step", "delta_rule_step",
                                         {{"q", q, kTokK}, {"k", k, kTokK}, {"v", v, kTokV}, {"beta", beta, kTok}},
                                         state, o, new_state, options, options.scale, false, options.qk_l2norm);
}

void gated_delta_rule_step(const Tensor &q, const Tensor &k, const Tensor &v, const Tensor &g, const Tensor &beta,
                           const Tensor &state, const Tensor &o, const Tensor &new_state,
                           const DeltaRuleOptions &options) {
    run_step<detail::gated_delta_rule_step_fn>(
        "seqmix::gated_delta_rule_step", "gated_delta_rule_step",
        {{"q", q, kTokK}, {"k", k, kTokK}, {"v", v, kTokV}, {"g", g, kTok}, {"beta", beta, kTok}}, state, o,
        new_state, options, options.scale, false, options.qk_l2norm);
}

void kda_step(const Tensor &q, const Tensor &k, const Tensor &v, const Tensor &g, const Tensor &beta,
              const Tensor &state, const Tensor &o, const Tensor &new_state, const DeltaRuleOptions &options) {
    run_step<detail::kda_step_fn>(
        "seqmix::kda_step", "kda_step",
        {{"q", q, kTokK}, {"k", k, kTokK}, {"v", v, kTokV}, {"g", g, kTokK}, {"beta", beta, kTok}}, state, o,
        new_state, options, options.scale, false, options.qk_l2norm);
}

void gated_delta_rule2_step(const Tensor &q, const Tensor &k, const Tensor &v, const Tensor &g, const Tensor &b,
                            const Tensor &w, const Tensor &state, const Tensor &o, const Tensor &new_state,
                            const DeltaRuleOptions &options) {
    run_step<detail::gated_delta_rule2_step_fn>(
        "seqmix::gated_delta_rule2_step", "gated_delta_rule2_step",
        {{"q", q, kTokK}, {"k", k, kTokK}, {"v", v, kTokV}, {"g", g, kTokK}, {"b", b, kTokK}, {"w", w, kTokV}},
        state, o, new_state, options, options.scale, false, options.qk_l2norm);
}

void rwkv7_step(const Tensor &r, const Tensor &w, const Tensor &k, const Tensor &v, const Tensor &a, const Tensor &b,
                const Tensor &state, const Tensor &o, const Tensor &new_state, const Rwkv7Options &options) {
    run_step<detail::rwkv7_step_fn>(
        "seqmix::rwkv7_step", "rwkv7_step",
        {{"r", r, kTokK}, {"w", w, kTokK}, {"k", k, kTokK}, {"v", v, kTokV}, {"a", a, kTokK}, {"b", b, kTokK}},
        state, o, new_state, options, options.scale, true);
}

}  // namespace seqmix
