// Gated Linear Attention (MIXERS.md, "Linear recurrences"):
//   S_t = Diag(exp(g_t)) S_{t-1} + k_t v_t^T,   o_t = scale * S_t^T q_t.
//
// `gla`: the chunkwise form. With G = gcum, the within-chunk cumulative log-gate,
//   o_i = scale * (q_i * exp(G_i))^T S_c                                  (inter-chunk, o_inter)
//       + sum_{j <= i} [scale * sum_kd q_i k_j exp(G_i - G_j)] v_j          (intra-chunk, o_intra)
//   S_{c+1} = exp(G_last) S_c + sum_j (k_j * exp(G_last - G_j)) v_j^T        (state passing)
// Every exponent is <= 0, so gates near 0 (g <= -5 per step) cannot overflow. The intra-chunk
// scores are split into sub-chunks of `sub_chunk`: between sub-chunks a < a', the decay factors
// through the last position r of the earlier sub-chunk,
//   exp(G_i - G_j) = exp(G_i - G_r) * exp(G_r - G_j),   both factors <= 1,
// which makes those blocks plain matmuls (attn_off); only the diagonal sub-chunk blocks need an
// exp per (i, j, kd) (attn_diag). Two algorithm params trade exps for multiplies on CPUs:
// factor_gates = 1 takes q's decays through its sub-chunk's start (one exp per q element, the rest
// small per-chunk tables), causal_diag = 1 skips the diagonal blocks' upper triangle.
// Stages: q_pad k_pad v_pad g_pad -> gcum -> [gref -> q_local ref_decay ->] q_inter k_state q_sub
//         k_sub -> kv -> state -> o_inter, attn_off attn_diag -> attn -> o_intra -> o, final_state
//
// `gla_state`: the state side alone, from a zero state: final_state = the state after the
// sequence, decay = exp(sum_t g_t) = prod_c exp(G_last(c)), the sequence's transition
// (Diag(decay) S + final_state continues any state S across it). Sequence parallelism
// (runtime/dist/) runs it on each rank's slice before the one all-gather.
// Stages: k_pad v_pad g_pad -> gcum -> k_state -> kv -> state -> final_state; gcum -> gsum -> decay
//
// `gla_step`: one decode token, S' = exp(g) S + k v^T, o = scale * S'^T q.
// Stages: new_state -> o (new_state is also the output `new_state`).
//
// Halide orders dimensions innermost first: q [B,T,H,K] is q(kd, h, t, b), a state
// [B,H,K,V] is state(vd, kd, h, b). Chunked stages index (x, i, c, h, b) with t = c * chunk + i.
#include "common/chunked.h"
#include "common/padding.h"
#include "common/scheduled_generator.h"

namespace seqmix {
namespace {

using namespace Halide;

// The state side of the chunkwise form, which `gla` and `gla_state` share: padded k, v, g, the
// within-chunk cumulative gate, each chunk's contribution kv and the chunk-by-chunk state from
// `init`. The Funcs carry the names the schedules address.
struct GlaStateSide {
    Halide::Func k_pad{"k_pad"}, v_pad{"v_pad"}, g_pad{"g_pad"}, gcum{"gcum"}, glast{"glast"}, k_state{"k_state"};
    Halide::Func kv{"kv"}, state{"state"};
    Halide::Expr nc;  // number of chunks; state(.., nc, ..) is the final state

    template<typename Buf>
    void define(const Buf &k, const Buf &v, const Buf &g, const Halide::Func &init, int C) {
        Halide::Var kd{"kd"}, vd{"vd"}, t{"t"}, i{"i"}, c{"c"}, h{"h"}, b{"b"};
        nc = (k.dim(2).extent() + C - 1) / C;
        k_pad(kd, t, h, b) = zero_past_t(k, kd, t, h, b);
        v_pad(vd, t, h, b) = zero_past_t(v, vd, t, h, b);
        g_pad(kd, t, h, b) = zero_past_t(g, kd, t, h, b);

        chunked::define_cumsum(gcum, g_pad, C);
        glast(kd, c, h, b) = gcum(kd, C - 1, c, h, b);
        // k decayed to the chunk end.
        k_state(kd, i, c, h, b) = k_pad(kd, c * C + i, h, b) * exp(glast(kd, c, h, b) - gcum(kd, i, c, h, b));

        Halide::RDom rj(0, C, "rj");
        kv(vd, kd, c, h, b) = 0.0f;
        kv(vd, kd, c, h, b) += k_state(kd, rj, c, h, b) * v_pad(vd, c * C + rj, h, b);
        chunked::define_state_passing(state, init, glast, kv, nc);
    }
};

class Gla : public ScheduledGenerator<Gla> {
public:
    Input<Buffer<float, 4>> q{"q"};                          // (kd, h, t, b)
    Input<Buffer<float, 4>> k{"k"};                          // (kd, h, t, b)
    Input<Buffer<float, 4>> v{"v"};                          // (vd, h, t, b)
    Input<Buffer<float, 4>> g{"g"};                          // (kd, h, t, b), log gates <= 0
    Input<Buffer<float, 4>> initial_state{"initial_state"};  // (vd, kd, h, b)
    Input<float> scale{"scale"};
    Output<Buffer<float, 4>> o{"o"};                      // (vd, h, t, b)
    Output<Buffer<float, 4>> final_state{"final_state"};  // (vd, kd, h, b)

