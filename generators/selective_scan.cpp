// Mamba (S6) selective scan (MIXERS.md, "State-space models"), channel-major as mamba_ssm:
//   dt_t = softplus(delta_t + delta_bias) (or delta_t + delta_bias),
//   h_t = exp(dt_t A) * h_{t-1} + dt_t Bm_t x_t,   y_t = Cm_t . h_t + Dskip x_t,   y *= silu(z).
//
// `selective_scan`: a two-level scan over chunks of `chunk` tokens (t = c * chunk + i).
//   1. per chunk, the local end state from a zero state, as a reduction (no sequential dependence):
//        hlast(c) = sum_i exp(A (dtsum(c) - dtcum(i, c))) dt_i Bm_i x_i,
//      with dtcum the within-chunk cumulative dt, so the chunk's cumulative decay is exp(A dtcum);
//      every exponent is A times a non-negative sum, <= 0: no overflow for any dt;
//   2. a short sequential pass over chunk boundaries: hc(c+1) = exp(A dtsum(c)) hc(c) + hlast(c),
//      hc(0) = initial_state, final_state = hc(nc) (or, with the param final_from_scan, the
//      rescanned state at the end of the last chunk);
//   3. the fix-up: every chunk rescanned from its true entering state hc(c) (chunks in parallel),
//      y from the rescanned states.
// With chunk = 0 the whole sequence is one chunk: steps 1 and 2 vanish (the plain scan).
// Padded positions past T have dt = 0 (decay 1, no input): the state passes through unchanged.
// Stages: rate (A), dt, xdt, bsel and csel (Bm, Cm of a group) -> dtcum -> hlast -> hc -> hs ->
// y_sum -> y; final_state reads hc.
//
// `selective_scan_step`: one token (mamba's selective_state_update). Stages: dt -> updated ->
// y_sum -> y; new_state = updated.
//
// Halide orders dimensions innermost first: x, delta, z [B,D,T] are x(t, d, b); A [D,N] is
// A(n, d); Bm, Cm [B,G,N,T] are Bm(t, n, g, b); states [B,D,N] are h(n, d, b). Channel d reads
// group d / (D / G). A time-invariant Bm [D,N] reaches the kernel as the view G = D with stride 0
// along t and b (the runtime builds it; no copy), so Bm and Cm accept any stride along t.
#include "common/scheduled_generator.h"

namespace seqmix {
namespace {

using namespace Halide;

// log(1 + u) for u in [0, 1] without the cancellation of 1 + u: 2 atanh(s), s = u / (2 + u) <= 1/3,
// by its odd series to s^15 (relative error < 2e-9). A plain log(1 + u) loses everything for
// small u: softplus(-14) = 8e-7 would come out 6% wrong (dt near 0).
Expr log1p_unit(Expr u) {
    Expr s = u / (2.0f + u), s2 = s * s;
    Expr series = 1.0f / 15;
    for (int k = 13; k >= 1; k -= 2) series = series * s2 + 1.0f / k;
    return 2.0f * s * series;
}

Expr softplus_if(Expr v, Expr on) {
    // softplus(v) = log(1 + exp(v)); = v above 20 (as mamba_ssm), where exp(v) adds nothing.
    Expr e = exp(min(v, 20.0f));
    Expr sp = select(v > 20.0f, v, v > 0.0f, log(1.0f + e), log1p_unit(e));
    return select(on != 0, sp, v);
}

// The group of channel d among G groups of D / G channels. One group (mamba's default) is named
// on its own: a schedule specialised on G == 1 then reads one Bm/Cm value for every channel of a
// vector, which `d / (D / G)` cannot promise (Halide cannot prove a vector of channels stays in
// one group).
Expr group(Expr d, Expr D, Expr G) {
    return select(G == 1, 0, d / (D / G));
}

Expr silu_gate(Expr zv, Expr has_z) {
    return select(has_z != 0, zv / (1.0f + exp(-zv)), 1.0f);
}

class SelectiveScan : public ScheduledGenerator<SelectiveScan> {
public:
    Input<Buffer<float, 3>> x{"x"};                          // (t, d, b)
    Input<Buffer<float, 3>> delta{"delta"};                  // (t, d, b)
    Input<Buffer<float, 2>> A{"A"};                          // (n, d)
    Input<Buffer<float, 4>> Bm{"Bm"};                        // (t, n, g, b)
    Input<Buffer<float, 4>> Cm{"Cm"};                        // (t, n, g, b)
    Input<Buffer<float, 1>> Dskip{"Dskip"};                  // (d)
    Input<Buffer<float, 3>> z{"z"};                          // (t, d, b)
    Input<Buffer<float, 1>> delta_bias{"delta_bias"};        // (d)
    Input<Buffer<float, 3>> initial_state{"initial_state"};  // (n, d, b)
    Input<int32_t> delta_softplus{"delta_softplus"};
    Input<int32_t> has_z{"has_z"};
    Output<Buffer<float, 3>> y{"y"};                      // (t, d, b)
    Output<Buffer<float, 3>> final_state{"final_state"};  // (n, d, b)

