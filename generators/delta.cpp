// The delta-rule mixers and RWKV-7 (MIXERS.md, "Linear recurrences"): five diagonal-plus-rank-one
// recurrences, each a thin Generator that maps its inputs onto common/dplr.h's
//   S_t = Diag(exp(g_t)) S_{t-1} + alpha_t (a_t^T S_{t-1}) + k_t vin_t^T,   o_t = scale * S_t^T q_t
// and calls the shared chunked (WY / UT transform) or step block:
//   delta_rule         S_t = (I - beta k k^T) S + beta k v^T:         g = 0, alpha = k, a = -beta k, vin = beta v
//   gated_delta_rule   S_t = exp(g) (I - beta k k^T) S + beta k v^T:  scalar g, a = -beta exp(g) k
//   kda                S_t = (I - beta k k^T) Diag(exp(g)) S + ...:   g per channel, a = -beta exp(g) * k
//   gated_delta_rule2  S_t = (I - k (b*k)^T) D S + k (w*v)^T:         a = -exp(g) * b * k, vin = w * v
//   rwkv7              S_t = Diag(exp(w)) S + b (a^T S) + k v^T:      q = r, g = w, alpha = b, vin = v
// (the a of the gated forms includes this token's decay, since a_t^T reads the decayed state:
// a_t^T D_t S = (D_t a_t)^T S). The delta-rule four take `qk_l2norm` (fla's
// use_qk_l2norm_in_kernel: q and k divided by sqrt(sum x^2 + 1e-6) inside the kernel; stages
// q_ss, k_ss). Scale: 1/sqrt(K) by default for the delta rules, 1 for RWKV-7 (set by the runtime).
//
// Halide orders dimensions innermost first: q [B,T,H,K] is q(kd, h, t, b), beta [B,T,H] is
// beta(h, t, b), a state [B,H,K,V] is state(vd, kd, h, b). The blocks read every input as a Func
// of (x, t, h, b) (step: (x, h, b)).
#include "common/dplr.h"
#include "common/scheduled_generator.h"

