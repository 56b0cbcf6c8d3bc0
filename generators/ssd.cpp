// Mamba-2 SSD (MIXERS.md, "State-space models"), thin Generators over the scalar-decay blocks of
// common/scalar_decay.h (SSD is that recurrence with q = Cm, k = Bm, v = dt x, g = dt A, scale 1,
// plus the D skip: common/ssd.h):
//   ssd                h_t = exp(dt_t A) h_{t-1} + dt_t x_t Bm_t^T,  y_t = h_t Cm_t + Dskip x_t
//                      (the chunked form; initial_state in, final_state out)
//   ssd_step           one token, state in, new_state out
//   ssd_bidirectional  y = shift(SS_f(x)) + flip(shift(SS_b(flip(x)))) + Dskip x (Hydra)
// dt is dt + dt_bias, through softplus when dt_softplus != 0. Head h reads group h / (H / G) of
// Bm and Cm.
// Stages: dt_eff (compute it once: softplus is an exp and a log) and the inline operands cm, bm,
// xdt, log_gate, dx, then the block's (q_pad ... o_intra, state passing) with outputs
//   ssd: y (the block's o, with dx added) and final_state (final_kv transposed);
//   ssd_step: y, new_state (new_kv transposed);
//   ssd_bidirectional: the two directions stacked along the batch (b < B forward, b >= B the
//   flipped sequence), o from the block, then y (the shifts, the flip and dx).
// The ssd and ssd_step stage names are those of the scalar_decay / scalar_decay_step schedules
// with o renamed y; they read the families `ssd` and `ssd_step`, ssd_bidirectional its own files.
//
// Halide orders dimensions innermost first: x [B,T,H,P] is x(vd, h, t, b), dt [B,T,H] dt(h, t, b),
// Bm, Cm [B,T,G,N] Bm(kd, g, t, b), states [B,H,P,N] state(kd, vd, h, b) (N is kd, P is vd).
#include "common/scalar_decay.h"
#include "common/scheduled_generator.h"
#include "common/ssd.h"

namespace seqmix {
namespace {

using namespace Halide;

// Estimates: B1 T4096 H8 P=64 N=64 G=1 (the block's shape).
template<typename In4, typename In3, typename In1>
void estimate_seq_inputs(In4 &x, In3 &dt, In1 &A, In4 &Bm, In4 &Cm, In1 &Dskip, In1 &dt_bias) {
    x.set_estimates({{0, 64}, {0, 8}, {0, 4096}, {0, 1}});
    dt.set_estimates({{0, 8}, {0, 4096}, {0, 1}});
    Bm.set_estimates({{0, 64}, {0, 1}, {0, 4096}, {0, 1}});
    Cm.set_estimates({{0, 64}, {0, 1}, {0, 4096}, {0, 1}});
    for (auto *in : {&A, &Dskip, &dt_bias}) in->set_estimates({{0, 8}});
}

class Ssd : public ScheduledGenerator<Ssd> {
public:
    Input<Buffer<float, 4>> x{"x"};                          // (vd, h, t, b)
    Input<Buffer<float, 3>> dt{"dt"};                        // (h, t, b)
    Input<Buffer<float, 1>> A{"A"};                          // (h), negative
    Input<Buffer<float, 4>> Bm{"Bm"};                        // (kd, g, t, b)
    Input<Buffer<float, 4>> Cm{"Cm"};                        // (kd, g, t, b)
    Input<Buffer<float, 1>> Dskip{"Dskip"};                  // (h)
    Input<Buffer<float, 1>> dt_bias{"dt_bias"};              // (h)
    Input<Buffer<float, 4>> initial_state{"initial_state"};  // (kd, vd, h, b)
    Input<int> dt_softplus{"dt_softplus"};                   // 0 or 1 (OpenCL takes no bool)
    Output<Buffer<float, 4>> y{"y"};                         // (vd, h, t, b)
    Output<Buffer<float, 4>> final_state{"final_state"};     // (kd, vd, h, b)