    Var t{"t"}, i{"i"}, c{"c"}, n{"n"}, d{"d"}, g{"g"}, b{"b"};
    Func rate{"rate"}, dt{"dt"}, xdt{"xdt"}, bsel{"bsel"}, csel{"csel"}, dtcum{"dtcum"}, hlast{"hlast"}, hc{"hc"},
        hs{"hs"}, y_sum{"y_sum"};

    void generate() {
        load_schedule("selective_scan");
        Bm.dim(0).set_stride(Expr());  // stride 0 for a time-invariant Bm
        Cm.dim(0).set_stride(Expr());
        Expr T = x.dim(0).extent(), D = x.dim(1).extent(), N = A.dim(0).extent();
        // chunk = 0: one chunk of the whole sequence (C = T, nc = 1): the plain scan, one exp per
        // state element and token, no chunk end states; for schedules that keep a channel's
        // whole rescan and take the final state from it (final_from_scan).
        const int chunk = param("chunk");
        Expr C = chunk > 0 ? Expr(chunk) : T;
        Expr nc = chunk > 0 ? (T + C - 1) / C : Expr(1);
        Expr tt = clamp(t, 0, T - 1);
        // y starts at token 0 (the runtime's buffers do): a schedule splitting y's tokens by the
        // chunk then finds each thread's tokens in one chunk.
        y.dim(0).set_min(0);

        // A as a stage of its own, so that a schedule vectorising across channels can store it
        // channel-innermost (A [D,N] is contiguous along n).
        rate(n, d) = A(n, d);
        // dt and dt * x, zero past the end of the sequence.
        dt(t, d, b) = select(t < T, softplus_if(delta(tt, d, b) + delta_bias(d), delta_softplus), 0.0f);
        xdt(t, d, b) = dt(t, d, b) * x(tt, d, b);
        // Bm and Cm as Funcs of the group (inline unless scheduled): a GPU schedule stages rows
        // in shared memory, which the token-innermost layout needs for coalescing. With the param
        // one_group (a bucket for G = 1, asserted), every channel reads group 0: a block of
        // several channels then stages one copy of the rows, where `group()` would leave Halide a
        // range of groups to allocate for.
        const bool one_group = param_or("one_group", 0) != 0;
        if (one_group) {
            Bm.dim(2).set_bounds(0, 1);
            Cm.dim(2).set_bounds(0, 1);
        }
        Expr gb = one_group ? Expr(0) : group(d, D, Bm.dim(2).extent());
        Expr gc = one_group ? Expr(0) : group(d, D, Cm.dim(2).extent());
        bsel(n, t, g, b) = Bm(clamp(t, 0, T - 1), n, g, b);
        csel(n, t, g, b) = Cm(clamp(t, 0, T - 1), n, g, b);

        // 1. Within-chunk cumulative dt and the local end state of each chunk.
        dtcum(i, c, d, b) = dt(c * C + i, d, b);
        RDom ri1(1, C - 1, "ri1");
        dtcum(ri1, c, d, b) += dtcum(ri1 - 1, c, d, b);
        RDom ri(0, C, "ri");
        ri.where(c * C + ri < T);  // the last chunk's padding adds nothing: skip it
        Expr tr = c * C + ri;
        hlast(n, c, d, b) = 0.0f;
        hlast(n, c, d, b) +=
            exp(rate(n, d) * (dtcum(C - 1, c, d, b) - dtcum(ri, c, d, b))) * xdt(tr, d, b) * bsel(n, tr, gb, b);

        // 2. Chunk boundaries, sequentially: hc(c) is the state entering chunk c. With
        //    `final_from_scan`, the final state is read from the rescan of the last chunk (step 3)
        //    and hc stops at nc - 1: then a single chunk (T <= chunk) needs no step 1 at all, for
        //    schedules that keep a channel's whole rescan (CPU). Otherwise hc runs to nc.
        const bool final_from_scan = param("final_from_scan") != 0;
        hc(n, c, d, b) = initial_state(n, d, b);
        RDom rc(1, final_from_scan ? nc - 1 : nc, "rc");
        hc(n, rc, d, b) = exp(rate(n, d) * dtcum(C - 1, rc - 1, d, b)) * hc(n, rc - 1, d, b) + hlast(n, rc - 1, d, b);

        // 3. Each chunk rescanned from hc(c): hs(i, c) is the state after the chunk's first i
        //    tokens, so hs(0, c) = hc(c) and every step reads the one before it, with no boundary
        //    case to select on.
        hs(n, i, c, d, b) = undef<float>();
        hs(n, 0, c, d, b) = hc(n, c, d, b);
        hs(n, ri + 1, c, d, b) =
            exp(rate(n, d) * dt(tr, d, b)) * hs(n, ri, c, d, b) + xdt(tr, d, b) * bsel(n, tr, gb, b);

        RDom rn(0, N, "rn");
        y_sum(i, c, d, b) = 0.0f;
        y_sum(i, c, d, b) += csel(rn, c * C + i, gc, b) * hs(rn, i + 1, c, d, b);
        Expr ti = chunk > 0 ? t % C : t, tc = chunk > 0 ? t / C : 0;
        y(t, d, b) = (y_sum(ti, tc, d, b) + Dskip(d) * x(t, d, b)) * silu_gate(z(t, d, b), has_z);
        if (final_from_scan) {
            final_state(n, d, b) = hs(n, T - (nc - 1) * C, nc - 1, d, b);  // hs(n, T, 0) for chunk = 0
        } else {
            final_state(n, d, b) = hc(n, nc, d, b);
        }

        x.set_estimates({{0, 2048}, {0, 1536}, {0, 2}});
        delta.set_estimates({{0, 2048}, {0, 1536}, {0, 2}});
        z.set_estimates({{0, 2048}, {0, 1536}, {0, 2}});
        A.set_estimates({{0, 16}, {0, 1536}});
        Bm.set_estimates({{0, 2048}, {0, 16}, {0, 1}, {0, 2}});
        Cm.set_estimates({{0, 2048}, {0, 16}, {0, 1}, {0, 2}});
        Dskip.set_estimates({{0, 1536}});
        delta_bias.set_estimates({{0, 1536}});
        initial_state.set_estimates({{0, 16}, {0, 1536}, {0, 2}});
        delta_softplus.set_estimate(1);
        has_z.set_estimate(1);
        y.set_estimates({{0, 2048}, {0, 1536}, {0, 2}});
        final_state.set_estimates({{0, 16}, {0, 1536}, {0, 2}});
    }