    Var kd{"kd"}, vd{"vd"}, t{"t"}, i{"i"}, j{"j"}, sj{"sj"}, c{"c"}, h{"h"}, b{"b"};
    GlaStateSide st;
    Func q_pad{"q_pad"}, init{"init"};
    Func q_inter{"q_inter"}, q_sub{"q_sub"}, k_sub{"k_sub"}, o_inter{"o_inter"};
    Func gref{"gref"}, q_local{"q_local"}, ref_decay{"ref_decay"};  // param factor_gates = 1
    Func attn_off{"attn_off"}, attn_diag{"attn_diag"}, attn{"attn"}, o_intra{"o_intra"};

    void generate() {
        load_schedule("gla");
        const int C = param("chunk"), Cs = param("sub_chunk");
        if (C % Cs != 0) fail("gla: chunk (" + std::to_string(C) + ") must be a multiple of sub_chunk (" + std::to_string(Cs) + ")");

        Expr K = q.dim(0).extent();

        q_pad(kd, t, h, b) = zero_past_t(q, kd, t, h, b);
        init(vd, kd, h, b) = initial_state(vd, kd, h, b);
        st.define(k, v, g, init, C);
        Func &k_pad = st.k_pad, &v_pad = st.v_pad, &gcum = st.gcum, &state = st.state;
        Expr nc = st.nc;
        Expr tc = c * C + i;

        // Inter-chunk: q decayed from the chunk start (the state side decays k to the chunk end).
        // Intra-chunk, between sub-chunks: q decayed from r, the last position of the key's
        // sub-chunk sj (used only where sj is before the query's sub-chunk; the min() keeps the
        // unused upper blocks finite).
        if (param_or("factor_gates", 0) != 0) {
            // Both through the query's sub-chunk start: gref(a) is the cumulative gate just before
            // sub-chunk a, q_local the one exp per (kd, i), ref_decay(a, s) = exp(gref(a) -
            // gref(s + 1)) the decay from the end of sub-chunk s (s = -1: the chunk start) to the
            // start of a. Every factor is <= 1, so the products cannot overflow; one exp per q
            // element instead of 1 + chunk / sub_chunk.
            Var a{"a"}, s{"s"};
            gref(kd, a, c, h, b) = select(a == 0, 0.0f, gcum(kd, max(a * Cs - 1, 0), c, h, b));
            q_local(kd, i, c, h, b) = scale * q_pad(kd, tc, h, b) * exp(gcum(kd, i, c, h, b) - gref(kd, i / Cs, c, h, b));
            ref_decay(kd, a, s, c, h, b) = exp(min(gref(kd, a, c, h, b) - gref(kd, s + 1, c, h, b), 0.0f));
            q_inter(kd, i, c, h, b) = q_local(kd, i, c, h, b) * ref_decay(kd, i / Cs, -1, c, h, b);
            q_sub(kd, i, sj, c, h, b) = q_local(kd, i, c, h, b) * ref_decay(kd, i / Cs, sj, c, h, b);
        } else {
            Expr r_of_sj = sj * Cs + Cs - 1;
            q_inter(kd, i, c, h, b) = scale * q_pad(kd, tc, h, b) * exp(gcum(kd, i, c, h, b));
            q_sub(kd, i, sj, c, h, b) =
                scale * q_pad(kd, tc, h, b) * exp(min(gcum(kd, i, c, h, b) - gcum(kd, r_of_sj, c, h, b), 0.0f));
        }

        RDom rj(0, C, "rj");

        RDom rk(0, K, "rk");
        o_inter(vd, i, c, h, b) = 0.0f;
        o_inter(vd, i, c, h, b) += q_inter(rk, i, c, h, b) * state(vd, rk, c, h, b);

        // Intra-chunk, between sub-chunks: the decay factored through r, so that those blocks
        // are plain matmuls.
        Expr r_of_j = (j / Cs) * Cs + Cs - 1;
        k_sub(kd, j, c, h, b) = k_pad(kd, c * C + j, h, b) * exp(gcum(kd, r_of_j, c, h, b) - gcum(kd, j, c, h, b));
        attn_off(j, i, c, h, b) = 0.0f;
        attn_off(j, i, c, h, b) += q_sub(rk, i, j / Cs, c, h, b) * k_sub(rk, j, c, h, b);

        // Intra-chunk, within the query's sub-chunk: key j = (i / Cs) * Cs + jj, exact decay.
        // causal_diag = 1 sums only the keys the select below keeps (jj <= i % Cs), skipping the
        // exps of the upper triangle.
        Var jj("jj");
        Expr jd = (i / Cs) * Cs + jj;
        RDom rkd(0, K, "rk");
        if (param_or("causal_diag", 0) != 0) rkd.where(jj <= i % Cs);
        attn_diag(jj, i, c, h, b) = 0.0f;
        attn_diag(jj, i, c, h, b) += scale * q_pad(rkd, tc, h, b) * k_pad(rkd, c * C + jd, h, b) *
                                     exp(min(gcum(rkd, i, c, h, b) - gcum(rkd, jd, c, h, b), 0.0f));

        attn(j, i, c, h, b) = select(j / Cs < i / Cs, attn_off(j, i, c, h, b),
                                     j <= i && j / Cs == i / Cs, attn_diag(j % Cs, i, c, h, b), 0.0f);
        o_intra(vd, i, c, h, b) = 0.0f;
        o_intra(vd, i, c, h, b) += attn(rj, i, c, h, b) * v_pad(vd, c * C + rj, h, b);

        o(vd, h, t, b) = o_inter(vd, t % C, t / C, h, b) + o_intra(vd, t % C, t / C, h, b);
        final_state(vd, kd, h, b) = state(vd, kd, nc, h, b);

        set_estimates();
    }