    void generate() {
        load_schedule("ssd", {"ssd"});
        Var kd("kd"), vd("vd"), t("t"), h("h"), b("b");
        Expr H = x.dim(1).extent(), T = x.dim(2).extent(), G = Bm.dim(1).extent(), N = Bm.dim(0).extent();
        Expr grp = ssd::group_of(h, H, G);
        dt_eff(h, t, b) = ssd::effective_dt(dt(h, t, b), dt_bias(h), dt_softplus);
        cm(kd, h, t, b) = Cm(kd, grp, t, b);
        bm(kd, h, t, b) = Bm(kd, grp, t, b);
        xdt(vd, h, t, b) = dt_eff(h, t, b) * x(vd, h, t, b);
        log_gate(t, h, b) = dt_eff(h, t, b) * A(h);
        dx(vd, h, t, b) = Dskip(h) * x(vd, h, t, b);
        state_in(vd, kd, h, b) = initial_state(kd, vd, h, b);
        blk_.causal = scalar_decay::Chunked::causal_blocks([&](const char *n, int d) { return param_or(n, d); });
        blk_.define(cm, bm, xdt, log_gate, state_in, N, T, 1.0f, param("chunk"), y, final_kv, dx);
        final_state(kd, vd, h, b) = final_kv(vd, kd, h, b);

        estimate_seq_inputs(x, dt, A, Bm, Cm, Dskip, dt_bias);
        initial_state.set_estimates({{0, 64}, {0, 64}, {0, 8}, {0, 1}});
        dt_softplus.set_estimate(1);
        y.set_estimates({{0, 64}, {0, 8}, {0, 4096}, {0, 1}});
        final_state.set_estimates({{0, 64}, {0, 64}, {0, 8}, {0, 1}});
    }
    void schedule() {
        std::vector<Func> fs = blk_.funcs(y, final_state);
        fs.insert(fs.begin(), {dt_eff, cm, bm, xdt, log_gate, dx, state_in, final_kv});
        apply_schedule(fs);
    }

protected:
    std::map<std::string, Expr> shape_symbols() override {
        return {{"B", x.dim(3).extent()}, {"T", x.dim(2).extent()}, {"H", x.dim(1).extent()},
                {"P", x.dim(0).extent()}, {"N", Bm.dim(0).extent()}, {"G", Bm.dim(1).extent()}};
    }

private:
    Func dt_eff{"dt_eff"}, cm{"cm"}, bm{"bm"}, xdt{"xdt"}, log_gate{"log_gate"}, dx{"dx"};
    Func state_in{"state_in"}, final_kv{"final_kv"};
    scalar_decay::Chunked blk_;
};

class SsdStep : public ScheduledGenerator<SsdStep> {
public:
    Input<Buffer<float, 3>> x{"x"};              // (vd, h, b)
    Input<Buffer<float, 2>> dt{"dt"};            // (h, b)
    Input<Buffer<float, 1>> A{"A"};              // (h)
    Input<Buffer<float, 3>> Bm{"Bm"};            // (kd, g, b)
    Input<Buffer<float, 3>> Cm{"Cm"};            // (kd, g, b)
    Input<Buffer<float, 1>> Dskip{"Dskip"};      // (h)
    Input<Buffer<float, 1>> dt_bias{"dt_bias"};  // (h)
    Input<Buffer<float, 4>> state{"state"};      // (kd, vd, h, b)
    Input<int> dt_softplus{"dt_softplus"};
    Output<Buffer<float, 3>> y{"y"};                  // (vd, h, b)
    Output<Buffer<float, 4>> new_state{"new_state"};  // (kd, vd, h, b)

