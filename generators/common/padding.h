// Reads of a sequence-major input at positions that blocking may take past its end.
// A [B,T,H,X] tensor is buf(x, h, t, b) in Halide's innermost-first order.
#pragma once

#include "Halide.h"

namespace seqmix {

// buf at (x, t, h, b) with t clamped into the sequence: for stages whose out-of-range results are
// masked or discarded later (attention's partial query tiles and key blocks).
template<typename Buf>
Halide::Expr clamp_t(const Buf &buf, Halide::Expr x, Halide::Expr t, Halide::Expr h, Halide::Expr b) {
    return buf(x, h, Halide::clamp(t, 0, buf.dim(2).extent() - 1), b);
}

// buf at (x, t, h, b), zero past the end of the sequence: padded tokens with k = v = 0 and g = 0
// leave a linear recurrence's state unchanged (decay exp(0) = 1, update k v^T = 0).
template<typename Buf>
Halide::Expr zero_past_t(const Buf &buf, Halide::Expr x, Halide::Expr t, Halide::Expr h, Halide::Expr b) {
    return Halide::select(t < buf.dim(2).extent(), clamp_t(buf, x, t, h, b), 0.0f);
}

}  // namespace seqmix