namespace seqmix {
namespace {

using namespace Halide;

// A [B,T,H,X] input as f(x, t, h, b); a [B,T,H] one as f(x, t, h, b) constant over x.
template<typename In>
Func seq(const In &in, const std::string &name) {
    Var x("kd"), t("t"), h("h"), b("b");
    Func f(name);
    f(x, t, h, b) = in(x, h, t, b);
    return f;
}
template<typename In>
Func seq_scalar(const In &in, const std::string &name) {
    Var x("kd"), t("t"), h("h"), b("b");
    Func f(name);
    f(x, t, h, b) = in(h, t, b);
    return f;
}
// Step inputs: [B,H,X] is already (x, h, b); [B,H] becomes f(x, h, b) constant over x.
template<typename In>
Func tok(const In &in, const std::string &name) {
    Var x("kd"), h("h"), b("b");
    Func f(name);
    f(x, h, b) = in(x, h, b);
    return f;
}
template<typename In>
Func tok_scalar(const In &in, const std::string &name) {
    Var x("kd"), h("h"), b("b");
    Func f(name);
    f(x, h, b) = in(h, b);
    return f;
}

// Which delta-rule mixer a generator is: how g, a and vin come from its inputs.
enum class Kind { delta_rule, gated_delta_rule, kda, gated_delta_rule2 };

const char *name_of(Kind kind) {
    switch (kind) {
    case Kind::delta_rule: return "delta_rule";
    case Kind::gated_delta_rule: return "gated_delta_rule";
    case Kind::kda: return "kda";
    case Kind::gated_delta_rule2: return "gated_delta_rule2";
    }
    return "";
}

// The delta-rule recurrence of `kind` from (x, t, h, b) Funcs (chunked) or (x, h, b) Funcs (step):
// qn, kn already normalised when asked; g per channel (kda, gated_delta_rule2), per token
// (gated_delta_rule) or absent (delta_rule); beta per token; b per channel and w per value channel
// (gated_delta_rule2 only).
dplr::Recurrence delta_recurrence(Kind kind, const Func &qn, const Func &kn, const Func &v, const Func &g,
                                  const Func &beta, const Func &erase, const Func &write, const std::vector<Var> &at) {
    dplr::Recurrence r;
    r.q = qn;
    r.k = kn;
    r.alpha = kn;
    r.alpha_is_k = true;
    r.scalar_decay = kind == Kind::delta_rule || kind == Kind::gated_delta_rule;
    r.a = Func("a_in");
    r.vin = Func("vin_in");
    r.g = Func("g_in");
    std::vector<Expr> x(at.begin(), at.end());
    Var vd("vd");
    std::vector<Expr> xv = x;
    xv[0] = vd;
    std::vector<Var> lhs_v = at;
    lhs_v[0] = vd;
    switch (kind) {
    case Kind::delta_rule:
        r.g(at) = 0.0f;
        r.a(at) = -beta(x) * kn(x);
        r.vin(lhs_v) = beta(xv) * v(xv);
        break;
    case Kind::gated_delta_rule:
    case Kind::kda:
        r.g(at) = g(x);
        r.a(at) = -beta(x) * exp(g(x)) * kn(x);
        r.vin(lhs_v) = beta(xv) * v(xv);
        break;
    case Kind::gated_delta_rule2:
        r.g(at) = g(x);
        r.a(at) = -exp(g(x)) * erase(x) * kn(x);
        r.vin(lhs_v) = write(xv) * v(xv);
        break;
    }
    return r;
}

// Estimates: B=1, T=4096, H=8, K=V=64 (chunked); B=64 (step).
template<typename In>
void estimate_seq(In &in, int x) {
    in.set_estimates({{0, x}, {0, 8}, {0, 4096}, {0, 1}});
}
template<typename In>
void estimate_tok(In &in, int x) {
    in.set_estimates({{0, x}, {0, 8}, {0, 64}});
}

// ---- chunked delta-rule mixers ---------------------------------------------------------------
// Inputs in the runtime's order: q, k, v, then g (gated_delta_rule: [B,T,H]; kda,
// gated_delta_rule2: [B,T,H,K]), beta [B,T,H] (not gated_delta_rule2), b [B,T,H,K] and
// w [B,T,H,V] (gated_delta_rule2), initial_state, scale, qk_l2norm.
template<Kind kind>
class DeltaChunked : public ScheduledGenerator<DeltaChunked<kind>> {
    static constexpr bool has_g = kind != Kind::delta_rule;
    static constexpr bool g_per_channel = kind == Kind::kda || kind == Kind::gated_delta_rule2;
    static constexpr bool has_beta = kind != Kind::gated_delta_rule2;
    static constexpr bool has_bw = kind == Kind::gated_delta_rule2;
    template<typename T>
    using Input = Halide::GeneratorInput<T>;
    template<typename T>
    using Output = Halide::GeneratorOutput<T>;
    using Base = ScheduledGenerator<DeltaChunked<kind>>;

public:
    // Inputs are added in configure(), in the runtime's order, only those this mixer has.
    Input<Buffer<float, 4>> *q = nullptr, *k = nullptr, *v = nullptr, *initial_state = nullptr;
    Input<Buffer<float>> *g = nullptr, *beta = nullptr, *erase = nullptr, *write = nullptr;
    Input<float> *scale = nullptr;
    Input<bool> *qk_l2norm = nullptr;
    Output<Buffer<float, 4>> o{"o"};                      // (vd, h, t, b)
    Output<Buffer<float, 4>> final_state{"final_state"};  // (vd, kd, h, b)

    dplr::Chunked blk;
    Func q_ss{"q_ss"}, k_ss{"k_ss"};

