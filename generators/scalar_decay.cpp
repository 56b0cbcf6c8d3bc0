// The scalar-decay linear recurrences (MIXERS.md, "Linear recurrences"), each a thin Generator
// around the shared blocks of common/scalar_decay.h that only says what its log-gate is:
//   linear_attn   S_t = S_{t-1} + k_t v_t^T                      g = 0
//   retention     S_t = gamma_h S_{t-1} + k_t v_t^T              g = log(gamma_h), gamma_h = 1 - 2^(-5-h)
//   simple_gla    S_t = exp(g_t) S_{t-1} + k_t v_t^T             g [B,T,H] (an input, <= 0)
// with o_t = scale * S_t^T q_t, and each one's step form (`<mixer>_step`). All six read the
// schedule families `scalar_decay` and `scalar_decay_step` (one file per target, same stage names),
// unless a target has a file of the mixer's own name.
//
// Halide orders dimensions innermost first: q [B,T,H,K] is q(kd, h, t, b), g [B,T,H] is g(h, t, b),
// a state [B,H,K,V] is state(vd, kd, h, b).
#include "common/scalar_decay.h"
#include "common/scheduled_generator.h"

namespace seqmix {
namespace {

using namespace Halide;

// linear_attn and retention: the gate depends on the head only (Mixer::log_gate(h)).
template<typename Mixer>
class HeadGatedChunked : public ScheduledGenerator<Mixer> {
public:
    GeneratorInput<Buffer<float, 4>> q{"q"};                          // (kd, h, t, b)
    GeneratorInput<Buffer<float, 4>> k{"k"};                          // (kd, h, t, b)
    GeneratorInput<Buffer<float, 4>> v{"v"};                          // (vd, h, t, b)
    GeneratorInput<Buffer<float, 4>> initial_state{"initial_state"};  // (vd, kd, h, b)
    GeneratorInput<float> scale{"scale"};
    GeneratorOutput<Buffer<float, 4>> o{"o"};                      // (vd, h, t, b)
    GeneratorOutput<Buffer<float, 4>> final_state{"final_state"};  // (vd, kd, h, b)

    void generate() {
        this->load_schedule(Mixer::kMixer, {"scalar_decay"});
        Var t("t"), h("h"), b("b");
        Func log_gate("log_gate");
        log_gate(t, h, b) = Mixer::log_gate(h);
        blk_.causal = scalar_decay::Chunked::causal_blocks([&](const char *n, int d) { return this->param_or(n, d); });
        blk_.define(q, k, v, log_gate, initial_state, scale, this->param("chunk"), o, final_state);
        scalar_decay::Chunked::set_estimates(q, k, v, initial_state, o, final_state);
        scale.set_estimate(0.125f);
    }
    void schedule() { this->apply_schedule(blk_.funcs(o, final_state)); }

protected:
    std::map<std::string, Expr> shape_symbols() override {
        return {{"B", q.dim(3).extent()}, {"T", q.dim(2).extent()}, {"H", q.dim(1).extent()},
                {"K", q.dim(0).extent()}, {"V", v.dim(0).extent()}};
    }

private:
    scalar_decay::Chunked blk_;
};

template<typename Mixer>
class HeadGatedStep : public ScheduledGenerator<Mixer> {
public:
    GeneratorInput<Buffer<float, 3>> q{"q"};          // (kd, h, b)
    GeneratorInput<Buffer<float, 3>> k{"k"};          // (kd, h, b)
    GeneratorInput<Buffer<float, 3>> v{"v"};          // (vd, h, b)
    GeneratorInput<Buffer<float, 4>> state{"state"};  // (vd, kd, h, b)
    GeneratorInput<float> scale{"scale"};
    GeneratorOutput<Buffer<float, 3>> o{"o"};                  // (vd, h, b)
    GeneratorOutput<Buffer<float, 4>> new_state{"new_state"};  // (vd, kd, h, b)

