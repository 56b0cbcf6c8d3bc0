// The textual schedule language: AST, parser, params, conditions, formatter.
// Grammar and directive reference: schedules/README.md. No Halide dependency here, so the
// runtime (which evaluates bucket `when` conditions) and the tuner can use it without Halide.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace seqmix::sched {

struct Loc {
    std::string file;
    int line = 0, col = 0;
};

// Every error of the language (parse, params, conditions, apply) is one of these; what() is
// "file:line:col: message".
class Error : public std::runtime_error {
public:
    Error(const Loc &loc, const std::string &msg);
    const Loc &loc() const {
        return loc_;
    }
    // The message without the location prefix.
    const std::string &message() const {
        return msg_;
    }

private:
    Loc loc_;
    std::string msg_;
};

// Integer and boolean expressions share one node type; the parser checks which is which.
// Division and modulo round towards negative infinity, as Halide's do.
struct Expr {
    enum class Op { Const, Name, Neg, Add, Sub, Mul, Div, Mod, Min, Max,
                    Eq, Ne, Lt, Le, Gt, Ge, And, Or, Not };
    Op op = Op::Const;
    int64_t value = 0;       // Const
    std::string name;        // Name
    std::vector<Expr> args;  // operands
    Loc loc;                 // not compared by ==

    bool is_bool() const;
};
bool operator==(const Expr &a, const Expr &b);
inline bool operator!=(const Expr &a, const Expr &b) {
    return !(a == b);
}

// An identifier with where it was written (Var, RVar, Func names).
struct Name {
    std::string text;
    Loc loc;
};
bool operator==(const Name &a, const Name &b);  // text only

// A Func as named in a file: `f`, `f.in()`, `f.in(g)`, `f.in(g, h)`.
struct FuncRef {
    Name base;
    bool wrapper = false;          // `.in(...)` present
    std::vector<Name> consumers;   // empty with wrapper = global wrapper f.in()
    std::string str() const;       // canonical text, also the key of the wrapper
};
bool operator==(const FuncRef &a, const FuncRef &b);

struct Directive {
    std::string kind;                 // "split", "compute_at", ... (see directive_names())
    std::vector<Name> vars;           // Var/RVar names in the order written (inputs, then outputs)
    int n_inputs = 0;                 // gpu_tile / tile: how many of vars are inputs
    std::vector<Expr> exprs;          // factors, bound min/extent, ...
    std::optional<Name> tail;         // TailStrategy name
    std::optional<FuncRef> func;      // compute_at / store_at / hoist_storage / compute_with / prefetch;
                                      // rfactor: the name given to the new Func
    std::optional<int> func_stage;    // `update N` after the Func of compute_at & co (N + 1)
    std::optional<Name> word;         // store_in memory type, compute_with align strategy,
                                      // prefetch bound strategy
    Loc loc;                          // of the directive's first word
};
bool operator==(const Directive &a, const Directive &b);

// The directives of one stage, in file order. A Func can appear in several blocks.
struct StageBlock {
    FuncRef func;
    int stage = 0;  // 0 = pure definition, N + 1 = update N
    // `specialize COND :` block: the directives schedule the specialisation of this stage for
    // COND (a condition over params and shape symbols), not the stage itself.
    std::optional<Expr> specialize;
    std::vector<Directive> directives;
    Loc loc;
};
bool operator==(const StageBlock &a, const StageBlock &b);

struct Param {
    std::string name;
    int64_t value = 0;  // default
    enum class Domain { None, Set, Range, Pow2 } domain = Domain::None;
    std::vector<int64_t> set;  // Set
    int64_t lo = 0, hi = 0;    // Range, Pow2 (inclusive)
    Loc loc;
    bool contains(int64_t v) const;
    std::string domain_str() const;  // "{16, 32, 64}", "[1..64]", "pow2[4..32]"
};
bool operator==(const Param &a, const Param &b);

struct Require {
    Expr cond;
    Loc loc;
};
bool operator==(const Require &a, const Require &b);

struct Autoschedule {
    std::string name;
    std::vector<std::pair<std::string, std::string>> options;  // key=value, in order
    Loc loc;
};
bool operator==(const Autoschedule &a, const Autoschedule &b);

struct Schedule {
    std::string filename;
    std::optional<Expr> when;  // bucket condition
    std::string when_text;     // its source text as written (not compared by ==)
    std::vector<Param> params;
    std::vector<Require> requires_;
    std::optional<Autoschedule> autoschedule;
    // `explicit`: the variant is built and callable by name (options.variant) but dispatch never
    // picks it on its own (autoscheduler baselines, experiments).
    std::optional<Loc> explicit_only;
    std::vector<StageBlock> stages;

    const Param *find_param(const std::string &name) const;
};
// Structural equality ignoring source locations and when_text: parse(format(s)) == s.
bool operator==(const Schedule &a, const Schedule &b);
inline bool operator!=(const Schedule &a, const Schedule &b) {
    return !(a == b);
}

Schedule parse(std::string_view text, const std::string &filename);
// Error with loc {path, 0, 0} if the file cannot be read.
Schedule parse_file(const std::string &path);

// Param values: defaults, overridden by "name=value,name=value" (empty = none); checks domains
// and requires.
std::map<std::string, int64_t> resolve_params(const Schedule &s, const std::string &overrides = "");

// A parsed boolean expression over shape symbols (bucket conditions, evaluated at run time).
class Condition {
public:
    Condition() = default;
    Condition(Expr e, std::string text) : expr_(std::move(e)), text_(std::move(text)) {}
    const Expr &expr() const {
        return expr_;
    }
    const std::string &text() const {
        return text_;
    }

private:
    Expr expr_;
    std::string text_;
};
Condition parse_condition(std::string_view text, const std::string &filename = "<condition>");
// Error naming an unknown symbol.
bool evaluate(const Condition &c, const std::map<std::string, int64_t> &symbols);

// Integer / boolean evaluation of any expression; unknown names, division by zero and overflow
// are Errors at the offending node. Booleans evaluate to 0 / 1.
int64_t evaluate(const Expr &e, const std::map<std::string, int64_t> &symbols);
std::string format(const Expr &e);

// Normalised text (canonical spacing, one statement per line). Comments are not in the AST, so
// format(s) has none.
std::string format(const Schedule &s);
// Normalised text of a source file that keeps its comments: full-line comments stay before the
// statement that followed them, trailing comments after the statement of their line, and one
// blank line where the source had one or more. Throws what parse() throws.
std::string format_source(std::string_view text, const std::string &filename);

// Every directive word, in the order the README lists them (for error messages and tools).
const std::vector<std::string> &directive_names();

}  // namespace seqmix::sched
