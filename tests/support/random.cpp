#include "support/random.h"

#include <cmath>

namespace seqmix::test {

std::vector<float> Rng::normal(int64_t n, double mean, double stddev) {
    std::normal_distribution<double> dist(mean, stddev);
    std::vector<float> out(n);
    for (auto &x : out) {
        x = static_cast<float>(dist(engine_));
    }
    return out;
}

std::vector<float> Rng::uniform(int64_t n, double lo, double hi) {
    std::uniform_real_distribution<double> dist(lo, hi);
    std::vector<float> out(n);
    for (auto &x : out) {
        x = static_cast<float>(dist(engine_));
    }
    return out;
}

std::vector<float> unit_rows(Rng &rng, int64_t rows, int64_t n) {
    std::vector<float> x = rng.normal(rows * n);
    for (int64_t r = 0; r < rows; r++) {
        double ss = 0;
        for (int64_t i = 0; i < n; i++) ss += double(x[r * n + i]) * x[r * n + i];
        for (int64_t i = 0; i < n; i++) x[r * n + i] = float(x[r * n + i] / std::sqrt(ss));
    }
    return x;
}

double logsigmoid(double x) {
    // log(1 / (1 + exp(-x))) = -log1p(exp(-x)) for x >= 0, x - log1p(exp(x)) for x < 0
    return x >= 0 ? -std::log1p(std::exp(-x)) : x - std::log1p(std::exp(x));
}

const char *to_string(Gates gates) {
    switch (gates) {
    case Gates::normal: return "gnormal";
    case Gates::near1: return "gnear1";
    case Gates::near0: return "gnear0";
    }
    return "g?";
}

std::vector<float> gates(Rng &rng, int64_t n, Gates kind, double tau) {
    std::normal_distribution<double> normal(0.0, 1.0);
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    std::vector<float> out(n);
    for (auto &g : out) {
        switch (kind) {
        case Gates::normal: g = static_cast<float>(logsigmoid(normal(rng.engine())) / tau); break;
        case Gates::near1: g = static_cast<float>(-1e-3 * unit(rng.engine())); break;
        case Gates::near0: g = static_cast<float>(-5.0 - 5.0 * std::abs(normal(rng.engine()))); break;
        }
    }
    return out;
}

std::vector<double> to_double(const std::vector<float> &x) {
    return std::vector<double>(x.begin(), x.end());
}

std::vector<float> to_float(const std::vector<double> &x) {
    return std::vector<float>(x.begin(), x.end());
}

uint64_t seed_of(const std::string &name) {
    uint64_t h = 1469598103934665603ull;
    for (unsigned char c : name) {
        h = (h ^ c) * 1099511628211ull;
    }
    return h;
}

}  // namespace seqmix::test