    void generate() {
        load_schedule("ssd_step", {"ssd_step"});
        Var kd("kd"), vd("vd"), h("h"), b("b");
        Expr H = x.dim(1).extent(), G = Bm.dim(1).extent(), N = Bm.dim(0).extent();
        Expr grp = ssd::group_of(h, H, G);
        dt_eff(h, b) = ssd::effective_dt(dt(h, b), dt_bias(h), dt_softplus);
        cm(kd, h, b) = Cm(kd, grp, b);
        bm(kd, h, b) = Bm(kd, grp, b);
        xdt(vd, h, b) = dt_eff(h, b) * x(vd, h, b);
        log_gate(h, b) = dt_eff(h, b) * A(h);
        dx(vd, h, b) = Dskip(h) * x(vd, h, b);
        state_in(vd, kd, h, b) = state(kd, vd, h, b);
        blk_.define(cm, bm, xdt, log_gate, state_in, N, 1.0f, y, new_kv, dx);
        new_state(kd, vd, h, b) = new_kv(vd, kd, h, b);

        x.set_estimates({{0, 64}, {0, 8}, {0, 64}});
        dt.set_estimates({{0, 8}, {0, 64}});
        Bm.set_estimates({{0, 64}, {0, 1}, {0, 64}});
        Cm.set_estimates({{0, 64}, {0, 1}, {0, 64}});
        for (auto *in : {&A, &Dskip, &dt_bias}) in->set_estimates({{0, 8}});
        state.set_estimates({{0, 64}, {0, 64}, {0, 8}, {0, 64}});
        dt_softplus.set_estimate(1);
        y.set_estimates({{0, 64}, {0, 8}, {0, 64}});
        new_state.set_estimates({{0, 64}, {0, 64}, {0, 8}, {0, 64}});
    }
    void schedule() {
        std::vector<Func> fs = blk_.funcs(y, new_state);
        fs.insert(fs.begin(), {dt_eff, cm, bm, xdt, log_gate, dx, state_in, new_kv});
        apply_schedule(fs);
    }

protected:
    std::map<std::string, Expr> shape_symbols() override {
        return {{"B", x.dim(2).extent()}, {"H", x.dim(1).extent()}, {"P", x.dim(0).extent()},
                {"N", Bm.dim(0).extent()}, {"G", Bm.dim(1).extent()}};
    }

private:
    Func dt_eff{"dt_eff"}, cm{"cm"}, bm{"bm"}, xdt{"xdt"}, log_gate{"log_gate"}, dx{"dx"};
    Func state_in{"state_in"}, new_kv{"new_kv"};
    scalar_decay::Step blk_;
};

// Both directions in one chunked block, stacked along the batch: b < B is SS_f over x with
// (dt_f, Bm_f, Cm_f); b >= B is SS_b over flip(x) with (dt_b, Bm_b, Cm_b) at their own indices
// (MIXERS.md: "the backward ones indexed in flipped order", i.e. as the backward scan reads them).
// No states: both scans start from zero.
class SsdBidirectional : public ScheduledGenerator<SsdBidirectional> {
public:
    Input<Buffer<float, 4>> x{"x"};              // (vd, h, t, b)
    Input<Buffer<float, 3>> dt_f{"dt_f"};        // (h, t, b)
    Input<Buffer<float, 4>> Bm_f{"Bm_f"};        // (kd, g, t, b)
    Input<Buffer<float, 4>> Cm_f{"Cm_f"};        // (kd, g, t, b)
    Input<Buffer<float, 3>> dt_b{"dt_b"};        // (h, s, b), s the flipped position
    Input<Buffer<float, 4>> Bm_b{"Bm_b"};        // (kd, g, s, b)
    Input<Buffer<float, 4>> Cm_b{"Cm_b"};        // (kd, g, s, b)
    Input<Buffer<float, 1>> A{"A"};              // (h)
    Input<Buffer<float, 1>> Dskip{"Dskip"};      // (h)
    Input<Buffer<float, 1>> dt_bias{"dt_bias"};  // (h)
    Input<int> dt_softplus{"dt_softplus"};
    Output<Buffer<float, 4>> y{"y"};  // (vd, h, t, b)