    void schedule() {
        apply_schedule({rate, dt, xdt, bsel, csel, dtcum, hlast, hc, hs, y_sum, y, final_state});
    }

protected:
    std::map<std::string, Expr> shape_symbols() override {
        return {{"B", x.dim(2).extent()}, {"D", x.dim(1).extent()}, {"T", x.dim(0).extent()},
                {"N", A.dim(0).extent()}, {"G_Bm", Bm.dim(2).extent()}, {"G_Cm", Cm.dim(2).extent()}};
    }
};

class SelectiveScanStep : public ScheduledGenerator<SelectiveScanStep> {
public:
    Input<Buffer<float, 2>> x{"x"};                    // (d, b)
    Input<Buffer<float, 2>> delta{"delta"};            // (d, b)
    Input<Buffer<float, 2>> A{"A"};                    // (n, d)
    Input<Buffer<float, 3>> Bm{"Bm"};                  // (n, g, b)
    Input<Buffer<float, 3>> Cm{"Cm"};                  // (n, g, b)
    Input<Buffer<float, 1>> Dskip{"Dskip"};            // (d)
    Input<Buffer<float, 2>> z{"z"};                    // (d, b)
    Input<Buffer<float, 1>> delta_bias{"delta_bias"};  // (d)
    Input<Buffer<float, 3>> state{"state"};            // (n, d, b)
    Input<int32_t> delta_softplus{"delta_softplus"};
    Input<int32_t> has_z{"has_z"};
    Output<Buffer<float, 2>> y{"y"};                  // (d, b)
    Output<Buffer<float, 3>> new_state{"new_state"};  // (n, d, b)

