// Stages of the chunkwise ("hardware-efficient") form of gated linear recurrences, shared by the
// mixers of MIXERS.md's "Linear recurrences" section. A sequence of T tokens is cut into chunks
// of C; position t is (i, c) with t = c * C + i. Dimensions innermost first, as in Halide.
#pragma once

#include "Halide.h"

namespace seqmix::chunked {

using Halide::Expr;
using Halide::Func;
using Halide::RDom;
using Halide::Var;

// gcum(x, i, c, h, b) = sum_{i' <= i} g(x, c*C + i', h, b): the inclusive cumulative log-gate
// inside each chunk, so that the decay between positions j <= i of one chunk is
// exp(gcum(i) - gcum(j)) <= 1.
inline void define_cumsum(Func &gcum, const Func &g, int C) {
    Var x("kd"), i("i"), c("c"), h("h"), b("b");
    gcum(x, i, c, h, b) = g(x, c * C + i, h, b);
    RDom ri(1, C - 1, "ri");
    gcum(x, ri, c, h, b) += gcum(x, ri - 1, c, h, b);
}

// The same for a scalar log-gate per token (one per (t, h), not per key channel): g(t, h, b),
// gcum(i, c, h, b). The scalar-decay mixers (linear attention, retention, simple GLA).
inline void define_scalar_cumsum(Func &gcum, const Func &g, int C) {
    Var i("i"), c("c"), h("h"), b("b");
    gcum(i, c, h, b) = g(c * C + i, h, b);
    RDom ri(1, C - 1, "ri");
    gcum(ri, c, h, b) += gcum(ri - 1, c, h, b);
}

// Inter-chunk state passing: state(vd, kd, c) is the state entering chunk c, for c in [0, nc]:
//   state(0) = initial, state(c + 1) = exp(glast(kd, c)) * state(c) + kv(c),
// where kv(c) is chunk c's own contribution and glast its total log-gate.
// state(nc) is the final state. The pure definition is undef and the update writes state(0) too:
// a pure `state = initial` stored the initial state into every chunk's slot before the update
// overwrote them (16 MB of stores at B1_T4096_H8_K64_V64; 0.95x the time of gla@d64 without it).
// `likely` lets Halide peel rc = 0 off the scan (loop partitioning): otherwise the select
// evaluates both sides, reading the initial state at every chunk (a strided gather where it is
// stored transposed, as SSD's: 46% of its CPU time).
// glast_at(kd, c, h, b) reads chunk c's total log-gate for key channel kd.
template<typename GlastAt>
void define_state_passing_with(Func &state, const Func &initial, GlastAt glast_at, const Func &kv, Expr nc) {
    Var vd("vd"), kd("kd"), c("c"), h("h"), b("b");
    state(vd, kd, c, h, b) = Halide::undef<float>();
    RDom rc(0, nc + 1, "rc");
    Expr prev = Halide::max(rc - 1, 0);
    state(vd, kd, rc, h, b) = Halide::select(rc < 1, initial(vd, kd, h, b),
                                             Halide::likely(Halide::exp(glast_at(kd, prev, h, b)) *
                                                                state(vd, kd, prev, h, b) +
                                                            kv(vd, kd, prev, h, b)));
}

// Per key channel: glast(kd, c, h, b).
inline void define_state_passing(Func &state, const Func &initial, const Func &glast, const Func &kv, Expr nc) {
    define_state_passing_with(
        state, initial, [&](Expr kd, Expr c, Expr h, Expr b) { return glast(kd, c, h, b); }, kv, nc);
}

// The same with a scalar total log-gate per chunk, glast(c, h, b).
inline void define_scalar_state_passing(Func &state, const Func &initial, const Func &glast, const Func &kv, Expr nc) {
    define_state_passing_with(
        state, initial, [&](Expr, Expr c, Expr h, Expr b) { return glast(c, h, b); }, kv, nc);
}

}  // namespace seqmix::chunked
