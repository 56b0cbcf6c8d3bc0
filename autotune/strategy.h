// Search strategies, in TVM MetaSchedule's protocol: generate_candidates(n) proposes up to n
// points not measured yet, notify_results() tells the strategy what they measured (seconds, or
// infinity for a candidate that failed or was wrong). Grid walks every valid point in order (for
// small spaces); random draws valid points; evolutionary keeps the best measured points as
// parents, breeds many children (mutation, crossover) and proposes those the XGBoost cost
// model ranks fastest, plus a fraction of random ones so the model keeps learning.
#pragma once

#include <limits>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "cost_model.h"
#include "search_space.h"

namespace seqmix::tune {

class Strategy {
public:
    virtual ~Strategy() = default;
    virtual std::vector<Point> generate_candidates(size_t n) = 0;
    virtual void notify_results(const std::vector<std::pair<Point, double>> &results);
    // No unmeasured point left to propose.
    virtual bool exhausted() const { return exhausted_; }

protected:
    explicit Strategy(const SearchSpace &space, uint64_t seed) : space_(space), rng_(seed) {}
    bool seen(const Point &p) const { return seen_.count(p) > 0; }
    // Tops `out` up to n with unseen random points; exhausted when none is left to draw.
    std::vector<Point> random_fill(std::vector<Point> &out, size_t n);
    const SearchSpace &space_;
    std::mt19937_64 rng_;
    std::set<Point> seen_;  // proposed or measured
    std::vector<std::pair<Point, double>> measured_;
    bool exhausted_ = false;
};

// name: grid | random | evolutionary. Throws std::invalid_argument for another name.
std::unique_ptr<Strategy> make_strategy(const std::string &name, const SearchSpace &space, uint64_t seed);

constexpr double kFailed = std::numeric_limits<double>::infinity();

}  // namespace seqmix::tune