    void configure() {
        q = this->template add_input<Buffer<float, 4>>("q");  // (kd, h, t, b)
        k = this->template add_input<Buffer<float, 4>>("k");  // (kd, h, t, b)
        v = this->template add_input<Buffer<float, 4>>("v");  // (vd, h, t, b)
        if (has_g) g = this->template add_input<Buffer<float>>("g", g_per_channel ? 4 : 3);
        if (has_beta) beta = this->template add_input<Buffer<float>>("beta", 3);  // (h, t, b)
        if (has_bw) {
            erase = this->template add_input<Buffer<float>>("b", 4);  // (kd, h, t, b)
            write = this->template add_input<Buffer<float>>("w", 4);  // (vd, h, t, b)
        }
        initial_state = this->template add_input<Buffer<float, 4>>("initial_state");  // (vd, kd, h, b)
        scale = this->template add_input<float>("scale");
        qk_l2norm = this->template add_input<bool>("qk_l2norm");
    }

    void generate() {
        // The per-channel-decay members split their C x C products into sub-chunks (stages the
        // scalar-decay members lack), so their CPU schedules are a family of their own.
        if (g_per_channel) {
            this->load_schedule(name_of(kind), {"dplr_channel", "dplr"});
        } else {
            this->load_schedule(name_of(kind), {"dplr"});
        }
        auto &q = *this->q, &k = *this->k, &v = *this->v, &initial_state = *this->initial_state;
        Expr scale = *this->scale, qk_l2norm = *this->qk_l2norm;
        const int C = this->param("chunk");
        Var t("t"), h("h"), bb("b");
        Expr K = q.dim(0).extent(), T = q.dim(2).extent();
        Func qn = dplr::l2_normalised(q_ss, "q_ss_n", seq(q, "q_in"), K, qk_l2norm, {t, h, bb});
        Func kn = dplr::l2_normalised(k_ss, "k_ss_n", seq(k, "k_in"), K, qk_l2norm, {t, h, bb});
        Func gf, betaf, ef, wf;
        if constexpr (has_g) gf = g_per_channel ? seq(*g, "g_seq") : seq_scalar(*g, "g_seq");
        if constexpr (has_beta) betaf = seq_scalar(*beta, "beta_seq");
        if constexpr (has_bw) {
            ef = seq(*erase, "b_seq");
            wf = seq(*write, "w_seq");
        }
        dplr::Recurrence r = delta_recurrence(kind, qn, kn, seq(v, "v_in"), gf, betaf, ef, wf,
                                              {Var("kd"), t, h, bb});
        blk.define(r, initial_state, scale, T, K, C,
                   dplr::options([&](const char *n, int d) { return this->param_or(n, d); }));
        Var vd("vd"), kd("kd");
        o(vd, h, t, bb) = blk.o_at(vd, h, t, bb);
        final_state(vd, kd, h, bb) = blk.final_state_at(vd, kd, h, bb);

        estimate_seq(q, 64);
        estimate_seq(k, 64);
        estimate_seq(v, 64);
        if constexpr (has_g) {
            if (g_per_channel) {
                g->set_estimates({{0, 64}, {0, 8}, {0, 4096}, {0, 1}});
            } else {
                g->set_estimates({{0, 8}, {0, 4096}, {0, 1}});
            }
        }
        if constexpr (has_beta) beta->set_estimates({{0, 8}, {0, 4096}, {0, 1}});
        if constexpr (has_bw) {
            estimate_seq(*erase, 64);
            estimate_seq(*write, 64);
        }
        initial_state.set_estimates({{0, 64}, {0, 64}, {0, 8}, {0, 1}});
        this->scale->set_estimate(0.125f);
        this->qk_l2norm->set_estimate(false);
        o.set_estimates({{0, 64}, {0, 8}, {0, 4096}, {0, 1}});
        final_state.set_estimates({{0, 64}, {0, 64}, {0, 8}, {0, 1}});
    }

