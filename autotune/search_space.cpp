#include "search_space.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace seqmix::tune {

namespace {

std::vector<int64_t> domain_values(const sched::Param &p) {
    std::vector<int64_t> v;
    switch (p.domain) {
    case sched::Param::Domain::None: v = {p.value}; break;
    case sched::Param::Domain::Set: v = p.set; break;
    case sched::Param::Domain::Range:
        if (p.hi - p.lo > 4096) throw std::invalid_argument("param " + p.name + ": range " + p.domain_str() + " is too large to tune");
        for (int64_t x = p.lo; x <= p.hi; x++) v.push_back(x);
        break;
    case sched::Param::Domain::Pow2:
        for (int64_t x = 1; x <= p.hi && x > 0; x *= 2) {
            if (x >= p.lo) v.push_back(x);
        }
        break;
    }
    std::sort(v.begin(), v.end());
    v.erase(std::unique(v.begin(), v.end()), v.end());
    return v;
}

}  // namespace

SearchSpace::SearchSpace(sched::Schedule tmpl, const std::map<std::string, int64_t> &fixed) : tmpl_(std::move(tmpl)) {
    for (const auto &p : tmpl_.params) knobs_.push_back({p.name, domain_values(p)});
    for (const auto &[name, value] : fixed) {
        auto knob = std::find_if(knobs_.begin(), knobs_.end(), [&](const Knob &k) { return k.name == name; });
        if (knob == knobs_.end()) {
            std::string names;
            for (const auto &k : knobs_) names += (names.empty() ? "" : ", ") + k.name;
            throw std::invalid_argument("--fix: the template has no param '" + name + "' (its params: " +
                                        (names.empty() ? "none" : names) + ")");
        }
        if (std::find(knob->values.begin(), knob->values.end(), value) == knob->values.end()) {
            const auto &p = tmpl_.params[static_cast<size_t>(knob - knobs_.begin())];
            throw std::invalid_argument("--fix: " + name + " = " + std::to_string(value) + " is outside its domain " +
                                        p.domain_str());
        }
        knob->values = {value};
    }
}

std::map<std::string, int64_t> SearchSpace::values(const Point &p) const {
    std::map<std::string, int64_t> m;
    for (size_t i = 0; i < knobs_.size(); i++) m[knobs_[i].name] = p.at(i);
    return m;
}

bool SearchSpace::valid(const Point &p) const {
    const auto syms = values(p);
    for (const auto &r : tmpl_.requires_) {
        try {
            if (sched::evaluate(r.cond, syms) == 0) return false;
        } catch (const sched::Error &) {
            return false;  // e.g. a division by zero at this point
        }
    }
    return true;
}

uint64_t SearchSpace::raw_size() const {
    uint64_t n = 1;
    for (const auto &k : knobs_) n = std::min<uint64_t>(n * k.values.size(), uint64_t{1} << 62);
    return n;
}

std::vector<Point> SearchSpace::enumerate(size_t limit) const {
    std::vector<Point> out;
    std::vector<size_t> idx(knobs_.size(), 0);
    while (out.size() < limit) {
        Point p;
        for (size_t i = 0; i < knobs_.size(); i++) p.push_back(knobs_[i].values[idx[i]]);
        if (valid(p)) out.push_back(p);
        size_t i = knobs_.size();
        while (i > 0) {  // odometer, last knob fastest
            i--;
            if (++idx[i] < knobs_[i].values.size()) break;
            idx[i] = 0;
            if (i == 0) return out;
        }
        if (knobs_.empty()) break;
    }
    return out;
}

Point SearchSpace::default_point() const {
    Point p;
    for (size_t i = 0; i < knobs_.size(); i++) {
        p.push_back(knobs_[i].values.size() == 1 ? knobs_[i].values[0] : tmpl_.params[i].value);
    }
    return p;
}

Point SearchSpace::sample(std::mt19937_64 &rng) const {
    for (int attempt = 0; attempt < 10000; attempt++) {
        Point p;
        for (const auto &k : knobs_) p.push_back(k.values[std::uniform_int_distribution<size_t>(0, k.values.size() - 1)(rng)]);
        if (valid(p)) return p;
    }
    throw std::runtime_error("no point satisfies the template's requires (10000 random draws)");
}

Point SearchSpace::mutate(const Point &p, std::mt19937_64 &rng) const {
    std::vector<size_t> free;
    for (size_t i = 0; i < knobs_.size(); i++) {
        if (knobs_[i].values.size() > 1) free.push_back(i);
    }
    if (free.empty()) return p;
    for (int attempt = 0; attempt < 100; attempt++) {
        Point q = p;
        const size_t i = free[std::uniform_int_distribution<size_t>(0, free.size() - 1)(rng)];
        const auto &vals = knobs_[i].values;
        const auto at = static_cast<size_t>(std::find(vals.begin(), vals.end(), p[i]) - vals.begin());
        if (std::uniform_int_distribution<int>(0, 3)(rng) == 0 || at >= vals.size()) {
            q[i] = vals[std::uniform_int_distribution<size_t>(0, vals.size() - 1)(rng)];
        } else {
            const bool up = (at == 0) || (at + 1 < vals.size() && std::uniform_int_distribution<int>(0, 1)(rng));
            q[i] = vals[up ? at + 1 : at - 1];
        }
        if (q != p && valid(q)) return q;
    }
    return p;
}

Point SearchSpace::crossover(const Point &a, const Point &b, std::mt19937_64 &rng) const {
    for (int attempt = 0; attempt < 20; attempt++) {
        Point c = a;
        for (size_t i = 0; i < c.size(); i++) {
            if (std::uniform_int_distribution<int>(0, 1)(rng)) c[i] = b[i];
        }
        if (valid(c)) return c;
    }
    return a;
}

std::string SearchSpace::describe(const Point &p) const {
    std::string s;
    for (size_t i = 0; i < knobs_.size(); i++) {
        if (knobs_[i].values.size() < 2) continue;
        s += (s.empty() ? "" : ",") + knobs_[i].name + "=" + std::to_string(p[i]);
    }
    return s.empty() ? "-" : s;
}

std::string SearchSpace::text(const Point &p) const {
    sched::Schedule s = tmpl_;
    for (size_t i = 0; i < s.params.size(); i++) s.params[i].value = p.at(i);
    return sched::format(s);
}

std::vector<float> SearchSpace::features(const Point &p) const {
    std::vector<float> f;
    for (int64_t v : p) f.push_back(static_cast<float>(std::log2(static_cast<double>(std::max<int64_t>(v, 1)))));
    return f;
}

}  // namespace seqmix::tune
