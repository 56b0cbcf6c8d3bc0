// Causal / non-causal softmax attention, FlashAttention style (MIXERS.md, "Softmax attention
// family"): o[t] = sum_s softmax_s(scale * q[t].k[s]) v[s] over the allowed s, lse = log-sum-exp.
//
// Keys are processed in blocks of `block_s`, queries in tiles of `block_t` (both algorithm
// params). Each key block yields a block-local softmax (max, sum, P V); an online log-sum-exp
// combine folds the blocks into a running (m, l, acc) per query, so [T, S] is never
// materialised. Key blocks that the causal mask or the window rule out for a whole query tile
// are skipped by the reduction's predicates (Halide trims the loop).
//
// Stages: q_pad k_pad v_pad -> qk -> score -> m_blk -> p -> l_blk, pv_blk -> acc -> o, lse
// Key positions are named j (key block jb): Halide's own loop names use a `.s` suffix, and a
// Var named `s` was seen to corrupt a vectorised loop's indexing (Halide 21).
// Halide orders dimensions innermost first: q [B,T,H,K] is q(kd, h, t, b). Internal stages put
// the query position before the head: qk(j, ti, tb, h, b).
#include "common/padding.h"
#include "common/scheduled_generator.h"

#include <limits>

namespace seqmix {
namespace {

using namespace Halide;

class Attention : public ScheduledGenerator<Attention> {
public:
    Input<Buffer<float, 4>> q{"q"};  // (kd, h, t, b)
    Input<Buffer<float, 4>> k{"k"};  // (kd, hkv, s, b)
    Input<Buffer<float, 4>> v{"v"};  // (vd, hkv, s, b)
    Input<float> scale{"scale"};
    Input<int> causal{"causal"};     // 0 or 1 (not bool: OpenCL kernels take no bool arguments)
    Input<int> window{"window"};     // <= 0: no window
    Output<Buffer<float, 4>> o{"o"};      // (vd, h, t, b)
    Output<Buffer<float, 3>> lse{"lse"};  // (t, h, b)

    Var kd{"kd"}, vd{"vd"}, s{"j"}, sb{"jb"}, t{"t"}, ti{"ti"}, tb{"tb"}, h{"h"}, b{"b"};
    Func q_pad{"q_pad"}, k_pad{"k_pad"}, v_pad{"v_pad"};
    Func qk{"qk"}, score{"score"}, m_blk{"m_blk"}, p{"p"}, l_blk{"l_blk"}, pv_blk{"pv_blk"}, acc{"acc"};