    Var n{"n"}, d{"d"}, b{"b"};
    Func dt{"dt"}, updated{"updated"}, y_sum{"y_sum"};

    void generate() {
        load_schedule("selective_scan_step");
        // state_size > 0: a variant for that N only (asserted), so that the loops over n have
        // constant trip counts (a state column in registers, the y reduction unrolled).
        const int state_size = param("state_size");
        if (state_size > 0) {
            A.dim(0).set_bounds(0, state_size);
            Bm.dim(0).set_bounds(0, state_size);
            Cm.dim(0).set_bounds(0, state_size);
            state.dim(0).set_bounds(0, state_size);
            new_state.dim(0).set_bounds(0, state_size);
            // y and new_state in one kernel (compute_with) see one channel per thread only when
            // Halide knows that their channel and batch ranges are x's.
            for (int k = 0; k < 2; k++) {
                y.dim(k).set_bounds(x.dim(k).min(), x.dim(k).extent());
                new_state.dim(k + 1).set_bounds(x.dim(k).min(), x.dim(k).extent());
            }
        }
        Expr D = x.dim(0).extent(), N = state_size > 0 ? Expr(state_size) : A.dim(0).extent();
        dt(d, b) = softplus_if(delta(d, b) + delta_bias(d), delta_softplus);
        Expr gb = group(d, D, Bm.dim(1).extent()), gc = group(d, D, Cm.dim(1).extent());
        updated(n, d, b) = exp(A(n, d) * dt(d, b)) * state(n, d, b) + dt(d, b) * x(d, b) * Bm(n, gb, b);
        RDom rn(0, N, "rn");
        y_sum(d, b) = 0.0f;
        y_sum(d, b) += Cm(rn, gc, b) * updated(rn, d, b);
        y(d, b) = (y_sum(d, b) + Dskip(d) * x(d, b)) * silu_gate(z(d, b), has_z);
        new_state(n, d, b) = updated(n, d, b);

        for (auto *in : {&x, &delta, &z}) (*in).set_estimates({{0, 2048}, {0, 64}});
        A.set_estimates({{0, 16}, {0, 2048}});
        Bm.set_estimates({{0, 16}, {0, 1}, {0, 64}});
        Cm.set_estimates({{0, 16}, {0, 1}, {0, 64}});
        Dskip.set_estimates({{0, 2048}});
        delta_bias.set_estimates({{0, 2048}});
        state.set_estimates({{0, 16}, {0, 2048}, {0, 64}});
        delta_softplus.set_estimate(1);
        has_z.set_estimate(1);
        y.set_estimates({{0, 2048}, {0, 64}});
        new_state.set_estimates({{0, 16}, {0, 2048}, {0, 64}});
    }

    void schedule() {
        apply_schedule({dt, updated, y_sum, y, new_state});
    }

protected:
    std::map<std::string, Expr> shape_symbols() override {
        return {{"B", x.dim(1).extent()}, {"D", x.dim(0).extent()}, {"N", A.dim(0).extent()},
                {"G_Bm", Bm.dim(1).extent()}, {"G_Cm", Cm.dim(1).extent()}};
    }
};

}  // namespace
}  // namespace seqmix

HALIDE_REGISTER_GENERATOR(seqmix::SelectiveScan, selective_scan)
HALIDE_REGISTER_GENERATOR(seqmix::SelectiveScanStep, selective_scan_step)
