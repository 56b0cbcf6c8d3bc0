// Decode attention, split-K (MIXERS.md, "decode attention"; flash-decoding / Lean Attention):
// q [B,Tq,H,K] new tokens, a padded KV cache k [B,Lmax,Hkv,K], v [B,Lmax,Hkv,V], lens [B].
// Query tq of sequence b sits at pos = len_b - Tq + tq and sees keys l <= pos (causal among the
// Tq new tokens, which are the last Tq of the len_b cached entries); query head h = hk * Hg + g
// reads kv head hk (Hg = H / Hkv).
//
// The keys are cut into partitions of `partition` keys (an algorithm param; the number of
// partitions is ceil(Lmax / partition), so a bucket picks it per KV length). Each partition p
// gives a partial (o_p, lse_p) over its visible keys by a two-pass softmax inside the partition;
// one exact log-sum-exp combine over p gives o and lse:
//   m = max_p lse_p,  w_p = exp(lse_p - m),  o = sum_p w_p o_p / sum_p w_p,  lse = m + log(sum_p w_p).
// Keys past a sequence's length are skipped (RDom predicates, param skip_by_key), so ragged
// batches read only their own cache. A query with no visible key gets o = 0, lse = -inf. Inside
// the pipeline an empty partition is marked by l_part == 0 and its max by the lowest finite float,
// never by -inf: Halide compiles float math with fast-math flags, under which comparisons with
// infinities are not reliable (seen: NaN outputs for ragged lengths).
// Stages: qk_lanes -> qk_tile -> qk -> m_part -> prob -> l_part, o_part -> lse_part -> m_all -> w_sum, o_acc -> o, lse.
//
// Halide orders dimensions innermost first: q [B,Tq,H,K] is q(kd, h, tq, b), k [B,Lmax,Hkv,K]
// is k(kd, hk, l, b). Per-partition stages index (j, tq, g, hk, p, b) with key l = p * partition + j.
#include <limits>

#include "common/scheduled_generator.h"

namespace seqmix {
namespace {

using namespace Halide;

class DecodeAttention : public ScheduledGenerator<DecodeAttention> {
public:
    Input<Buffer<float, 4>> q{"q"};        // (kd, h, tq, b)
    Input<Buffer<float, 4>> k{"k"};        // (kd, hk, l, b)
    Input<Buffer<float, 4>> v{"v"};        // (vd, hk, l, b)
    Input<Buffer<int32_t, 1>> lens{"lens"};  // (b)
    Input<float> scale{"scale"};
    Output<Buffer<float, 4>> o{"o"};      // (vd, h, tq, b)
    Output<Buffer<float, 3>> lse{"lse"};  // (tq, h, b)

    Var u{"u"}, vd{"vd"}, j{"j"}, tq{"tq"}, g{"g"}, h{"h"}, hk{"hk"}, p{"p"}, b{"b"};
    Func qk_lanes{"qk_lanes"}, qk_tile{"qk_tile"}, qk{"qk"}, m_part{"m_part"}, prob{"prob"}, l_part{"l_part"};
    Func o_part{"o_part"}, lse_part{"lse_part"};
    Func m_all{"m_all"}, w_sum{"w_sum"}, o_acc{"o_acc"};

