// Reproducible random inputs for the kernel tests: fixed seeds, std::mt19937_64, and gates drawn
// as MIXERS.md says (log space, log-sigmoid, pushed towards 1 and towards 0).
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace seqmix::test {

// Every test derives its generator from a fixed seed plus a per-tensor salt, so a failure
// reproduces exactly and adding a tensor to one test does not reshuffle the others.
class Rng {
public:
    explicit Rng(uint64_t seed) : engine_(seed) {}
    // x ~ N(mean, stddev^2), n values.
    std::vector<float> normal(int64_t n, double mean = 0.0, double stddev = 1.0);
    // x ~ U[lo, hi), n values.
    std::vector<float> uniform(int64_t n, double lo, double hi);
    std::mt19937_64 &engine() { return engine_; }

private:
    std::mt19937_64 engine_;
};

// How the log-space gates g (decay = exp(g) in (0, 1]) are drawn.
enum class Gates {
    normal,  // g = logsigmoid(x) / tau, x ~ N(0,1), tau = 1: decay ~0.45 on average
    near1,   // g in [-1e-3, 0]: almost no decay, the state sums ~T rank-one terms
    near0,   // g <= -5 per step: g = -5 - 5|x|, x ~ N(0,1): the state forgets almost at once
};
const char *to_string(Gates gates);
std::vector<float> gates(Rng &rng, int64_t n, Gates kind, double tau = 1.0);

// `rows` rows of n values, each normalised to unit length (delta-rule keys, RWKV-7's kappa).
std::vector<float> unit_rows(Rng &rng, int64_t rows, int64_t n);

// log(sigmoid(x)), computed without overflow for large |x|.
double logsigmoid(double x);

std::vector<double> to_double(const std::vector<float> &x);
// A float64 result rounded to float32 (a reference used as an fp32 kernel input).
std::vector<float> to_float(const std::vector<double> &x);

// A fixed seed derived from a test case's name (FNV-1a): stable across runs, platforms and the
// order in which tests run, and different for every case.
uint64_t seed_of(const std::string &name);

}  // namespace seqmix::test
