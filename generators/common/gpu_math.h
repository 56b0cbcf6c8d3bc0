// `param exp_approx = 1` in a CUDA schedule: every float exp inside the GPU kernels becomes the
// SFU's exp2 approximation, exp(x) = ex2.approx.f32(x * log2(e)): ex2 itself is within a few ulp;
// the rounding of x * log2(e) adds up to |x| * 6e-8 relative, which the fp32 tests' tolerances
// absorb for the exponents these mixers produce (the kernel tests run every such variant).
// Halide 21 lowers exp_f32 on CUDA to its own range reduction and polynomial, about 20
// instructions; the SFU does it in one, which matters where a kernel is bound by the exps (a
// scan's decay per state element and token, the per-channel decays of chunked GLA). Host code and
// other GPU APIs are left alone: the pass rewrites only code under a CUDA loop.
#pragma once

#include "Halide.h"

namespace seqmix {

class ExpToEx2Approx : public Halide::Internal::IRMutator {
    using IRMutator::visit;
    int cuda_depth_ = 0;

    Halide::Internal::Stmt visit(const Halide::Internal::For *op) override {
        const bool cuda = op->device_api == Halide::DeviceAPI::CUDA;
        cuda_depth_ += cuda;
        Halide::Internal::Stmt s = IRMutator::visit(op);
        cuda_depth_ -= cuda;
        return s;
    }

    Halide::Expr visit(const Halide::Internal::Call *op) override {
        using Halide::Internal::Call;
        if (cuda_depth_ > 0 && op->call_type == Call::PureExtern && op->name == "exp_f32" &&
            op->type == Halide::Float(32)) {
            Halide::Expr x = mutate(op->args[0]);
            return Call::make(Halide::Float(32), "llvm.nvvm.ex2.approx.f", {x * 1.44269504088896341f},
                              Call::PureExtern);
        }
        return IRMutator::visit(op);
    }
};

}  // namespace seqmix