    void schedule() {
        std::vector<Func> funcs{q_pad,   st.k_pad,   st.v_pad, st.g_pad,   init,      st.gcum,   st.glast,
                                q_inter, st.k_state, q_sub,    k_sub,      st.kv,     st.state,  o_inter,
                                attn_off, attn_diag, attn,     o_intra,    o,         final_state};
        if (gref.defined()) funcs.insert(funcs.end(), {gref, q_local, ref_decay});
        apply_schedule(funcs);
    }

protected:
    // Names a schedule's `specialize` conditions may use (MIXERS.md's shape letters).
    std::map<std::string, Expr> shape_symbols() override {
        return {{"B", q.dim(3).extent()}, {"T", q.dim(2).extent()}, {"H", q.dim(1).extent()},
                {"K", q.dim(0).extent()}, {"V", v.dim(0).extent()}};
    }

private:
    void set_estimates() {
        for (auto *in : {&q, &k, &v, &g}) {
            (*in).set_estimates({{0, 64}, {0, 8}, {0, 4096}, {0, 1}});
        }
        initial_state.set_estimates({{0, 64}, {0, 64}, {0, 8}, {0, 1}});
        scale.set_estimate(0.125f);
        o.set_estimates({{0, 64}, {0, 8}, {0, 4096}, {0, 1}});
        final_state.set_estimates({{0, 64}, {0, 64}, {0, 8}, {0, 1}});
    }
};

class GlaState : public ScheduledGenerator<GlaState> {
public:
    Input<Buffer<float, 4>> k{"k"};                       // (kd, h, t, b)
    Input<Buffer<float, 4>> v{"v"};                       // (vd, h, t, b)
    Input<Buffer<float, 4>> g{"g"};                       // (kd, h, t, b), log gates <= 0
    Output<Buffer<float, 4>> final_state{"final_state"};  // (vd, kd, h, b)
    Output<Buffer<float, 3>> decay{"decay"};              // (kd, h, b)

