// Param resolution: defaults, overrides, domains, requires.
#include "lang/schedule.h"

#include <fmt/format.h>

#include <functional>

namespace seqmix::sched {

namespace {

std::string trim(std::string_view s, size_t &offset) {
    size_t b = 0, e = s.size();
    while (b < e && (s[b] == ' ' || s[b] == '\t')) {
        b++;
    }
    while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t')) {
        e--;
    }
    offset += b;
    return std::string(s.substr(b, e - b));
}

bool parse_int(const std::string &s, int64_t &out) {
    if (s.empty()) {
        return false;
    }
    size_t i = (s[0] == '-' || s[0] == '+') ? 1 : 0;
    if (i == s.size()) {
        return false;
    }
    int64_t v = 0;
    for (; i < s.size(); i++) {
        if (s[i] < '0' || s[i] > '9') {
            return false;
        }
        if (__builtin_mul_overflow(v, 10, &v) || __builtin_add_overflow(v, s[i] - '0', &v)) {
            return false;
        }
    }
    out = s[0] == '-' ? -v : v;
    return true;
}

}  // namespace

std::map<std::string, int64_t> resolve_params(const Schedule &s, const std::string &overrides) {
    std::map<std::string, int64_t> values;
    for (const Param &p : s.params) {
        values[p.name] = p.value;
    }
    // Overrides come from a command line or the tuner, not from the file: their errors point into
    // the override string, as file "<overrides>", line 1.
    std::map<std::string, Loc> overridden;
    size_t pos = 0;
    while (!overrides.empty() && pos <= overrides.size()) {
        size_t comma = overrides.find(',', pos);
        if (comma == std::string::npos) {
            comma = overrides.size();
        }
        size_t off = pos;
        std::string item = trim(std::string_view(overrides).substr(pos, comma - pos), off);
        Loc loc{"<overrides>", 1, static_cast<int>(off) + 1};
        size_t eq = item.find('=');
        if (eq == std::string::npos) {
            throw Error(loc, fmt::format("expected name=value in param overrides, got '{}'", item));
        }
        size_t noff = off, voff = off + eq + 1;
        std::string name = trim(std::string_view(item).substr(0, eq), noff);
        std::string value = trim(std::string_view(item).substr(eq + 1), voff);
        if (!s.find_param(name)) {
            std::string names;
            for (const Param &p : s.params) {
                names += (names.empty() ? "" : " ") + p.name;
            }
            throw Error(loc, fmt::format("unknown param '{}' in overrides; params are: {}", name,
                                         names.empty() ? "(none)" : names));
        }
        int64_t v = 0;
        if (!parse_int(value, v)) {
            throw Error(Loc{"<overrides>", 1, static_cast<int>(voff) + 1},
                        fmt::format("expected an integer value for param '{}', got '{}'", name, value));
        }
        if (overridden.count(name)) {
            throw Error(loc, fmt::format("param '{}' overridden twice", name));
        }
        overridden[name] = loc;
        values[name] = v;
        pos = comma + 1;
    }
    for (const Param &p : s.params) {
        int64_t v = values[p.name];
        if (!p.contains(v)) {
            throw Error(p.loc, fmt::format("param '{}' = {} not in its domain {}", p.name, v, p.domain_str()));
        }
    }
    for (const Require &r : s.requires_) {
        if (!evaluate(r.cond, values)) {
            // Name the values that made it fail, in the order the expression mentions them.
            std::vector<std::string> seen, parts;
            std::function<void(const Expr &)> walk = [&](const Expr &e) {
                if (e.op == Expr::Op::Name && std::find(seen.begin(), seen.end(), e.name) == seen.end()) {
                    seen.push_back(e.name);
                    parts.push_back(fmt::format("{} = {}", e.name, values[e.name]));
                }
                for (const Expr &a : e.args) {
                    walk(a);
                }
            };
            walk(r.cond);
            throw Error(r.loc, fmt::format("require {} failed{}{}", format(r.cond), parts.empty() ? "" : " with ",
                                           fmt::join(parts, ", ")));
        }
    }
    return values;
}

}  // namespace seqmix::sched