    void generate() {
        this->load_schedule(Mixer::kMixer, {"scalar_decay_step"});
        Var h("h"), b("b");
        Func log_gate("log_gate");
        log_gate(h, b) = Mixer::log_gate(h);
        blk_.define(q, k, v, log_gate, state, scale, o, new_state);
        scalar_decay::Step::set_estimates(q, k, v, state, o, new_state);
        scale.set_estimate(0.125f);
    }
    void schedule() { this->apply_schedule(blk_.funcs(o, new_state)); }

protected:
    std::map<std::string, Expr> shape_symbols() override {
        return {{"B", q.dim(2).extent()}, {"H", q.dim(1).extent()}, {"K", q.dim(0).extent()},
                {"V", v.dim(0).extent()}};
    }

private:
    scalar_decay::Step blk_;
};

struct LinearAttnGate {
    static Expr log_gate(const Expr &) { return 0.0f; }
};
struct RetentionGate {
    static Expr log_gate(const Expr &h) { return scalar_decay::retention_log_gamma(h); }
};

class LinearAttn : public HeadGatedChunked<LinearAttn>, public LinearAttnGate {
public:
    static constexpr const char *kMixer = "linear_attn";
};
class LinearAttnStep : public HeadGatedStep<LinearAttnStep>, public LinearAttnGate {
public:
    static constexpr const char *kMixer = "linear_attn_step";
};
class Retention : public HeadGatedChunked<Retention>, public RetentionGate {
public:
    static constexpr const char *kMixer = "retention";
};
class RetentionStep : public HeadGatedStep<RetentionStep>, public RetentionGate {
public:
    static constexpr const char *kMixer = "retention_step";
};

// simple_gla: the gate is the input g.
class SimpleGla : public ScheduledGenerator<SimpleGla> {
public:
    Input<Buffer<float, 4>> q{"q"};                          // (kd, h, t, b)
    Input<Buffer<float, 4>> k{"k"};                          // (kd, h, t, b)
    Input<Buffer<float, 4>> v{"v"};                          // (vd, h, t, b)
    Input<Buffer<float, 3>> g{"g"};                          // (h, t, b), log gates <= 0
    Input<Buffer<float, 4>> initial_state{"initial_state"};  // (vd, kd, h, b)
    Input<float> scale{"scale"};
    Output<Buffer<float, 4>> o{"o"};                      // (vd, h, t, b)
    Output<Buffer<float, 4>> final_state{"final_state"};  // (vd, kd, h, b)

    void generate() {
        load_schedule("simple_gla", {"scalar_decay"});
        Var t("t"), h("h"), b("b");
        Func log_gate("log_gate");
        log_gate(t, h, b) = g(h, t, b);
        blk_.causal = scalar_decay::Chunked::causal_blocks([&](const char *n, int d) { return param_or(n, d); });
        blk_.define(q, k, v, log_gate, initial_state, scale, param("chunk"), o, final_state);
        scalar_decay::Chunked::set_estimates(q, k, v, initial_state, o, final_state);
        g.set_estimates({{0, 8}, {0, 4096}, {0, 1}});
        scale.set_estimate(0.125f);
    }
    void schedule() { apply_schedule(blk_.funcs(o, final_state)); }

protected:
    std::map<std::string, Expr> shape_symbols() override {
        return {{"B", q.dim(3).extent()}, {"T", q.dim(2).extent()}, {"H", q.dim(1).extent()},
                {"K", q.dim(0).extent()}, {"V", v.dim(0).extent()}};
    }

private:
    scalar_decay::Chunked blk_;
};

class SimpleGlaStep : public ScheduledGenerator<SimpleGlaStep> {
public:
    Input<Buffer<float, 3>> q{"q"};          // (kd, h, b)
    Input<Buffer<float, 3>> k{"k"};          // (kd, h, b)
    Input<Buffer<float, 3>> v{"v"};          // (vd, h, b)
    Input<Buffer<float, 2>> g{"g"};          // (h, b)
    Input<Buffer<float, 4>> state{"state"};  // (vd, kd, h, b)
    Input<float> scale{"scale"};
    Output<Buffer<float, 3>> o{"o"};                  // (vd, h, b)
    Output<Buffer<float, 4>> new_state{"new_state"};  // (vd, kd, h, b)

    void generate() {
        load_schedule("simple_gla_step", {"scalar_decay_step"});
        Var h("h"), b("b");
        Func log_gate("log_gate");
        log_gate(h, b) = g(h, b);
        blk_.define(q, k, v, log_gate, state, scale, o, new_state);
        scalar_decay::Step::set_estimates(q, k, v, state, o, new_state);
        g.set_estimates({{0, 8}, {0, 64}});
        scale.set_estimate(0.125f);
    }
    void schedule() { apply_schedule(blk_.funcs(o, new_state)); }

protected:
    std::map<std::string, Expr> shape_symbols() override {
        return {{"B", q.dim(2).extent()}, {"H", q.dim(1).extent()}, {"K", q.dim(0).extent()},
                {"V", v.dim(0).extent()}};
    }

private:
    scalar_decay::Step blk_;
};

}  // namespace
}  // namespace seqmix

HALIDE_REGISTER_GENERATOR(seqmix::LinearAttn, linear_attn)
HALIDE_REGISTER_GENERATOR(seqmix::LinearAttnStep, linear_attn_step)
HALIDE_REGISTER_GENERATOR(seqmix::Retention, retention)
HALIDE_REGISTER_GENERATOR(seqmix::RetentionStep, retention_step)
HALIDE_REGISTER_GENERATOR(seqmix::SimpleGla, simple_gla)
HALIDE_REGISTER_GENERATOR(seqmix::SimpleGlaStep, simple_gla_step)