    void generate() {
        load_schedule("ssd_bidirectional");
        Var kd("kd"), vd("vd"), t("t"), h("h"), b("b");
        Expr B = x.dim(3).extent(), T = x.dim(2).extent(), H = x.dim(1).extent();
        Expr G = Bm_f.dim(1).extent(), N = Bm_f.dim(0).extent();
        Expr grp = ssd::group_of(h, H, G);
        Expr fwd = b < B, bf = clamp(b, 0, B - 1), bb = clamp(b - B, 0, B - 1);
        dt_eff(h, t, b) = ssd::effective_dt(select(fwd, dt_f(h, t, bf), dt_b(h, t, bb)), dt_bias(h), dt_softplus);
        cm(kd, h, t, b) = select(fwd, Cm_f(kd, grp, t, bf), Cm_b(kd, grp, t, bb));
        bm(kd, h, t, b) = select(fwd, Bm_f(kd, grp, t, bf), Bm_b(kd, grp, t, bb));
        xdt(vd, h, t, b) = dt_eff(h, t, b) * select(fwd, x(vd, h, t, bf), x(vd, h, T - 1 - t, bb));
        log_gate(t, h, b) = dt_eff(h, t, b) * A(h);
        zero(vd, kd, h, b) = 0.0f;
        blk_.causal = scalar_decay::Chunked::causal_blocks([&](const char *n, int d) { return param_or(n, d); });
        blk_.define(cm, bm, xdt, log_gate, zero, N, T, 1.0f, param("chunk"), o, unused_final);

        // shift(SS_f)_t = o_f(t - 1); flip(shift(SS_b(flip x)))_t = o_b(T - 2 - t) (0 past the ends).
        Expr forward = select(t > 0, o(vd, h, max(t - 1, 0), b), 0.0f);
        Expr backward = select(t < T - 1, o(vd, h, clamp(T - 2 - t, 0, T - 1), b + B), 0.0f);
        y(vd, h, t, b) = forward + backward + Dskip(h) * x(vd, h, t, b);

        estimate_seq_inputs(x, dt_f, A, Bm_f, Cm_f, Dskip, dt_bias);
        dt_b.set_estimates({{0, 8}, {0, 4096}, {0, 1}});
        Bm_b.set_estimates({{0, 64}, {0, 1}, {0, 4096}, {0, 1}});
        Cm_b.set_estimates({{0, 64}, {0, 1}, {0, 4096}, {0, 1}});
        dt_softplus.set_estimate(1);
        y.set_estimates({{0, 64}, {0, 8}, {0, 4096}, {0, 1}});
    }
    void schedule() {
        std::vector<Func> fs = blk_.funcs(o, y);
        fs.insert(fs.begin(), {dt_eff, cm, bm, xdt, log_gate, zero});
        apply_schedule(fs);
    }

protected:
    std::map<std::string, Expr> shape_symbols() override {
        return {{"B", x.dim(3).extent()}, {"T", x.dim(2).extent()}, {"H", x.dim(1).extent()},
                {"P", x.dim(0).extent()}, {"N", Bm_f.dim(0).extent()}, {"G", Bm_f.dim(1).extent()}};
    }

private:
    Func dt_eff{"dt_eff"}, cm{"cm"}, bm{"bm"}, xdt{"xdt"}, log_gate{"log_gate"}, zero{"zero"};
    Func o{"o"}, unused_final{"unused_final"};
    scalar_decay::Chunked blk_;
};

}  // namespace
}  // namespace seqmix

HALIDE_REGISTER_GENERATOR(seqmix::Ssd, ssd)
HALIDE_REGISTER_GENERATOR(seqmix::SsdStep, ssd_step)
HALIDE_REGISTER_GENERATOR(seqmix::SsdBidirectional, ssd_bidirectional)
