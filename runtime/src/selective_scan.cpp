// seqmix::selective_scan and seqmix::selective_scan_step: validation and dispatch for the
// `selective_scan` and `selective_scan_step` generators.
//
// Bm and Cm are each time-invariant [D,N] or selective ([B,G,N,T]; step: [B,G,N]). The kernels
// take the selective form only; a time-invariant one is passed as a view of the same memory with
// G = D groups (group d is channel d) and stride 0 along T and B, so nothing is copied.
#include <fmt/format.h>

#include "buffers.h"
#include "call.h"

namespace seqmix {
namespace {

// Bm or Cm: rank 2 ([D,N], time-invariant) or the selective layout; returns the tensor the
// kernel reads (the selective layout; G = D, zero strides, for a time-invariant one).
Tensor check_bc(detail::Checker &c, const char *name, const Tensor &t, bool step) {
    const char *G = name[0] == 'B' ? "G_Bm" : "G_Cm";
    if (t.rank() == 2) {
        c.tensor(name, t, {"D", "N"});
        Tensor view = t;
        const int64_t D = t.shape[0], N = t.shape[1];
        c.bind(G, D, name);
        if (step) {
            view.shape = {c.dim("B"), D, N};
            view.strides = {0, t.strides[0], 1};
        } else {
            view.shape = {c.dim("B"), D, N, c.dim("T")};
            view.strides = {0, t.strides[0], 1, 0};
        }
        return view;
    }
    if (step) {
        c.tensor(name, t, {"B", G, "N"});
    } else {
        c.tensor(name, t, {"B", G, "N", "T"});
    }
    if (c.dim("D") % c.dim(G) != 0) {
        c.fail(fmt::format("{} has G = {} groups, which does not divide D = {}", name, c.dim(G), c.dim("D")));
    }
    return t;
}

void check_bc_rank(const detail::Checker &c, const char *name, const Tensor &t, int selective_rank) {
    if (t.rank() != 2 && t.rank() != selective_rank) {
        c.fail(fmt::format("{} has rank {}, expected 2 ([D,N], time-invariant) or {} ({}, selective)", name,
                           t.rank(), selective_rank, selective_rank == 4 ? "[B,G,N,T]" : "[B,G,N]"));
    }
}

// Optional [D] vectors (Dskip, delta_bias): the caller's tensor or a zero row.
void vector_or_zeros(std::optional<detail::KernelBuffer> &out, const std::optional<Tensor> &t, const detail::Checker &c,
                     detail::CallContext &ctx) {
    if (t) {
        out.emplace(*t, ctx, true);
    } else {
        out.emplace(std::vector<int64_t>{c.dim("D")}, c.device(), ctx, true);
    }
}

}  // namespace

void selective_scan(const Tensor &x, const Tensor &delta, const Tensor &A, const Tensor &Bm, const Tensor &Cm,
                    const Tensor &y, const std::optional<Tensor> &Dskip, const std::optional<Tensor> &z,
                    const std::optional<Tensor> &delta_bias, const std::optional<Tensor> &initial_state,
                    const std::optional<Tensor> &final_state, const SelectiveScanOptions &options) {
    detail::Checker c("seqmix::selective_scan");
    c.tensor("x", x, {"B", "D", "T"});
    c.tensor("delta", delta, {"B", "D", "T"});
    c.tensor("A", A, {"D", "N"});
    check_bc_rank(c, "Bm", Bm, 4);
    check_bc_rank(c, "Cm", Cm, 4);
    const Tensor bm = check_bc(c, "Bm", Bm, false), cm = check_bc(c, "Cm", Cm, false);
    c.optional_tensor("Dskip", Dskip, {"D"});
    c.optional_tensor("z", z, {"B", "D", "T"});
    c.optional_tensor("delta_bias", delta_bias, {"D"});
    c.optional_tensor("initial_state", initial_state, {"B", "D", "N"});
    c.tensor("y", y, {"B", "D", "T"}, true);
    c.optional_tensor("final_state", final_state, {"B", "D", "N"}, true);
    c.no_overlap();

    detail::Call call("seqmix::selective_scan", c, options);
    const std::vector<int64_t> state_shape{c.dim("B"), c.dim("D"), c.dim("N")};
    detail::KernelBuffer bx(x, call.ctx, true), bd(delta, call.ctx, true), ba(A, call.ctx, true);
    detail::KernelBuffer bb(bm, call.ctx, true), bc(cm, call.ctx, true), by(y, call.ctx, false);
    std::optional<detail::KernelBuffer> bD, bz, bbias, b_init, b_final;
    vector_or_zeros(bD, Dskip, c, call.ctx);
    vector_or_zeros(bbias, delta_bias, c, call.ctx);
    if (z) {
        bz.emplace(*z, call.ctx, true);
    } else {
        bz.emplace(std::vector<int64_t>{c.dim("B"), c.dim("D"), c.dim("T")}, c.device(), call.ctx, true);
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
    call.run<detail::selective_scan_fn>("selective_scan", bx.get(), bd.get(), ba.get(), bb.get(), bc.get(), bD->get(),
                                        bz->get(), bbias->get(), b_init->get(), options.delta_softplus ? 1 : 0,
                                        z ? 1 : 0, by.get(), b_final->get());
}

void selective_scan_step(const Tensor &x, const Tensor &delta, const Tensor &A, const Tensor &Bm, const Tensor &Cm,
                         const Tensor &state, const Tensor &y, const Tensor &new_state,
                         const std::optional<Tensor> &Dskip, const std::optional<Tensor> &z,
                         const std::optional<Tensor> &delta_bias, const SelectiveScanOptions &options) {
    detail::Checker c("seqmix::selective_scan_step");
    c.tensor("x", x, {"B", "D"});
    c.tensor("delta", delta, {"B", "D"});
    c.tensor("A", A, {"D", "N"});
    check_bc_rank(c, "Bm", Bm, 3);
    check_bc_rank(c, "Cm", Cm, 3);
    const Tensor bm = check_bc(c, "Bm", Bm, true), cm = check_bc(c, "Cm", Cm, true);
    c.optional_tensor("Dskip", Dskip, {"D"});
    c.optional_tensor("z", z, {"B", "D"});
    c.optional_tensor("delta_bias", delta_bias, {"D"});
    c.tensor("state", state, {"B", "D", "N"});
    c.tensor("y", y, {"B", "D"}, true);
    c.tensor("new_state", new_state, {"B", "D", "N"}, true);
    c.no_overlap();

    detail::Call call("seqmix::selective_scan_step", c, options);
    detail::KernelBuffer bx(x, call.ctx, true), bd(delta, call.ctx, true), ba(A, call.ctx, true);
    detail::KernelBuffer bb(bm, call.ctx, true), bc(cm, call.ctx, true), bs(state, call.ctx, true);
    detail::KernelBuffer by(y, call.ctx, false), bn(new_state, call.ctx, false);
    std::optional<detail::KernelBuffer> bD, bz, bbias;
    vector_or_zeros(bD, Dskip, c, call.ctx);
    vector_or_zeros(bbias, delta_bias, c, call.ctx);
    if (z) {
        bz.emplace(*z, call.ctx, true);
    } else {
        bz.emplace(std::vector<int64_t>{c.dim("B"), c.dim("D")}, c.device(), call.ctx, true);
    }
    call.run<detail::selective_scan_step_fn>("selective_scan_step", bx.get(), bd.get(), ba.get(), bb.get(), bc.get(),
                                             bD->get(), bz->get(), bbias->get(), bs.get(),
                                             options.delta_softplus ? 1 : 0, z ? 1 : 0, by.get(), bn.get());
}

}  // namespace seqmix
