// seqmix::lstm, lstm_step, gru, gru_step: validation and the loop over tokens. The `lstm` and
// `gru` kernels are one time step (generators/lstm.cpp says why); the sequence functions run
// them once per token on views of the caller's tensors: G's token t, y's token t as h_out and
// y's token t-1 as h_prev, so nothing is copied. The LSTM cell state alternates between two
// scratch states; the last token runs a second time into final_h / final_c when those are
// asked for (one extra step instead of a device copy).
#include <fmt/format.h>

#include "buffers.h"
#include "call.h"
#include "scratch.h"

namespace seqmix {
namespace {

using detail::KernelBuffer;

// G [.., ng*Hd] against the Hd that y / the state bound.
void check_gates(const detail::Checker &c, const char *what, int ng) {
    if (c.dim("NG") != ng * c.dim("Hd")) {
        c.fail(fmt::format("{} has last dimension {}, expected {} * Hd = {} (Hd = {})", what, c.dim("NG"), ng,
                           ng * c.dim("Hd"), c.dim("Hd")));
    }
}

// The inputs shared by the sequence forms: G [B,T,H,ng*Hd], R [H,Hd,ng*Hd], y, bias.
void check_sequence(detail::Checker &c, const Tensor &G, const Tensor &R, const Tensor &y,
                    const std::optional<Tensor> &bias, int ng) {
    c.tensor("y", y, {"B", "T", "H", "Hd"}, true);
    c.tensor("G", G, {"B", "T", "H", "NG"});
    check_gates(c, "G", ng);
    c.tensor("R", R, {"H", "Hd", "NG"});
    c.optional_tensor("bias", bias, {"H", "NG"});
}

// The inputs shared by the step forms: the state h [B,H,Hd], G [B,H,ng*Hd], R, bias.
void check_step(detail::Checker &c, const Tensor &G, const Tensor &R, const Tensor &h,
                const std::optional<Tensor> &bias, int ng) {
    c.tensor("h", h, {"B", "H", "Hd"});
    c.tensor("G", G, {"B", "H", "NG"});
    check_gates(c, "G", ng);
    c.tensor("R", R, {"H", "Hd", "NG"});
    c.optional_tensor("bias", bias, {"H", "NG"});
}

}  // namespace

void lstm(const Tensor &G, const Tensor &R, const Tensor &y, const std::optional<Tensor> &bias,
          const std::optional<Tensor> &initial_h, const std::optional<Tensor> &initial_c,
          const std::optional<Tensor> &final_h, const std::optional<Tensor> &final_c, const RnnOptions &options) {
    detail::Checker c("seqmix::lstm");
    check_sequence(c, G, R, y, bias, 4);
    c.optional_tensor("initial_h", initial_h, {"B", "H", "Hd"});
    c.optional_tensor("initial_c", initial_c, {"B", "H", "Hd"});
    c.optional_tensor("final_h", final_h, {"B", "H", "Hd"}, true);
    c.optional_tensor("final_c", final_c, {"B", "H", "Hd"}, true);
    c.no_overlap();

    detail::Call call("seqmix::lstm", c, options);
    const detail::VariantEntry &e = call.variant("lstm");
    const Device dev = c.device();
    const int64_t T = c.dim("T");
    const std::vector<int64_t> state{c.dim("B"), c.dim("H"), c.dim("Hd")};
    detail::Scratch cs0("seqmix::lstm", state, dev, options.stream), cs1("seqmix::lstm", state, dev, options.stream);
    const Tensor *cell[2] = {&cs0.tensor(), &cs1.tensor()};
    KernelBuffer bR(R, call.ctx, true);
    std::optional<KernelBuffer> bb, h0, c0;
    detail::input_or_zeros(bb, bias, {c.dim("H"), c.dim("NG")}, dev, call.ctx);
    detail::input_or_zeros(h0, initial_h, state, dev, call.ctx);
    detail::input_or_zeros(c0, initial_c, state, dev, call.ctx);
    auto step = [&](int64_t t, const Tensor &h_out, const Tensor &c_out) {
        KernelBuffer bG(detail::select(G, 1, t), call.ctx, true), bh(h_out, call.ctx, false), bc(c_out, call.ctx, false);
        std::optional<KernelBuffer> hp, cp;
        if (t > 0) hp.emplace(detail::select(y, 1, t - 1), call.ctx, true), cp.emplace(*cell[(t - 1) % 2], call.ctx, true);
        call.run_on<detail::lstm_fn>(e, bG.get(), bR.get(), bb->get(), t > 0 ? hp->get() : h0->get(),
                                     t > 0 ? cp->get() : c0->get(), bh.get(), bc.get());
    };
    for (int64_t t = 0; t < T; t++) step(t, detail::select(y, 1, t), *cell[t % 2]);
    if (final_h || final_c) {
        detail::Scratch sink("seqmix::lstm", state, dev, options.stream);
        step(T - 1, final_h ? *final_h : sink.tensor(), final_c ? *final_c : sink.tensor());
    }
}

void lstm_step(const Tensor &G, const Tensor &R, const Tensor &h, const Tensor &cs, const Tensor &h_out,
               const Tensor &c_out, const std::optional<Tensor> &bias, const RnnOptions &options) {
    detail::Checker c("seqmix::lstm_step");
    check_step(c, G, R, h, bias, 4);
    c.tensor("c", cs, {"B", "H", "Hd"});
    c.tensor("h_out", h_out, {"B", "H", "Hd"}, true);
    c.tensor("c_out", c_out, {"B", "H", "Hd"}, true);
    c.no_overlap();

    detail::Call call("seqmix::lstm_step", c, options);
    KernelBuffer bG(G, call.ctx, true), bR(R, call.ctx, true), bh(h, call.ctx, true), bc(cs, call.ctx, true);
    KernelBuffer bho(h_out, call.ctx, false), bco(c_out, call.ctx, false);
    std::optional<KernelBuffer> bb;
    detail::input_or_zeros(bb, bias, {c.dim("H"), c.dim("NG")}, c.device(), call.ctx);
    call.run<detail::lstm_fn>("lstm", bG.get(), bR.get(), bb->get(), bh.get(), bc.get(), bho.get(), bco.get());
}

void gru(const Tensor &G, const Tensor &R, const Tensor &y, const std::optional<Tensor> &bias,
         const std::optional<Tensor> &initial_h, const std::optional<Tensor> &final_h, const RnnOptions &options) {
    detail::Checker c("seqmix::gru");
    check_sequence(c, G, R, y, bias, 3);
    c.optional_tensor("initial_h", initial_h, {"B", "H", "Hd"});
    c.optional_tensor("final_h", final_h, {"B", "H", "Hd"}, true);
    c.no_overlap();

    detail::Call call("seqmix::gru", c, options);
    const detail::VariantEntry &e = call.variant("gru");
    const int64_t T = c.dim("T");
    const std::vector<int64_t> state{c.dim("B"), c.dim("H"), c.dim("Hd")};
    KernelBuffer bR(R, call.ctx, true);
    std::optional<KernelBuffer> bb, h0;
    detail::input_or_zeros(bb, bias, {c.dim("H"), c.dim("NG")}, c.device(), call.ctx);
    detail::input_or_zeros(h0, initial_h, state, c.device(), call.ctx);
    auto step = [&](int64_t t, const Tensor &h_out) {
        KernelBuffer bG(detail::select(G, 1, t), call.ctx, true), bh(h_out, call.ctx, false);
        std::optional<KernelBuffer> hp;
        if (t > 0) hp.emplace(detail::select(y, 1, t - 1), call.ctx, true);
        call.run_on<detail::gru_fn>(e, bG.get(), bR.get(), bb->get(), t > 0 ? hp->get() : h0->get(), bh.get());
    };
    for (int64_t t = 0; t < T; t++) step(t, detail::select(y, 1, t));
    if (final_h) step(T - 1, *final_h);
}

void gru_step(const Tensor &G, const Tensor &R, const Tensor &h, const Tensor &h_out,
              const std::optional<Tensor> &bias, const RnnOptions &options) {
    detail::Checker c("seqmix::gru_step");
    check_step(c, G, R, h, bias, 3);
    c.tensor("h_out", h_out, {"B", "H", "Hd"}, true);
    c.no_overlap();

    detail::Call call("seqmix::gru_step", c, options);
    KernelBuffer bG(G, call.ctx, true), bR(R, call.ctx, true), bh(h, call.ctx, true), bho(h_out, call.ctx, false);
    std::optional<KernelBuffer> bb;
    detail::input_or_zeros(bb, bias, {c.dim("H"), c.dim("NG")}, c.device(), call.ctx);
    call.run<detail::gru_fn>("gru", bG.get(), bR.get(), bb->get(), bh.get(), bho.get());
}

}  // namespace seqmix