    void generate() {
        load_schedule("decode_attention");
        const int Ls = param("partition"), lanes = param("lanes");
        // Which keys the K-dot, l_part and o_part skip (RDom predicates), so that a ragged batch
        // reads only its own cache. skip_by_key = 1: every key past the query's position. 0: the
        // partitions past the sequence's length; in the partition the length cuts, the keys past
        // it load the last cached key again (from cache) and prob masks them. The predicate is
        // then the same for every key of a block, and unrolled loads carry no branch between them.
        const bool by_key = param_or("skip_by_key", 1) != 0;
        Expr K = q.dim(0).extent(), H = q.dim(1).extent(), Tq = q.dim(2).extent();
        Expr Hkv = k.dim(1).extent(), Lmax = k.dim(2).extent();
        Expr Hg = H / Hkv;
        Expr P = (Lmax + Ls - 1) / Ls;
        Expr lowest = Float(32).min();  // the lowest finite float
        Expr neg_inf = Expr(-std::numeric_limits<float>::infinity());  // only ever stored in lse
        Expr len = clamp(lens(b), 0, Lmax);
        Expr pos = len - Tq + tq;  // the query's position; keys l <= pos are visible
        Expr last = by_key ? Lmax - 1 : max(len - 1, 0);  // the last key a load may read
        Expr reached = p * Ls < len;                       // partition p holds a key of the sequence
        Expr scored = by_key ? p * Ls + j <= pos : reached;  // the K-dot runs for key j of partition p

        // Scores of partition p's keys (those skipped stay 0; prob masks every key a query does not
        // see). The K-dot runs as `lanes` interleaved partial sums over whole blocks of `lanes` kd
        // (qk_lanes, lane u takes kd = u mod lanes: dense vector loads on a CPU; a GPU uses lanes =
        // 1), then qk adds the lanes (update 0) and the kd past the last whole block (update 1). No
        // kd index is clamped, so the loads stay dense.
        Expr Kb = K / lanes * lanes;
        Expr lk = min(p * Ls + j, last);
        RDom rk(0, K / lanes, "rk");
        rk.where(scored);
        qk_lanes(u, j, tq, g, hk, p, b) = 0.0f;
        qk_lanes(u, j, tq, g, hk, p, b) += q(rk * lanes + u, hk * Hg + g, tq, b) * k(rk * lanes + u, hk, lk, b);
        // qk_tile is qk_lanes as the lane sum reads it: inlined on a CPU; a GPU schedule keeps the
        // K-dot's accumulators in registers (qk_lanes) and stages only the finished lanes here.
        qk_tile(u, j, tq, g, hk, p, b) = qk_lanes(u, j, tq, g, hk, p, b);
        RDom ru(0, lanes, "ru");
        qk(j, tq, g, hk, p, b) = 0.0f;
        qk(j, tq, g, hk, p, b) += qk_tile(ru, j, tq, g, hk, p, b);
        RDom rt(Kb, K - Kb, "rt");
        rt.where(scored);
        qk(j, tq, g, hk, p, b) += q(rt, hk * Hg + g, tq, b) * k(rt, hk, lk, b);

        RDom rj(0, Ls, "rj");
        rj.where(p * Ls + rj <= pos);
        // The keys l_part (rl) and o_part (ro) sum: rj, or with skip_by_key = 0 every key of the
        // partition for l_part (prob is 0 where the query does not see the key; a predicate on p
        // alone there trips Halide 21's simplifier: "Repeated name: l_part.s1.p.min") and those of
        // the partitions the length reaches for o_part.
        RDom rl = rj, ro = rj;
        if (!by_key) {
            rl = RDom(0, Ls, "rj");
            ro = RDom(0, Ls, "rj");
            ro.where(reached);
        }
        m_part(tq, g, hk, p, b) = lowest;
        m_part(tq, g, hk, p, b) = max(m_part(tq, g, hk, p, b), scale * qk(rj, tq, g, hk, p, b));
        // Unnormalised probabilities of the visible keys (0 elsewhere), computed once for l_part and o_part.
        prob(j, tq, g, hk, p, b) = select(p * Ls + j <= pos, exp(scale * qk(j, tq, g, hk, p, b) - m_part(tq, g, hk, p, b)), 0.0f);
        l_part(tq, g, hk, p, b) = 0.0f;
        l_part(tq, g, hk, p, b) += prob(rl, tq, g, hk, p, b);
        o_part(vd, tq, g, hk, p, b) = 0.0f;
        o_part(vd, tq, g, hk, p, b) += prob(ro, tq, g, hk, p, b) * v(vd, hk, min(p * Ls + ro, last), b);
        lse_part(tq, g, hk, p, b) = select(l_part(tq, g, hk, p, b) > 0.0f,
                                           m_part(tq, g, hk, p, b) + log(l_part(tq, g, hk, p, b)), lowest);

        // The exact combine over partitions (o_part / l_part is partition p's normalised output).
        RDom rp(0, P, "rp");
        m_all(tq, g, hk, b) = lowest;
        m_all(tq, g, hk, b) = max(m_all(tq, g, hk, b), lse_part(tq, g, hk, rp, b));
        Expr lp = lse_part(tq, g, hk, rp, b);
        Expr nonempty = l_part(tq, g, hk, rp, b) > 0.0f;
        Expr w = select(nonempty, exp(lp - m_all(tq, g, hk, b)), 0.0f);
        w_sum(tq, g, hk, b) = 0.0f;
        w_sum(tq, g, hk, b) += w;
        o_acc(vd, tq, g, hk, b) = 0.0f;
        o_acc(vd, tq, g, hk, b) +=
            select(nonempty, w / l_part(tq, g, hk, rp, b), 0.0f) * o_part(vd, tq, g, hk, rp, b);

        Expr ws = w_sum(tq, h % Hg, h / Hg, b);
        o(vd, h, tq, b) = select(ws > 0.0f, o_acc(vd, tq, h % Hg, h / Hg, b) / ws, 0.0f);
        lse(tq, h, b) = select(ws > 0.0f, m_all(tq, h % Hg, h / Hg, b) + log(ws), neg_inf);

        q.set_estimates({{0, 128}, {0, 32}, {0, 1}, {0, 64}});
        k.set_estimates({{0, 128}, {0, 8}, {0, 4096}, {0, 64}});
        v.set_estimates({{0, 128}, {0, 8}, {0, 4096}, {0, 64}});
        lens.set_estimates({{0, 64}});
        scale.set_estimate(0.088f);
        o.set_estimates({{0, 128}, {0, 32}, {0, 1}, {0, 64}});
        lse.set_estimates({{0, 1}, {0, 32}, {0, 64}});
    }

    void schedule() {
        apply_schedule({qk_lanes, qk_tile, qk, m_part, prob, l_part, o_part, lse_part, m_all, w_sum, o_acc, o, lse});
    }

protected:
    std::map<std::string, Expr> shape_symbols() override {
        return {{"B", q.dim(3).extent()}, {"Tq", q.dim(2).extent()}, {"H", q.dim(1).extent()},
                {"K", q.dim(0).extent()}, {"Hkv", k.dim(1).extent()}, {"L", k.dim(2).extent()},
                {"V", v.dim(0).extent()}};
    }
};

}  // namespace
}  // namespace seqmix

HALIDE_REGISTER_GENERATOR(seqmix::DecodeAttention, decode_attention)