    void schedule() {
        std::vector<Func> fs = blk.funcs();
        fs.insert(fs.end(), {q_ss, k_ss, o, final_state});
        this->apply_schedule(fs);
    }

protected:
    std::map<std::string, Expr> shape_symbols() override {
        return {{"B", q->dim(3).extent()}, {"T", q->dim(2).extent()}, {"H", q->dim(1).extent()},
                {"K", q->dim(0).extent()}, {"V", v->dim(0).extent()}};
    }
};

// ---- step delta-rule mixers ------------------------------------------------------------------
// One token: q, k [B,H,K], v [B,H,V], g ([B,H] or [B,H,K]), beta [B,H], b [B,H,K], w [B,H,V],
// state [B,H,K,V], scale, qk_l2norm -> o [B,H,V], new_state [B,H,K,V].
template<Kind kind>
class DeltaStep : public ScheduledGenerator<DeltaStep<kind>> {
    static constexpr bool has_g = kind != Kind::delta_rule;
    static constexpr bool g_per_channel = kind == Kind::kda || kind == Kind::gated_delta_rule2;
    static constexpr bool has_beta = kind != Kind::gated_delta_rule2;
    static constexpr bool has_bw = kind == Kind::gated_delta_rule2;
    template<typename T>
    using Input = Halide::GeneratorInput<T>;
    template<typename T>
    using Output = Halide::GeneratorOutput<T>;

public:
    Input<Buffer<float, 3>> *q = nullptr, *k = nullptr, *v = nullptr;
    Input<Buffer<float>> *g = nullptr, *beta = nullptr, *erase = nullptr, *write = nullptr;
    Input<Buffer<float, 4>> *state = nullptr;
    Input<float> *scale = nullptr;
    Input<bool> *qk_l2norm = nullptr;
    Output<Buffer<float, 3>> o{"o"};                  // (vd, h, b)
    Output<Buffer<float, 4>> new_state{"new_state"};  // (vd, kd, h, b)

    dplr::Step blk;
    Func q_ss{"q_ss"}, k_ss{"k_ss"};

    void configure() {
        q = this->template add_input<Buffer<float, 3>>("q");  // (kd, h, b)
        k = this->template add_input<Buffer<float, 3>>("k");
        v = this->template add_input<Buffer<float, 3>>("v");  // (vd, h, b)
        if (has_g) g = this->template add_input<Buffer<float>>("g", g_per_channel ? 3 : 2);
        if (has_beta) beta = this->template add_input<Buffer<float>>("beta", 2);  // (h, b)
        if (has_bw) {
            erase = this->template add_input<Buffer<float>>("b", 3);
            write = this->template add_input<Buffer<float>>("w", 3);
        }
        state = this->template add_input<Buffer<float, 4>>("state");  // (vd, kd, h, b)
        scale = this->template add_input<float>("scale");
        qk_l2norm = this->template add_input<bool>("qk_l2norm");
    }

    void generate() {
        this->load_schedule(std::string(name_of(kind)) + "_step", {"dplr_step"});
        auto &q = *this->q, &k = *this->k, &v = *this->v;
        auto &state = *this->state;
        Expr scale = *this->scale, qk_l2norm = *this->qk_l2norm;
        Var h("h"), bb("b"), vd("vd"), kd("kd");
        Expr K = q.dim(0).extent();
        Func qn = dplr::l2_normalised(q_ss, "q_ss_n", tok(q, "q_in"), K, qk_l2norm, {h, bb});
        Func kn = dplr::l2_normalised(k_ss, "k_ss_n", tok(k, "k_in"), K, qk_l2norm, {h, bb});
        Func gf, betaf, ef, wf;
        if constexpr (has_g) gf = g_per_channel ? tok(*g, "g_tok") : tok_scalar(*g, "g_tok");
        if constexpr (has_beta) betaf = tok_scalar(*beta, "beta_tok");
        if constexpr (has_bw) {
            ef = tok(*erase, "b_tok");
            wf = tok(*write, "w_tok");
        }
        dplr::Recurrence r = delta_recurrence(kind, qn, kn, tok(v, "v_in"), gf, betaf, ef, wf, {kd, h, bb});
        Func st("state_in");
        st(vd, kd, h, bb) = state(vd, kd, h, bb);
        blk.define(r, st, K);
        o(vd, h, bb) = scale * blk.o_sum(vd, h, bb);
        new_state(vd, kd, h, bb) = blk.updated(vd, kd, h, bb);

        estimate_tok(q, 64);
        estimate_tok(k, 64);
        estimate_tok(v, 64);
        if constexpr (has_g) {
            if (g_per_channel) {
                estimate_tok(*g, 64);
            } else {
                g->set_estimates({{0, 8}, {0, 64}});
            }
        }
        if constexpr (has_beta) beta->set_estimates({{0, 8}, {0, 64}});
        if constexpr (has_bw) {
            estimate_tok(*erase, 64);
            estimate_tok(*write, 64);
        }
        state.set_estimates({{0, 64}, {0, 64}, {0, 8}, {0, 64}});
        this->scale->set_estimate(0.125f);
        this->qk_l2norm->set_estimate(false);
        o.set_estimates({{0, 64}, {0, 8}, {0, 64}});
        new_state.set_estimates({{0, 64}, {0, 64}, {0, 8}, {0, 64}});
    }

