// seqmix::monarch: validation and dispatch for the `monarch` (channel axis) and `monarch_seq`
// (sequence axis) generators.
#include <fmt/format.h>

#include "buffers.h"
#include "call.h"

namespace seqmix {

void monarch(const Tensor &x, const Tensor &L, const Tensor &R, const Tensor &y, const MonarchOptions &options) {
    detail::Checker c("seqmix::monarch");
    c.tensor("x", x, {"B", "T", "C"});
    c.tensor("L", L, {"M", "M", "M"});
    c.tensor("R", R, {"M", "M", "M"});
    c.tensor("y", y, {"B", "T", "C"}, true);
    c.no_overlap();
    // The mixed axis pads to the next square m*m (MIXERS.md): m is fixed by n, not chosen.
    const bool seq = options.axis == MonarchAxis::sequence;
    const int64_t n = c.dim(seq ? "T" : "C"), m = c.dim("M");
    int64_t want = 1;
    while (want * want < n) want++;
    if (m != want) {
        c.fail(fmt::format("L and R have blocks [m,m,m] with m = {}, expected m = ceil(sqrt({})) = {} for the {} axis "
                           "({} = {})",
                           m, n, want, seq ? "sequence" : "channel", seq ? "T" : "C", n));
    }

    detail::Call call("seqmix::monarch", c, options);
    detail::KernelBuffer bx(x, call.ctx, true), bl(L, call.ctx, true), br(R, call.ctx, true), by(y, call.ctx, false);
    call.run<detail::monarch_fn>(seq ? "monarch_seq" : "monarch", bx.get(), bl.get(), br.get(), by.get());
}

}  // namespace seqmix
