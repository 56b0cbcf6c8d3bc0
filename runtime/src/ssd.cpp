// seqmix::ssd, ssd_step, ssd_bidirectional: validation and dispatch for the Mamba-2 SSD
// generators (generators/ssd.cpp). Absent Dskip, dt_bias and initial_state reach the kernels as
// zeros; an absent final_state as a scratch row.
#include <fmt/format.h>

#include "buffers.h"
#include "call.h"

namespace seqmix {
namespace {

// H % G == 0 (head h reads group h / (H / G)), once Bm has bound G.
void check_groups(const detail::Checker &c, const char *bm) {
    const int64_t H = c.dim("H"), G = c.dim("G");
    if (H % G != 0) {
        c.fail(fmt::format("{} has G = {} groups, which does not divide H = {} heads", bm, G, H));
    }
}

// A [H]-shaped optional input: the tensor or zeros.
struct PerHead {
    PerHead(const std::optional<Tensor> &t, const detail::Checker &c, detail::CallContext &ctx) {
        if (t) {
            buf.emplace(*t, ctx, true);
        } else {
            buf.emplace(std::vector<int64_t>{c.dim("H")}, c.device(), ctx, true);
        }
    }
    halide_buffer_t *get() { return buf->get(); }
    std::optional<detail::KernelBuffer> buf;
};

}  // namespace

void ssd(const Tensor &x, const Tensor &dt, const Tensor &A, const Tensor &Bm, const Tensor &Cm, const Tensor &y,
         const std::optional<Tensor> &Dskip, const std::optional<Tensor> &dt_bias,
         const std::optional<Tensor> &initial_state, const std::optional<Tensor> &final_state,
         const SsdOptions &options) {
    const char *fn = "seqmix::ssd";
    detail::Checker c(fn);
    c.tensor("x", x, {"B", "T", "H", "P"});
    c.tensor("dt", dt, {"B", "T", "H"});
    c.tensor("A", A, {"H"});
    c.tensor("Bm", Bm, {"B", "T", "G", "N"});
    check_groups(c, "Bm");
    c.tensor("Cm", Cm, {"B", "T", "G", "N"});
    c.optional_tensor("Dskip", Dskip, {"H"});
    c.optional_tensor("dt_bias", dt_bias, {"H"});
    c.optional_tensor("initial_state", initial_state, {"B", "H", "P", "N"});
    c.tensor("y", y, {"B", "T", "H", "P"}, true);
    c.optional_tensor("final_state", final_state, {"B", "H", "P", "N"}, true);
    c.no_overlap();

    detail::Call call(fn, c, options);
    const std::vector<int64_t> state_shape{c.dim("B"), c.dim("H"), c.dim("P"), c.dim("N")};
    detail::KernelBuffer bx(x, call.ctx, true), bdt(dt, call.ctx, true), bA(A, call.ctx, true);
    detail::KernelBuffer bB(Bm, call.ctx, true), bC(Cm, call.ctx, true), by(y, call.ctx, false);
    PerHead bD(Dskip, c, call.ctx), bbias(dt_bias, c, call.ctx);
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
    call.run<detail::ssd_fn>("ssd", bx.get(), bdt.get(), bA.get(), bB.get(), bC.get(), bD.get(), bbias.get(),
                             b_init->get(), int32_t(options.dt_softplus), by.get(), b_final->get());
}

void ssd_step(const Tensor &x, const Tensor &dt, const Tensor &A, const Tensor &Bm, const Tensor &Cm,
              const Tensor &state, const Tensor &y, const Tensor &new_state, const std::optional<Tensor> &Dskip,
              const std::optional<Tensor> &dt_bias, const SsdOptions &options) {
    const char *fn = "seqmix::ssd_step";
    detail::Checker c(fn);
    c.tensor("x", x, {"B", "H", "P"});
    c.tensor("dt", dt, {"B", "H"});
    c.tensor("A", A, {"H"});
    c.tensor("Bm", Bm, {"B", "G", "N"});
    check_groups(c, "Bm");
    c.tensor("Cm", Cm, {"B", "G", "N"});
    c.optional_tensor("Dskip", Dskip, {"H"});
    c.optional_tensor("dt_bias", dt_bias, {"H"});
    c.tensor("state", state, {"B", "H", "P", "N"});
    c.tensor("y", y, {"B", "H", "P"}, true);
    c.tensor("new_state", new_state, {"B", "H", "P", "N"}, true);
    c.no_overlap();

    detail::Call call(fn, c, options);
    detail::KernelBuffer bx(x, call.ctx, true), bdt(dt, call.ctx, true), bA(A, call.ctx, true);
    detail::KernelBuffer bB(Bm, call.ctx, true), bC(Cm, call.ctx, true), bs(state, call.ctx, true);
    detail::KernelBuffer by(y, call.ctx, false), bn(new_state, call.ctx, false);
    PerHead bD(Dskip, c, call.ctx), bbias(dt_bias, c, call.ctx);
    call.run<detail::ssd_step_fn>("ssd_step", bx.get(), bdt.get(), bA.get(), bB.get(), bC.get(), bD.get(),
                                  bbias.get(), bs.get(), int32_t(options.dt_softplus), by.get(), bn.get());
}

void ssd_bidirectional(const Tensor &x, const Tensor &dt_f, const Tensor &Bm_f, const Tensor &Cm_f,
                       const Tensor &dt_b, const Tensor &Bm_b, const Tensor &Cm_b, const Tensor &A, const Tensor &y,
                       const std::optional<Tensor> &Dskip, const std::optional<Tensor> &dt_bias,
                       const SsdOptions &options) {
    const char *fn = "seqmix::ssd_bidirectional";
    detail::Checker c(fn);
    c.tensor("x", x, {"B", "T", "H", "P"});
    c.tensor("dt_f", dt_f, {"B", "T", "H"});
    c.tensor("Bm_f", Bm_f, {"B", "T", "G", "N"});
    check_groups(c, "Bm_f");
    c.tensor("Cm_f", Cm_f, {"B", "T", "G", "N"});
    c.tensor("dt_b", dt_b, {"B", "T", "H"});
    c.tensor("Bm_b", Bm_b, {"B", "T", "G", "N"});
    c.tensor("Cm_b", Cm_b, {"B", "T", "G", "N"});
    c.tensor("A", A, {"H"});
    c.optional_tensor("Dskip", Dskip, {"H"});
    c.optional_tensor("dt_bias", dt_bias, {"H"});
    c.tensor("y", y, {"B", "T", "H", "P"}, true);
    c.no_overlap();

    detail::Call call(fn, c, options);
    detail::KernelBuffer bx(x, call.ctx, true), bdtf(dt_f, call.ctx, true), bBf(Bm_f, call.ctx, true);
    detail::KernelBuffer bCf(Cm_f, call.ctx, true), bdtb(dt_b, call.ctx, true), bBb(Bm_b, call.ctx, true);
    detail::KernelBuffer bCb(Cm_b, call.ctx, true), bA(A, call.ctx, true), by(y, call.ctx, false);
    PerHead bD(Dskip, c, call.ctx), bbias(dt_bias, c, call.ctx);
    call.run<detail::ssd_bidirectional_fn>("ssd_bidirectional", bx.get(), bdtf.get(), bBf.get(), bCf.get(),
                                           bdtb.get(), bBb.get(), bCb.get(), bA.get(), bD.get(), bbias.get(),
                                           int32_t(options.dt_softplus), by.get());
}

}  // namespace seqmix