    void generate() {
        load_schedule("attention");
        const int Bs = param("block_s"), Bt = param("block_t");

        Expr K = q.dim(0).extent(), H = q.dim(1).extent(), T = q.dim(2).extent();
        Expr Hkv = k.dim(1).extent(), S = k.dim(2).extent();
        Expr group = H / Hkv;  // query heads per kv head (MHA, GQA, MQA)
        Expr shift = S - T;    // causal aligns the ends (bottom-right)

        q_pad(kd, t, h, b) = clamp_t(q, kd, t, h, b);
        k_pad(kd, s, h, b) = clamp_t(k, kd, s, h, b);
        v_pad(vd, s, h, b) = clamp_t(v, vd, s, h, b);

        // The lowest finite float, not -inf: a fully masked block then rescales by exp(0) = 1
        // instead of exp(-inf - -inf) = NaN.
        const Expr lowest = std::numeric_limits<float>::lowest();
        Expr tq = tb * Bt + ti;
        auto allowed = [&](Expr s_, Expr t_) {
            return s_ < S && (causal == 0 || s_ <= t_ + shift) && (window <= 0 || s_ > t_ + shift - window);
        };

        RDom rk(0, K, "rk");
        qk(s, ti, tb, h, b) = 0.0f;
        qk(s, ti, tb, h, b) += q_pad(rk, tq, h, b) * k_pad(rk, s, h / group, b);
        // Scaled scores, masked to the lowest finite float.
        score(s, ti, tb, h, b) = select(allowed(s, tq), scale * qk(s, ti, tb, h, b), lowest);

        RDom rs(0, Bs, "rj");
        Expr s_in_blk = sb * Bs + rs;
        m_blk(sb, ti, tb, h, b) = lowest;
        m_blk(sb, ti, tb, h, b) = max(m_blk(sb, ti, tb, h, b), score(s_in_blk, ti, tb, h, b));

        // Block-local softmax numerators: exp(score - block max) <= 1, never overflows.
        p(s, ti, tb, h, b) = select(allowed(s, tq), exp(score(s, ti, tb, h, b) - m_blk(s / Bs, ti, tb, h, b)), 0.0f);
        l_blk(sb, ti, tb, h, b) = 0.0f;
        l_blk(sb, ti, tb, h, b) += p(s_in_blk, ti, tb, h, b);
        pv_blk(vd, sb, ti, tb, h, b) = 0.0f;
        pv_blk(vd, sb, ti, tb, h, b) += p(s_in_blk, ti, tb, h, b) * v_pad(vd, s_in_blk, h / group, b);

        // Online combine over key blocks. Blocks wholly outside the causal / window range of the
        // query tile are predicated away; Halide tightens the block loop to the live range.
        RDom rsb(0, (S + Bs - 1) / Bs, "rjb");
        Expr t_lo = tb * Bt, t_hi = tb * Bt + Bt - 1;
        rsb.where(rsb * Bs <= select(causal != 0, t_hi + shift, S));
        rsb.where(rsb * Bs + Bs > select(window > 0, t_lo + shift - window + 1, 0));
        acc(vd, ti, tb, h, b) = Tuple(lowest, 0.0f, 0.0f);
        {
            Expr m_old = acc(vd, ti, tb, h, b)[0], l_old = acc(vd, ti, tb, h, b)[1], o_old = acc(vd, ti, tb, h, b)[2];
            Expr mb = m_blk(rsb, ti, tb, h, b);
            Expr m_new = max(m_old, mb);
            // One of exp(m_old - m_new) and exp(mb - m_new) is exp(0) = 1: one exp, not two (the
            // running max and sum are replicated over vd, so this runs per (vd, ti) and block).
            Expr grew = mb > m_old, d = exp(-abs(m_old - mb));
            Expr a = select(grew, d, 1.0f), c = select(grew, 1.0f, d);
            acc(vd, ti, tb, h, b) = Tuple(m_new, l_old * a + l_blk(rsb, ti, tb, h, b) * c,
                                          o_old * a + pv_blk(vd, rsb, ti, tb, h, b) * c);
        }

        Expr tt = t / Bt, it = t % Bt;
        Expr l = acc(vd, it, tt, h, b)[1];
        o(vd, h, t, b) = select(l > 0.0f, acc(vd, it, tt, h, b)[2] / l, 0.0f);
        Expr l0 = acc(0, it, tt, h, b)[1];
        lse(t, h, b) = select(l0 > 0.0f, acc(0, it, tt, h, b)[0] + log(l0), Expr(-std::numeric_limits<float>::infinity()));

        set_estimates();
    }

    void schedule() {
        apply_schedule({q_pad, k_pad, v_pad, qk, score, m_blk, p, l_blk, pv_blk, acc, o, lse});
    }

protected:
    // Names a schedule's `specialize` conditions may use (MIXERS.md's shape letters).
    std::map<std::string, Expr> shape_symbols() override {
        return {{"B", q.dim(3).extent()}, {"T", q.dim(2).extent()}, {"H", q.dim(1).extent()},
                {"K", q.dim(0).extent()}, {"S", k.dim(2).extent()}, {"Hkv", k.dim(1).extent()},
                {"V", v.dim(0).extent()}};
    }

private:
    void set_estimates() {
        q.set_estimates({{0, 64}, {0, 8}, {0, 4096}, {0, 1}});
        k.set_estimates({{0, 64}, {0, 8}, {0, 4096}, {0, 1}});
        v.set_estimates({{0, 64}, {0, 8}, {0, 4096}, {0, 1}});
        scale.set_estimate(0.125f);
        causal.set_estimate(1);
        window.set_estimate(0);
        o.set_estimates({{0, 64}, {0, 8}, {0, 4096}, {0, 1}});
        lse.set_estimates({{0, 4096}, {0, 8}, {0, 1}});
    }
};

}  // namespace
}  // namespace seqmix

HALIDE_REGISTER_GENERATOR(seqmix::Attention, attention)