    void schedule() {
        std::vector<Func> fs = blk.funcs();
        fs.insert(fs.end(), {q_ss, k_ss, o, new_state});
        this->apply_schedule(fs);
    }

protected:
    std::map<std::string, Expr> shape_symbols() override {
        return {{"B", q->dim(2).extent()}, {"H", q->dim(1).extent()}, {"K", q->dim(0).extent()},
                {"V", v->dim(0).extent()}};
    }
};

// ---- RWKV-7 ----------------------------------------------------------------------------------
// r, w, k [B,T,H,K], v [B,T,H,V], a, b [B,T,H,K], initial_state, scale -> o, final_state.
class Rwkv7 : public ScheduledGenerator<Rwkv7> {
public:
    Input<Buffer<float, 4>> r{"r"};  // (kd, h, t, b)
    Input<Buffer<float, 4>> w{"w"};  // (kd, h, t, b), log decay < 0
    Input<Buffer<float, 4>> k{"k"};
    Input<Buffer<float, 4>> v{"v"};  // (vd, h, t, b)
    Input<Buffer<float, 4>> a{"a"};
    Input<Buffer<float, 4>> bgate{"b"};
    Input<Buffer<float, 4>> initial_state{"initial_state"};
    Input<float> scale{"scale"};
    Output<Buffer<float, 4>> o{"o"};
    Output<Buffer<float, 4>> final_state{"final_state"};

    dplr::Chunked blk;

    void generate() {
        load_schedule("rwkv7");
        const int C = param("chunk");
        Var t("t"), h("h"), bb("b"), vd("vd"), kd("kd");
        Expr K = r.dim(0).extent(), T = r.dim(2).extent();
        dplr::Recurrence rec;
        rec.q = seq(r, "r_in");
        rec.k = seq(k, "k_in");
        rec.alpha = seq(bgate, "b_in");
        rec.a = seq(a, "a_in");
        rec.vin = seq(v, "v_in");
        rec.g = seq(w, "w_in");
        blk.define(rec, initial_state, scale, T, K, C,
                   dplr::options([&](const char *n, int d) { return param_or(n, d); }));
        o(vd, h, t, bb) = blk.o_at(vd, h, t, bb);
        final_state(vd, kd, h, bb) = blk.final_state_at(vd, kd, h, bb);

        for (auto *in : {&r, &w, &k, &v, &a, &bgate}) estimate_seq(*in, 64);
        initial_state.set_estimates({{0, 64}, {0, 64}, {0, 8}, {0, 1}});
        scale.set_estimate(1.0f);
        o.set_estimates({{0, 64}, {0, 8}, {0, 4096}, {0, 1}});
        final_state.set_estimates({{0, 64}, {0, 64}, {0, 8}, {0, 1}});
    }

