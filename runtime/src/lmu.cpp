// seqmix::lmu and seqmix::lmu_step: validation, the Legendre system's arrays (lmu_system.h) and
// dispatch for the `lmu` and `lmu_step` generators. lmu's FFT buckets (lmu@fft<n>) take the
// spectrum of the impulse response from the long_conv_filter variant of the same bucket.
#include <fmt/format.h>

#include <cmath>

#include "buffers.h"
#include "call.h"
#include "kernel_array.h"
#include "lmu_system.h"
#include "long_conv_plan.h"

namespace seqmix {
namespace {

// theta > 0 and a memory order the host-side system can be built for.
void check_system(const detail::Checker &c, double theta) {
    if (!(theta > 0) || !std::isfinite(theta)) c.fail(fmt::format("options.theta = {}, expected a finite theta > 0", theta));
    if (c.dim("DM") > 1024) c.fail(fmt::format("memory order d = {} (m's last dimension), expected d <= 1024", c.dim("DM")));
}

}  // namespace

void lmu(const Tensor &u, const Tensor &m, const std::optional<Tensor> &initial_state,
         const std::optional<Tensor> &final_state, const LmuOptions &options) {
    const char *fn = "seqmix::lmu";
    detail::Checker c(fn);
    c.tensor("u", u, {"B", "T", "C"});
    c.tensor("m", m, {"B", "T", "C", "DM"}, true);
    check_system(c, options.theta);
    c.optional_tensor("initial_state", initial_state, {"B", "C", "DM"});
    c.optional_tensor("final_state", final_state, {"B", "C", "DM"}, true);
    c.no_overlap();

    const int d = static_cast<int>(c.dim("DM"));
    const int64_t T = c.dim("T");
    auto arrays = detail::lmu_arrays(d, options.theta, T, initial_state.has_value());
    detail::Call call(fn, c, options);
    const detail::VariantEntry &e = detail::select_variant(fn, "lmu", c.device(), c.dims(), options.variant);
    const int64_t n = detail::fft_length_of(e);
    detail::KernelBuffer bu(u, call.ctx, true), bm(m, call.ctx, false);
    detail::KernelArray bh({d, T}, c.device(), call.ctx, &arrays->h);
    detail::KernelArray spectrum({n > 0 ? n / 2 + 1 : 1, 2, d}, c.device(), call.ctx);
    if (n > 0) {
        const detail::VariantEntry &f = detail::filter_variant(fn, e, c.device(), c.dims());
        detail::run_entry(f, call.ctx, detail::entry_point<detail::long_conv_filter_fn>(f)(&call.ctx, bh.get(), spectrum.get()));
    }
    const std::vector<int64_t> state_shape{c.dim("B"), c.dim("C"), d};
    std::optional<detail::KernelBuffer> b_init, b_final, b_E0;
    std::optional<detail::KernelArray> b_E;
    if (initial_state) {
        b_init.emplace(*initial_state, call.ctx, true);
        b_E.emplace(std::vector<int64_t>{T, d, d}, c.device(), call.ctx, &arrays->E);
    } else {
        b_init.emplace(state_shape, c.device(), call.ctx, true);
        b_E0.emplace(std::vector<int64_t>{T, d, d}, c.device(), call.ctx, true);
    }
    if (final_state) {
        b_final.emplace(*final_state, call.ctx, false);
    } else {
        b_final.emplace(state_shape, c.device(), call.ctx, false);
    }
    halide_buffer_t *bE = b_E ? b_E->get() : b_E0->get();
    detail::run_entry(e, call.ctx,
                      detail::entry_point<detail::lmu_fn>(e)(&call.ctx, bu.get(), bh.get(), spectrum.get(), bE,
                                                             b_init->get(), initial_state ? 1 : 0, bm.get(),
                                                             b_final->get()));
}

void lmu_step(const Tensor &u, const Tensor &state, const Tensor &new_state, const LmuOptions &options) {
    detail::Checker c("seqmix::lmu_step");
    c.tensor("u", u, {"B", "C"});
    c.tensor("state", state, {"B", "C", "DM"});
    check_system(c, options.theta);
    c.tensor("new_state", new_state, {"B", "C", "DM"}, true);
    c.no_overlap();

    const int d = static_cast<int>(c.dim("DM"));
    auto arrays = detail::lmu_arrays(d, options.theta, 1, false);
    detail::Call call("seqmix::lmu_step", c, options);
    detail::KernelBuffer bu(u, call.ctx, true), bs(state, call.ctx, true), bn(new_state, call.ctx, false);
    detail::KernelArray bA({d, d}, c.device(), call.ctx, &arrays->Abar), bB({d}, c.device(), call.ctx, &arrays->Bbar);
    call.run<detail::lmu_step_fn>("lmu_step", bu.get(), bs.get(), bA.get(), bB.get(), bn.get());
}

}  // namespace seqmix
