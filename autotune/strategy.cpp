#include "strategy.h"

#include <algorithm>
#include <numeric>
#include <stdexcept>

namespace seqmix::tune {

void Strategy::notify_results(const std::vector<std::pair<Point, double>> &results) {
    for (const auto &r : results) {
        seen_.insert(r.first);
        measured_.push_back(r);
    }
}

std::vector<Point> Strategy::random_fill(std::vector<Point> &out, size_t n) {
    for (int misses = 0; out.size() < n && misses < 2000;) {
        Point p = space_.sample(rng_);
        if (seen(p)) {
            misses++;  // 2000 draws in a row that were all seen: the space is (nearly) done
            continue;
        }
        seen_.insert(p);
        out.push_back(p);
    }
    if (out.empty()) exhausted_ = true;
    return out;
}

namespace {

class GridStrategy : public Strategy {
public:
    GridStrategy(const SearchSpace &s, uint64_t seed) : Strategy(s, seed), all_(s.enumerate(100000)) {}
    std::vector<Point> generate_candidates(size_t n) override {
        std::vector<Point> out;
        while (out.size() < n && next_ < all_.size()) {
            const Point &p = all_[next_++];
            if (!seen(p)) {
                seen_.insert(p);
                out.push_back(p);
            }
        }
        exhausted_ = next_ >= all_.size();
        return out;
    }

private:
    std::vector<Point> all_;
    size_t next_ = 0;
};

class RandomStrategy : public Strategy {
public:
    RandomStrategy(const SearchSpace &s, uint64_t seed) : Strategy(s, seed) {}
    std::vector<Point> generate_candidates(size_t n) override {
        std::vector<Point> out;
        return random_fill(out, n);
    }
};

class EvolutionaryStrategy : public Strategy {
public:
    EvolutionaryStrategy(const SearchSpace &s, uint64_t seed) : Strategy(s, seed) {}

    std::vector<Point> generate_candidates(size_t n) override {
        std::vector<std::pair<Point, double>> ok;
        for (const auto &m : measured_) {
            if (m.second < kFailed) ok.push_back(m);
        }
        std::vector<Point> out;
        if (!model_.trained()) return random_fill(out, n);
        std::sort(ok.begin(), ok.end(), [](const auto &a, const auto &b) { return a.second < b.second; });
        const size_t n_parents = std::min<size_t>(ok.size(), 8);
        // Breed a pool of unseen children from the best measured points.
        std::set<Point> pool;
        for (int i = 0; i < 64 * static_cast<int>(n) && pool.size() < 256; i++) {
            const Point &a = ok[std::uniform_int_distribution<size_t>(0, n_parents - 1)(rng_)].first;
            Point c = a;
            if (std::uniform_int_distribution<int>(0, 2)(rng_) == 0) {
                const Point &b = ok[std::uniform_int_distribution<size_t>(0, n_parents - 1)(rng_)].first;
                c = space_.crossover(a, b, rng_);
            }
            const int steps = std::uniform_int_distribution<int>(1, 2)(rng_);
            for (int s = 0; s < steps; s++) c = space_.mutate(c, rng_);
            if (!seen(c)) pool.insert(c);
        }
        // Plus random points, so an unexplored region can win on the model's prediction too.
        for (int i = 0; i < 64; i++) {
            Point p = space_.sample(rng_);
            if (!seen(p)) pool.insert(p);
        }
        std::vector<Point> cand(pool.begin(), pool.end());
        std::vector<std::vector<float>> x;
        for (const auto &p : cand) x.push_back(space_.features(p));
        const std::vector<float> score = model_.predict(x);
        std::vector<size_t> order(cand.size());
        std::iota(order.begin(), order.end(), 0);
        std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return score[a] < score[b]; });
        // epsilon-greedy: about one proposal in five is random
        const size_t n_model = n - n / 5;
        for (size_t i = 0; i < order.size() && out.size() < n_model; i++) {
            seen_.insert(cand[order[i]]);
            out.push_back(cand[order[i]]);
        }
        return random_fill(out, n);
    }

    void notify_results(const std::vector<std::pair<Point, double>> &results) override {
        Strategy::notify_results(results);
        std::vector<std::vector<float>> x;
        std::vector<double> y;
        for (const auto &m : measured_) {
            if (m.second < kFailed) {
                x.push_back(space_.features(m.first));
                y.push_back(m.second);
            }
        }
        model_.fit(x, y);
    }

private:
    CostModel model_;
};

}  // namespace

std::unique_ptr<Strategy> make_strategy(const std::string &name, const SearchSpace &space, uint64_t seed) {
    if (name == "grid") return std::make_unique<GridStrategy>(space, seed);
    if (name == "random") return std::make_unique<RandomStrategy>(space, seed);
    if (name == "evolutionary") return std::make_unique<EvolutionaryStrategy>(space, seed);
    throw std::invalid_argument("--strategy: '" + name + "' is not one of grid, random, evolutionary");
}

}  // namespace seqmix::tune