    void schedule() {
        std::vector<Func> fs = blk.funcs();
        fs.insert(fs.end(), {o, final_state});
        apply_schedule(fs);
    }

protected:
    std::map<std::string, Expr> shape_symbols() override {
        return {{"B", r.dim(3).extent()}, {"T", r.dim(2).extent()}, {"H", r.dim(1).extent()},
                {"K", r.dim(0).extent()}, {"V", v.dim(0).extent()}};
    }
};

class Rwkv7Step : public ScheduledGenerator<Rwkv7Step> {
public:
    Input<Buffer<float, 3>> r{"r"};  // (kd, h, b)
    Input<Buffer<float, 3>> w{"w"};
    Input<Buffer<float, 3>> k{"k"};
    Input<Buffer<float, 3>> v{"v"};  // (vd, h, b)
    Input<Buffer<float, 3>> a{"a"};
    Input<Buffer<float, 3>> bgate{"b"};
    Input<Buffer<float, 4>> state{"state"};  // (vd, kd, h, b)
    Input<float> scale{"scale"};
    Output<Buffer<float, 3>> o{"o"};
    Output<Buffer<float, 4>> new_state{"new_state"};

    dplr::Step blk;

    void generate() {
        load_schedule("rwkv7_step");
        Var h("h"), bb("b"), vd("vd"), kd("kd");
        dplr::Recurrence rec;
        rec.q = tok(r, "r_in");
        rec.k = tok(k, "k_in");
        rec.alpha = tok(bgate, "b_in");
        rec.a = tok(a, "a_in");
        rec.vin = tok(v, "v_in");
        rec.g = tok(w, "w_in");
        Func st("state_in");
        st(vd, kd, h, bb) = state(vd, kd, h, bb);
        blk.define(rec, st, r.dim(0).extent());
        o(vd, h, bb) = scale * blk.o_sum(vd, h, bb);
        new_state(vd, kd, h, bb) = blk.updated(vd, kd, h, bb);

        for (auto *in : {&r, &w, &k, &v, &a, &bgate}) estimate_tok(*in, 64);
        state.set_estimates({{0, 64}, {0, 64}, {0, 8}, {0, 64}});
        scale.set_estimate(1.0f);
        o.set_estimates({{0, 64}, {0, 8}, {0, 64}});
        new_state.set_estimates({{0, 64}, {0, 64}, {0, 8}, {0, 64}});
    }

    void schedule() {
        std::vector<Func> fs = blk.funcs();
        fs.insert(fs.end(), {o, new_state});
        apply_schedule(fs);
    }

protected:
    std::map<std::string, Expr> shape_symbols() override {
        return {{"B", r.dim(2).extent()}, {"H", r.dim(1).extent()}, {"K", r.dim(0).extent()},
                {"V", v.dim(0).extent()}};
    }
};

using DeltaRule = DeltaChunked<Kind::delta_rule>;
using GatedDeltaRule = DeltaChunked<Kind::gated_delta_rule>;
using Kda = DeltaChunked<Kind::kda>;
using GatedDeltaRule2 = DeltaChunked<Kind::gated_delta_rule2>;
using DeltaRuleStep = DeltaStep<Kind::delta_rule>;
using GatedDeltaRuleStep = DeltaStep<Kind::gated_delta_rule>;
using KdaStep = DeltaStep<Kind::kda>;
using GatedDeltaRule2Step = DeltaStep<Kind::gated_delta_rule2>;

}  // namespace
}  // namespace seqmix

HALIDE_REGISTER_GENERATOR(seqmix::DeltaRule, delta_rule)
HALIDE_REGISTER_GENERATOR(seqmix::GatedDeltaRule, gated_delta_rule)
HALIDE_REGISTER_GENERATOR(seqmix::Kda, kda)
HALIDE_REGISTER_GENERATOR(seqmix::GatedDeltaRule2, gated_delta_rule2)
HALIDE_REGISTER_GENERATOR(seqmix::Rwkv7, rwkv7)
HALIDE_REGISTER_GENERATOR(seqmix::DeltaRuleStep, delta_rule_step)
HALIDE_REGISTER_GENERATOR(seqmix::GatedDeltaRuleStep, gated_delta_rule_step)
HALIDE_REGISTER_GENERATOR(seqmix::KdaStep, kda_step)
HALIDE_REGISTER_GENERATOR(seqmix::GatedDeltaRule2Step, gated_delta_rule2_step)
HALIDE_REGISTER_GENERATOR(seqmix::Rwkv7Step, rwkv7_step)
