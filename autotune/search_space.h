// The search space of a schedule template: one knob per `param` with a domain (a param without
// one is fixed), constrained by the file's `require`s (TVM's "design space" from the template's
// own words). A point is one value per knob; its candidate text is the template with each
// param's default set to the point's value, domains kept, so a chosen candidate can be shipped as
// the bucket file and is still a template for the next tuning run.
#pragma once

#include <cstdint>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "lang/schedule.h"

namespace seqmix::tune {

using Point = std::vector<int64_t>;  // one value per knob, in the template's param order

struct Knob {
    std::string name;
    std::vector<int64_t> values;  // the domain, ascending; one value for a fixed param
};

class SearchSpace {
public:
    // `fixed` holds the named params at one value of their domain (seqmix-tune --fix): a smaller
    // space, searched more quickly; throws std::invalid_argument for a name or value the
    // template does not have.
    explicit SearchSpace(sched::Schedule tmpl, const std::map<std::string, int64_t> &fixed = {});
    const std::vector<Knob> &knobs() const { return knobs_; }
    const sched::Schedule &schedule() const { return tmpl_; }
    // Every `require` holds.
    bool valid(const Point &p) const;
    // Product of the domain sizes (before requires), saturating at 2^62.
    uint64_t raw_size() const;
    // Every valid point in lexicographic order, at most `limit` (grid search).
    std::vector<Point> enumerate(size_t limit) const;
    Point default_point() const;
    // A uniformly random valid point (rejection sampling; throws if none found in 10000 tries).
    Point sample(std::mt19937_64 &rng) const;
    // One knob moved to a neighbouring value of its domain, or (with probability 1/4) re-drawn.
    Point mutate(const Point &p, std::mt19937_64 &rng) const;
    Point crossover(const Point &a, const Point &b, std::mt19937_64 &rng) const;
    std::map<std::string, int64_t> values(const Point &p) const;
    // "block_s=128,jt=4" (knobs with one value left out).
    std::string describe(const Point &p) const;
    std::string text(const Point &p) const;
    // Cost-model features: log2 of each knob's value.
    std::vector<float> features(const Point &p) const;

private:
    sched::Schedule tmpl_;
    std::vector<Knob> knobs_;
};

}  // namespace seqmix::tune
