// Evaluation and printing of expressions and conditions.
#include "lang/schedule.h"

#include <fmt/format.h>

namespace seqmix::sched {

namespace {

using Op = Expr::Op;

// Takes the result by pointer: the overflow builtin must have written it before it is read
// (argument evaluation order is unspecified).
int64_t checked(bool overflow, const int64_t *v, const Expr &e) {
    if (overflow) {
        throw Error(e.loc, fmt::format("integer overflow in '{}'", format(e)));
    }
    return *v;
}

std::string known_names(const std::map<std::string, int64_t> &symbols) {
    if (symbols.empty()) {
        return "none are defined";
    }
    std::string s;
    for (const auto &[k, v] : symbols) {
        s += (s.empty() ? "" : " ") + k;
    }
    return "names are: " + s;
}

// Precedence for printing: higher binds tighter.
int prec(Op op) {
    switch (op) {
    case Op::Or:
        return 1;
    case Op::And:
        return 2;
    case Op::Not:
        return 3;
    case Op::Eq:
    case Op::Ne:
    case Op::Lt:
    case Op::Le:
    case Op::Gt:
    case Op::Ge:
        return 4;
    case Op::Add:
    case Op::Sub:
        return 5;
    case Op::Mul:
    case Op::Div:
    case Op::Mod:
        return 6;
    case Op::Neg:
        return 7;
    default:
        return 8;
    }
}

const char *op_text(Op op) {
    switch (op) {
    case Op::Add: return "+";
    case Op::Sub: return "-";
    case Op::Mul: return "*";
    case Op::Div: return "/";
    case Op::Mod: return "%";
    case Op::Eq: return "==";
    case Op::Ne: return "!=";
    case Op::Lt: return "<";
    case Op::Le: return "<=";
    case Op::Gt: return ">";
    case Op::Ge: return ">=";
    case Op::And: return "and";
    case Op::Or: return "or";
    default: return "?";
    }
}

std::string print(const Expr &e, int min_prec) {
    std::string s;
    int p = prec(e.op);
    switch (e.op) {
    case Op::Const:
        s = std::to_string(e.value);
        break;
    case Op::Name:
        s = e.name;
        break;
    case Op::Min:
    case Op::Max:
        s = fmt::format("{}({}, {})", e.op == Op::Min ? "min" : "max", print(e.args[0], 0), print(e.args[1], 0));
        break;
    case Op::Neg:
        s = "-" + print(e.args[0], p);
        break;
    case Op::Not:
        s = "not " + print(e.args[0], p);
        break;
    default:
        // Left-associative binary operators; comparisons do not chain, so both sides bind tighter.
        s = fmt::format("{} {} {}", print(e.args[0], p == 4 ? p + 1 : p), op_text(e.op), print(e.args[1], p + 1));
        break;
    }
    return p < min_prec ? "(" + s + ")" : s;
}

// Division and modulo round towards negative infinity, as Halide's do, so that a schedule
// expression means the same thing as the equivalent Halide Expr.
int64_t floor_div(int64_t a, int64_t b) {
    int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0))) {
        q--;
    }
    return q;
}

}  // namespace

std::string format(const Expr &e) {
    return print(e, 0);
}

int64_t evaluate(const Expr &e, const std::map<std::string, int64_t> &symbols) {
    switch (e.op) {
    case Op::Const:
        return e.value;
    case Op::Name: {
        auto it = symbols.find(e.name);
        if (it == symbols.end()) {
            throw Error(e.loc, fmt::format("undefined name '{}'; {}", e.name, known_names(symbols)));
        }
        return it->second;
    }
    case Op::Not:
        return evaluate(e.args[0], symbols) ? 0 : 1;
    case Op::And:
        // Short-circuit, so `K > 0 and T / K > 2` is safe.
        return evaluate(e.args[0], symbols) && evaluate(e.args[1], symbols);
    case Op::Or:
        return evaluate(e.args[0], symbols) || evaluate(e.args[1], symbols);
    case Op::Neg: {
        int64_t a = evaluate(e.args[0], symbols), r = 0;
        return checked(__builtin_sub_overflow(int64_t(0), a, &r), &r, e);
    }
    default:
        break;
    }
    int64_t a = evaluate(e.args[0], symbols);
    int64_t b = evaluate(e.args[1], symbols);
    int64_t r = 0;
    switch (e.op) {
    case Op::Add:
        return checked(__builtin_add_overflow(a, b, &r), &r, e);
    case Op::Sub:
        return checked(__builtin_sub_overflow(a, b, &r), &r, e);
    case Op::Mul:
        return checked(__builtin_mul_overflow(a, b, &r), &r, e);
    case Op::Div:
    case Op::Mod:
        if (b == 0) {
            throw Error(e.loc, fmt::format("division by zero in '{}'", format(e)));
        }
        if (a == INT64_MIN && b == -1) {
            throw Error(e.loc, fmt::format("integer overflow in '{}'", format(e)));
        }
        return e.op == Op::Div ? floor_div(a, b) : a - floor_div(a, b) * b;
    case Op::Min:
        return std::min(a, b);
    case Op::Max:
        return std::max(a, b);
    case Op::Eq:
        return a == b;
    case Op::Ne:
        return a != b;
    case Op::Lt:
        return a < b;
    case Op::Le:
        return a <= b;
    case Op::Gt:
        return a > b;
    case Op::Ge:
        return a >= b;
    default:
        throw Error(e.loc, "internal error: unknown expression node");
    }
}

bool evaluate(const Condition &c, const std::map<std::string, int64_t> &symbols) {
    return evaluate(c.expr(), symbols) != 0;
}

}  // namespace seqmix::sched