    Var kd{"kd"}, vd{"vd"}, h{"h"}, b{"b"};
    GlaStateSide st;
    Func init{"init"}, gsum{"gsum"};

    void generate() {
        load_schedule("gla_state");
        const int C = param("chunk");
        init(vd, kd, h, b) = 0.0f;
        st.define(k, v, g, init, C);
        final_state(vd, kd, h, b) = st.state(vd, kd, st.nc, h, b);
        // The slice's total log-gate, chunk totals summed (padding adds g = 0).
        RDom rc(0, st.nc, "rc");
        gsum(kd, h, b) = 0.0f;
        gsum(kd, h, b) += st.glast(kd, rc, h, b);
        decay(kd, h, b) = exp(gsum(kd, h, b));

        for (auto *in : {&k, &v, &g}) (*in).set_estimates({{0, 64}, {0, 8}, {0, 4096}, {0, 1}});
        final_state.set_estimates({{0, 64}, {0, 64}, {0, 8}, {0, 1}});
        decay.set_estimates({{0, 64}, {0, 8}, {0, 1}});
    }

    void schedule() {
        apply_schedule({st.k_pad, st.v_pad, st.g_pad, init, st.gcum, st.glast, st.k_state, st.kv, st.state, gsum,
                        final_state, decay});
    }

protected:
    std::map<std::string, Expr> shape_symbols() override {
        return {{"B", k.dim(3).extent()}, {"T", k.dim(2).extent()}, {"H", k.dim(1).extent()},
                {"K", k.dim(0).extent()}, {"V", v.dim(0).extent()}};
    }
};

class GlaStep : public ScheduledGenerator<GlaStep> {
public:
    Input<Buffer<float, 3>> q{"q"};          // (kd, h, b)
    Input<Buffer<float, 3>> k{"k"};          // (kd, h, b)
    Input<Buffer<float, 3>> v{"v"};          // (vd, h, b)
    Input<Buffer<float, 3>> g{"g"};          // (kd, h, b)
    Input<Buffer<float, 4>> state{"state"};  // (vd, kd, h, b)
    Input<float> scale{"scale"};
    Output<Buffer<float, 3>> o{"o"};                  // (vd, h, b)
    Output<Buffer<float, 4>> new_state{"new_state"};  // (vd, kd, h, b)

    Var kd{"kd"}, vd{"vd"}, h{"h"}, b{"b"};
    // decay: a Func of its own so that a kernel owning a (h, b) can take its K exps once instead of
    // once per state element.
    Func decay{"decay"}, updated{"updated"}, o_sum{"o_sum"};

    void generate() {
        load_schedule("gla_step");
        Expr K = q.dim(0).extent();
        decay(kd, h, b) = exp(g(kd, h, b));
        updated(vd, kd, h, b) = decay(kd, h, b) * state(vd, kd, h, b) + k(kd, h, b) * v(vd, h, b);
        RDom rk(0, K, "rk");
        o_sum(vd, h, b) = 0.0f;
        o_sum(vd, h, b) += q(rk, h, b) * updated(vd, rk, h, b);
        o(vd, h, b) = scale * o_sum(vd, h, b);
        new_state(vd, kd, h, b) = updated(vd, kd, h, b);

        for (auto *in : {&q, &k, &g}) (*in).set_estimates({{0, 64}, {0, 8}, {0, 64}});
        v.set_estimates({{0, 64}, {0, 8}, {0, 64}});
        state.set_estimates({{0, 64}, {0, 64}, {0, 8}, {0, 64}});
        scale.set_estimate(0.125f);
        o.set_estimates({{0, 64}, {0, 8}, {0, 64}});
        new_state.set_estimates({{0, 64}, {0, 64}, {0, 8}, {0, 64}});
    }

    void schedule() {
        apply_schedule({decay, updated, o_sum, o, new_state});
    }

protected:
    std::map<std::string, Expr> shape_symbols() override {
        return {{"B", q.dim(2).extent()}, {"H", q.dim(1).extent()}, {"K", q.dim(0).extent()},
                {"V", v.dim(0).extent()}};
    }
};

}  // namespace
}  // namespace seqmix

HALIDE_REGISTER_GENERATOR(seqmix::Gla, gla)
HALIDE_REGISTER_GENERATOR(seqmix::GlaStep, gla_step)
HALIDE_REGISTER_GENERATOR(seqmix::GlaState, gla_state)
