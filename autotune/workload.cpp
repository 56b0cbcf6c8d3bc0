#include "workload.h"

#include <cmath>
#include <random>
#include <sstream>
#include <stdexcept>

#include "reference/attention.h"
#include "reference/gla.h"

namespace seqmix::tune {

std::map<std::string, int64_t> parse_assignments(const std::string &text, const std::string &option,
                                                 const std::string &example) {
    std::map<std::string, int64_t> s;
    std::stringstream ss(text);
    std::string part;
    while (std::getline(ss, part, ',')) {
        const auto eq = part.find('=');
        if (eq == std::string::npos || eq == 0) {
            throw std::invalid_argument(option + ": '" + part + "' is not NAME=VALUE (e.g. " + example + ")");
        }
        const std::string name = part.substr(0, eq), value = part.substr(eq + 1);
        size_t used = 0;
        int64_t v = 0;
        try {
            v = std::stoll(value, &used);
        } catch (const std::exception &) {
            used = 0;
        }
        if (used != value.size() || value.empty() || v < 1) {
            throw std::invalid_argument(option + ": " + name + " = '" + value + "' is not a positive integer");
        }
        s[name] = v;
    }
    if (s.empty()) throw std::invalid_argument(option + " is empty (e.g. " + example + ")");
    return s;
}

Shape parse_shape(const std::string &text) {
    return parse_assignments(text, "--shape", "B=4,T=4096,H=16,K=64,V=64");
}

std::string shape_key(const Shape &shape) {
    std::string key;
    auto add = [&](const std::string &n, int64_t v) { key += (key.empty() ? "" : "_") + n + std::to_string(v); };
    const char *order[] = {"B", "T", "S", "H", "K", "V"};
    for (const char *n : order) {
        if (auto it = shape.find(n); it != shape.end()) add(n, it->second);
    }
    for (const auto &[n, v] : shape) {
        bool known = false;
        for (const char *o : order) known |= (n == o);
        if (!known) add(n, v);
    }
    return key;
}

Tensor::Tensor(std::vector<int64_t> shape_rm) : shape(std::move(shape_rm)) {
    int64_t n = 1;
    for (int64_t e : shape) n *= e;
    data.assign(static_cast<size_t>(n), 0.0f);
    dims.resize(shape.size());
    int32_t stride = 1;
    for (size_t i = 0; i < shape.size(); i++) {  // innermost (last row-major) first
        const int64_t e = shape[shape.size() - 1 - i];
        dims[i] = halide_dimension_t(0, static_cast<int32_t>(e), stride);
        stride *= static_cast<int32_t>(e);
    }
    buf.host = reinterpret_cast<uint8_t *>(data.data());
    buf.type = halide_type_t(halide_type_float, 32, 1);
    buf.dimensions = static_cast<int32_t>(dims.size());
    buf.dim = dims.data();
}

std::vector<Tensor *> Kernel::raw(std::vector<std::unique_ptr<Tensor>> &v) {
    std::vector<Tensor *> r;
    for (auto &t : v) r.push_back(t.get());
    return r;
}

Tensor &Kernel::add_input(std::vector<int64_t> shape_rm) {
    inputs_.push_back(std::make_unique<Tensor>(std::move(shape_rm)));
    return *inputs_.back();
}

Tensor &Kernel::add_output(const std::string &name, std::vector<int64_t> shape_rm) {
    outputs_.push_back(std::make_unique<Tensor>(std::move(shape_rm)));
    output_names_.push_back(name);
    return *outputs_.back();
}

std::vector<ErrorStats> Kernel::check(const std::vector<std::vector<double>> &ref) {
    std::vector<ErrorStats> out;
    const double tol = base_tol_ * std::sqrt(static_cast<double>(std::max<int64_t>(reduction_, 64)) / 64.0);
    for (size_t o = 0; o < outputs_.size(); o++) {
        const auto &got = outputs_[o]->data;
        const auto &want = ref.at(o);
        ErrorStats e;
        e.tol_rel_rms = tol;
        double num = 0, den = 0;
        for (size_t i = 0; i < want.size() && i < got.size(); i++) {
            if (!std::isfinite(want[i]) || !std::isfinite(got[i])) {
                if (std::isfinite(want[i]) != std::isfinite(got[i]) || (std::isinf(want[i]) && want[i] != got[i])) {
                    e.nonfinite++;
                }
                continue;
            }
            const double d = got[i] - want[i];
            num += d * d;
            den += want[i] * want[i];
            e.max_abs = std::max(e.max_abs, std::abs(d));
        }
        if (got.size() != want.size()) e.nonfinite += 1;
        e.rel_rms = std::sqrt(num) / std::max(std::sqrt(den), 1e-30);
        out.push_back(e);
    }
    return out;
}

namespace {

int64_t need(const Shape &s, const std::string &mixer, const std::string &sym) {
    auto it = s.find(sym);
    if (it == s.end()) throw std::invalid_argument(mixer + ": --shape needs " + sym + " (have " + shape_key(s) + ")");
    return it->second;
}

std::vector<double> widen(const Tensor &t) {
    return {t.data.begin(), t.data.end()};
}

void fill_normal(Tensor &t, std::mt19937_64 &rng) {
    std::normal_distribution<double> n(0.0, 1.0);
    for (float &x : t.data) x = static_cast<float>(n(rng));
}

// Causal softmax attention (generators/attention.cpp; MIXERS.md "Softmax attention family").
class Attention : public Kernel {
public:
    Attention(const Shape &s, uint64_t seed)
        : B(need(s, "attention", "B")), T(need(s, "attention", "T")), H(need(s, "attention", "H")),
          K(need(s, "attention", "K")), V(need(s, "attention", "V")) {
        S = s.count("S") ? s.at("S") : T;
        Hkv = s.count("Hkv") ? s.at("Hkv") : H;
        std::mt19937_64 rng(seed);
        for (auto *t : {&add_input({B, T, H, K}), &add_input({B, S, Hkv, K}), &add_input({B, S, Hkv, V})}) {
            fill_normal(*t, rng);
        }
        add_output("o", {B, T, H, V});
        add_output("lse", {B, H, T});
        scale = static_cast<float>(1.0 / std::sqrt(static_cast<double>(K)));
        base_tol_ = 2e-5;  // tests/attention_test.cpp
        reduction_ = S;
        // causal: about half of the T x S score matrix, QK^T and PV (MIXERS.md's count)
        flops = 2.0 * B * H * (double(T) * S / 2) * (K + V);
    }
    int call(void *fn, const void *uc) override {
        using F = int(const void *, halide_buffer_t *, halide_buffer_t *, halide_buffer_t *, float, int32_t, int32_t,
                      halide_buffer_t *, halide_buffer_t *);
        auto in = inputs();
        auto out = outputs();
        return reinterpret_cast<F *>(fn)(uc, &in[0]->buf, &in[1]->buf, &in[2]->buf, scale, 1, 0, &out[0]->buf,
                                         &out[1]->buf);
    }
    std::vector<std::vector<double>> reference() const override {
        auto in = const_cast<Attention *>(this)->inputs();
        auto r = ref::attention_ref(widen(*in[0]), widen(*in[1]), widen(*in[2]), B, T, S, H, Hkv, K, V, scale, true, 0);
        return {std::move(r.o), std::move(r.lse)};
    }

private:
    int64_t B, T, S, H, Hkv, K, V;
    float scale;
};

// Gated Linear Attention, chunked (generators/gla.cpp; MIXERS.md "Linear recurrences").
class Gla : public Kernel {
public:
    Gla(const Shape &s, uint64_t seed)
        : B(need(s, "gla", "B")), T(need(s, "gla", "T")), H(need(s, "gla", "H")), K(need(s, "gla", "K")),
          V(need(s, "gla", "V")) {
        std::mt19937_64 rng(seed);
        fill_normal(add_input({B, T, H, K}), rng);
        fill_normal(add_input({B, T, H, K}), rng);
        fill_normal(add_input({B, T, H, V}), rng);
        Tensor &g = add_input({B, T, H, K});
        std::normal_distribution<double> n(0.0, 1.0);
        for (float &x : g.data) {  // log-sigmoid gates (tests/support/random.h, Gates::normal)
            const double u = n(rng);
            x = static_cast<float>(u >= 0 ? -std::log1p(std::exp(-u)) : u - std::log1p(std::exp(u)));
        }
        fill_normal(add_input({B, H, K, V}), rng);
        add_output("o", {B, T, H, V});
        add_output("final_state", {B, H, K, V});
        scale = static_cast<float>(1.0 / std::sqrt(static_cast<double>(K)));
        reduction_ = T;
        // chunked form at chunk 64: intra-chunk QK^T and AV, inter-chunk Q S and the state update
        flops = 2.0 * B * H * T * (64.0 * (K + V) + 2.0 * K * V);
    }
    int call(void *fn, const void *uc) override {
        using F = int(const void *, halide_buffer_t *, halide_buffer_t *, halide_buffer_t *, halide_buffer_t *,
                      halide_buffer_t *, float, halide_buffer_t *, halide_buffer_t *);
        auto in = inputs();
        auto out = outputs();
        return reinterpret_cast<F *>(fn)(uc, &in[0]->buf, &in[1]->buf, &in[2]->buf, &in[3]->buf, &in[4]->buf, scale,
                                         &out[0]->buf, &out[1]->buf);
    }
    std::vector<std::vector<double>> reference() const override {
        auto in = const_cast<Gla *>(this)->inputs();
        auto r = ref::gla_ref(widen(*in[0]), widen(*in[1]), widen(*in[2]), widen(*in[3]), widen(*in[4]), B, T, H, K, V,
                              scale);
        return {std::move(r.o), std::move(r.final_state)};
    }

private:
    int64_t B, T, H, K, V;
    float scale;
};

}  // namespace

std::vector<std::string> tunable_mixers() {
    return {"attention", "gla"};
}

std::unique_ptr<Kernel> make_kernel(const std::string &mixer, const Shape &shape, uint64_t seed) {
    if (mixer == "attention") return std::make_unique<Attention>(shape, seed);
    if (mixer == "gla") return std::make_unique<Gla>(shape, seed);
    std::string known;
    for (const auto &m : tunable_mixers()) known += " " + m;
    throw std::invalid_argument("--mixer: seqmix-tune has no kernel adapter for '" + mixer + "'; it tunes:" + known);
}

}  // namespace seqmix::tune
