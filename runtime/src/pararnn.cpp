// seqmix::pararnn: validation and the Newton loop. Each call of the `pararnn` kernel is one
// Newton iteration (the Newton buckets) or the whole sequential scan (the default buckets,
// which report err = 0 and so end the loop after one call): the loop does not need to know which
// form the dispatcher picked. Iterates alternate between y and a scratch tensor (h), and two
// scratch tensors (c, LSTM only); when the loop stops with the result in the scratch, one more
// iteration (a Newton step from an already converged iterate) writes it into y.
#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "buffers.h"
#include "call.h"
#include "scratch.h"

namespace seqmix {

ParaRnnInfo pararnn(const Tensor &G, const Tensor &Rd, const Tensor &y, const std::optional<Tensor> &bias,
                    const std::optional<Tensor> &initial_h, const std::optional<Tensor> &initial_c,
                    const std::optional<Tensor> &final_h, const std::optional<Tensor> &final_c,
                    const ParaRnnOptions &options) {
    const bool is_lstm = options.cell == RnnCell::lstm;
    const int ng = is_lstm ? 4 : 3;
    const char *cell_name = is_lstm ? "LSTM" : "GRU";
    detail::Checker c("seqmix::pararnn");
    c.tensor("y", y, {"B", "T", "H", "Hd"}, true);
    c.tensor("G", G, {"B", "T", "H", "NG"});
    if (c.dim("NG") != ng * c.dim("Hd")) {
        c.fail(fmt::format("G has last dimension {}, expected {} * Hd = {} for the {} cell (Hd = {})", c.dim("NG"), ng,
                           ng * c.dim("Hd"), cell_name, c.dim("Hd")));
    }
    c.tensor("Rd", Rd, {"H", "Hd", "ng"});
    if (c.dim("ng") != ng) {
        c.fail(fmt::format("Rd has last dimension {}, expected {} (the {} cell's gates)", c.dim("ng"), ng, cell_name));
    }
    c.optional_tensor("bias", bias, {"H", "NG"});
    c.optional_tensor("initial_h", initial_h, {"B", "H", "Hd"});
    c.optional_tensor("initial_c", initial_c, {"B", "H", "Hd"});
    c.optional_tensor("final_h", final_h, {"B", "H", "Hd"}, true);
    c.optional_tensor("final_c", final_c, {"B", "H", "Hd"}, true);
    if (!is_lstm && (initial_c || final_c)) {
        c.fail(fmt::format("{} given, but the GRU cell has no c state", initial_c ? "initial_c" : "final_c"));
    }
    if (options.max_iters < 1) c.fail(fmt::format("max_iters is {}, expected >= 1", options.max_iters));
    if (!(options.tol >= 0.0f)) c.fail(fmt::format("tol is {}, expected >= 0", options.tol));
    c.no_overlap();

    detail::Call call("seqmix::pararnn", c, options);
    const detail::VariantEntry &e = call.variant("pararnn");
    const Device dev = c.device();
    const int64_t B = c.dim("B"), T = c.dim("T"), H = c.dim("H"), Hd = c.dim("Hd");
    const std::vector<int64_t> seq{B, T, H, Hd}, state{B, H, Hd};
    // h iterates: y and one scratch; c iterates (LSTM): two scratch tensors. The first
    // iteration writes y and reads h = c = 0.
    // Allocated when first needed: a sequential-form call (one iteration) needs only c_a.
    std::optional<detail::Scratch> h_alt, c_a, c_b;
    auto scratch = [&](std::optional<detail::Scratch> &s) -> const Tensor & {
        if (!s) s.emplace("seqmix::pararnn", seq, dev, options.stream);
        return s->tensor();
    };
    detail::KernelBuffer bG(G, call.ctx, true), bR(Rd, call.ctx, true);
    std::optional<detail::KernelBuffer> bb, h0, c0;
    detail::input_or_zeros(bb, bias, {H, c.dim("NG")}, dev, call.ctx);
    detail::input_or_zeros(h0, initial_h, state, dev, call.ctx);
    detail::input_or_zeros(c0, initial_c, state, dev, call.ctx);

    // err [B,H] is computed on the host by every schedule (the runtime reads it here).
    std::vector<float> err(static_cast<size_t>(B * H));
    halide_dimension_t err_dims[2] = {{0, static_cast<int32_t>(H), 1, 0}, {0, static_cast<int32_t>(B), static_cast<int32_t>(H), 0}};
    halide_buffer_t err_buf{};
    err_buf.host = reinterpret_cast<uint8_t *>(err.data());
    err_buf.type = halide_type_t(halide_type_float, 32);
    err_buf.dimensions = 2;
    err_buf.dim = err_dims;

    ParaRnnInfo info;
    bool finishing = false;
    for (int k = 0;; k++) {
        const bool first = k == 0;
        std::optional<detail::KernelBuffer> h_cur, c_cur, c_next;
        if (first) {
            h_cur.emplace(seq, dev, call.ctx, true);
        } else {
            h_cur.emplace((k - 1) % 2 ? scratch(h_alt) : y, call.ctx, true);
        }
        if (is_lstm && !first) {
            c_cur.emplace((k - 1) % 2 ? scratch(c_b) : scratch(c_a), call.ctx, true);
        } else {
            c_cur.emplace(seq, dev, call.ctx, true);
        }
        if (is_lstm) {
            c_next.emplace(k % 2 ? scratch(c_b) : scratch(c_a), call.ctx, false);
        } else {
            c_next.emplace(seq, dev, call.ctx, false);
        }
        detail::KernelBuffer h_next(k % 2 ? scratch(h_alt) : y, call.ctx, false);
        std::optional<detail::KernelBuffer> fh, fc;
        if (final_h) {
            fh.emplace(*final_h, call.ctx, false);
        } else {
            fh.emplace(state, dev, call.ctx, false);
        }
        if (final_c) {
            fc.emplace(*final_c, call.ctx, false);
        } else {
            fc.emplace(state, dev, call.ctx, false);
        }
        call.run_on<detail::pararnn_fn>(e, bG.get(), bR.get(), bb->get(), h0->get(), c0->get(), h_cur->get(),
                                        c_cur->get(), int32_t(is_lstm ? 1 : 0), h_next.get(), c_next->get(), fh->get(),
                                        fc->get(), &err_buf);
        info.iterations = k + 1;
        info.max_update = *std::max_element(err.begin(), err.end());
        info.converged = info.max_update < options.tol;
        const bool stop = info.converged || !std::isfinite(info.max_update) || info.iterations >= options.max_iters;
        if (k % 2 == 0 && (stop || finishing)) break;  // the result is in y
        finishing = finishing || stop;                 // in the scratch: one more step, into y
    }
    return info;
}

}  // namespace seqmix
