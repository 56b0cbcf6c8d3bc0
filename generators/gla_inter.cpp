// The two kernels that let sequence parallelism (runtime/dist/gla.cpp, LASP-2) run each rank's
// slice once: the rank computes its outputs and final state from a zero state with `gla`, its
// transition with `gla_decay`, and, once the all-gather has given it its true initial state S,
// adds what S contributes with `gla_inter`:
//   gla_decay:  decay = exp(sum_t g_t)                                     [B,H,K]
//   gla_inter:  o_t += scale * (q_t * exp(sum_{s<=t} g_s))^T S              (o read and written)
// g is [B,T,H,K], or [B,T,H,1] for one gate per head (simple GLA, retention, linear attention:
// the scalar-decay family), broadcast over K; decay then is [B,H,1].
// (with S_t = Diag(exp(g_t)) S_{t-1} + k_t v_t^T, the state is linear in S: the slice from S is
// the slice from zero plus the decayed S). Both exponents are <= 0.
// gla_inter's cumulative gate is chunked as gla's: the within-chunk gcum plus gpre, the sum of
// the earlier chunks' totals, so no Func walks all of T serially. gla_decay sums g in parts of
// `part` tokens, then the parts (two short reductions instead of one over T).
// Stages: gla_decay  gpart -> gsum -> decay
//         gla_inter  g_pad -> gcum -> gpre -> q_dec -> corr -> o
#include "common/chunked.h"
#include "common/padding.h"
#include "common/scheduled_generator.h"

namespace seqmix {
namespace {

using namespace Halide;

class GlaDecay : public ScheduledGenerator<GlaDecay> {
public:
    Input<Buffer<float, 4>> g{"g"};        // (kd, h, t, b), log gates <= 0
    Output<Buffer<float, 3>> decay{"decay"};  // (kd, h, b)

    Var kd{"kd"}, p{"p"}, h{"h"}, b{"b"};
    Func gpart{"gpart"}, gsum{"gsum"};

    void generate() {
        load_schedule("gla_decay");
        const int L = param("part");
        Expr T = g.dim(2).extent(), parts = (T + L - 1) / L;
        RDom ri(0, L, "ri");
        gpart(kd, p, h, b) = 0.0f;
        gpart(kd, p, h, b) += zero_past_t(g, kd, p * L + ri, h, b);
        RDom rp(0, parts, "rp");
        gsum(kd, h, b) = 0.0f;
        gsum(kd, h, b) += gpart(kd, rp, h, b);
        decay(kd, h, b) = exp(gsum(kd, h, b));

        g.set_estimates({{0, 64}, {0, 8}, {0, 4096}, {0, 1}});
        decay.set_estimates({{0, 64}, {0, 8}, {0, 1}});
    }
    void schedule() { apply_schedule({gpart, gsum, decay}); }

protected:
    std::map<std::string, Expr> shape_symbols() override {
        return {{"B", g.dim(3).extent()}, {"T", g.dim(2).extent()}, {"H", g.dim(1).extent()}, {"K", g.dim(0).extent()}};
    }
};

class GlaInter : public ScheduledGenerator<GlaInter> {
public:
    Input<Buffer<float, 4>> q{"q"};          // (kd, h, t, b)
    Input<Buffer<float, 4>> g{"g"};          // (kd, h, t, b), log gates <= 0
    Input<Buffer<float, 4>> state{"state"};  // (vd, kd, h, b): the state entering the slice
    Input<Buffer<float, 4>> o_in{"o_in"};    // (vd, h, t, b): o before (may be o itself)
    Input<float> scale{"scale"};
    Output<Buffer<float, 4>> o{"o"};  // (vd, h, t, b)

    Var kd{"kd"}, vd{"vd"}, t{"t"}, i{"i"}, c{"c"}, h{"h"}, b{"b"};
    Func g_pad{"g_pad"}, gcum{"gcum"}, gpre{"gpre"}, q_dec{"q_dec"}, corr{"corr"};

    void generate() {
        load_schedule("gla_inter");
        const int C = param("chunk");
        Expr T = q.dim(2).extent(), K = q.dim(0).extent(), nc = (T + C - 1) / C;
        // kd itself, or 0 when g has one gate per head (clamp, not select: bounds inference then
        // asks g for [0, Kg - 1] only).
        g_pad(kd, t, h, b) = zero_past_t(g, clamp(kd, 0, g.dim(0).extent() - 1), t, h, b);
        chunked::define_cumsum(gcum, g_pad, C);
        // gpre(c) = sum of the chunk totals before chunk c.
        gpre(kd, c, h, b) = 0.0f;
        RDom rc(1, nc - 1, "rc");
        gpre(kd, rc, h, b) = gpre(kd, rc - 1, h, b) + gcum(kd, C - 1, rc - 1, h, b);
        // q_dec and corr are indexed by t, not (i, c): a consumer's bounds through t % C span the
        // whole chunk (a thread computing one o(t) computed corr for all C tokens of its chunk).
        q_dec(kd, t, h, b) = q(kd, h, t, b) * exp(gcum(kd, t % C, t / C, h, b) + gpre(kd, t / C, h, b));
        RDom rk(0, K, "rk");
        corr(vd, t, h, b) = 0.0f;
        corr(vd, t, h, b) += q_dec(rk, t, h, b) * state(vd, rk, h, b);
        o(vd, h, t, b) = o_in(vd, h, t, b) + scale * corr(vd, t, h, b);

        for (auto *in : {&q, &g}) (*in).set_estimates({{0, 64}, {0, 8}, {0, 4096}, {0, 1}});
        state.set_estimates({{0, 64}, {0, 64}, {0, 8}, {0, 1}});
        o_in.set_estimates({{0, 64}, {0, 8}, {0, 4096}, {0, 1}});
        scale.set_estimate(0.125f);
        o.set_estimates({{0, 64}, {0, 8}, {0, 4096}, {0, 1}});
    }
    void schedule() { apply_schedule({g_pad, gcum, gpre, q_dec, corr, o}); }

protected:
    std::map<std::string, Expr> shape_symbols() override {
        return {{"B", q.dim(3).extent()}, {"T", q.dim(2).extent()}, {"H", q.dim(1).extent()},
                {"K", q.dim(0).extent()}, {"V", state.dim(0).extent()}};
    }
};

}  // namespace
}  // namespace seqmix

HALIDE_REGISTER_GENERATOR(seqmix::GlaDecay, gla_decay)
HALIDE_REGISTER_GENERATOR(seqmix::GlaInter, gla_inter)
