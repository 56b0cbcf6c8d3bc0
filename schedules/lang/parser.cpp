// Recursive-descent parser: statements, directives, expressions. Every directive's syntax is
// spelled out in parse_directive(); format.cpp prints the same forms back.
#include "lang/lexer.h"
#include "lang/schedule.h"

#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <fstream>
#include <set>
#include <sstream>

namespace seqmix::sched {

namespace {

using Op = Expr::Op;
using TK = Token::Kind;

const std::set<std::string> &stage_directives() {
    // Directives that schedule one stage's loops; the others act on the whole Func.
    static const std::set<std::string> s = {
        "split", "tile", "fuse", "reorder", "vectorize", "unroll", "parallel", "serial",
        "gpu_blocks", "gpu_threads", "gpu_lanes", "gpu_single_thread", "gpu_tile",
        "atomic", "allow_race_conditions", "compute_with", "rfactor", "prefetch", "rename", "partition"};
    return s;
}

const std::set<std::string> &reserved_words() {
    static const std::set<std::string> s = {"and", "or", "not"};
    return s;
}

class Parser {
public:
    Parser(std::string_view text, const std::string &filename) : lx_(text, filename) {
    }

    Schedule parse_schedule();
    Expr parse_top_condition();

private:
    // --- tokens ---
    [[noreturn]] void fail(const Loc &loc, const std::string &msg) {
        throw Error(loc, msg);
    }
    Token expect(std::string_view what, const std::string &context) {
        const Token &t = lx_.peek();
        if (!t.is(what)) {
            fail(t.loc, fmt::format("expected '{}' {}, got {}", what, context, t.describe()));
        }
        return lx_.next();
    }
    bool accept(std::string_view what) {
        if (lx_.peek().is(what)) {
            lx_.next();
            return true;
        }
        return false;
    }
    Name ident(const std::string &what) {
        const Token &t = lx_.peek();
        if (t.kind != TK::Ident || reserved_words().count(t.text)) {
            fail(t.loc, fmt::format("expected {}, got {}", what, t.describe()));
        }
        Token n = lx_.next();
        return Name{n.text, n.loc};
    }
    int64_t int_literal(const std::string &what) {
        bool neg = false;
        if (accept("-")) {
            neg = true;
        }
        const Token &t = lx_.peek();
        if (t.kind != TK::Int) {
            fail(t.loc, fmt::format("expected {}, got {}", what, t.describe()));
        }
        int64_t v = lx_.next().value;
        return neg ? -v : v;
    }
    bool at_statement_end() {
        const Token &t = lx_.peek();
        return t.kind == TK::Newline || t.kind == TK::End || t.is(";");
    }

    // --- expressions ---
    Expr expr_or();
    Expr expr_and();
    Expr expr_not();
    Expr expr_cmp();
    Expr expr_add();
    Expr expr_mul();
    Expr expr_unary();
    Expr expr_primary();
    void typecheck(const Expr &e);
    Expr int_expr(const std::string &context);
    Expr bool_expr(const std::string &context);

    // --- statements ---
    void statement(bool first);
    void parse_param();
    void parse_autoschedule(const Loc &loc);
    FuncRef func_ref(const std::string &what);
    void parse_directive(const Name &word);
    Name var(const std::string &what);
    std::vector<Name> var_list(const std::string &what);
    void maybe_tail(Directive &d);
    void check_names();

    // Guards the recursion of the expression parser: a file of 100k '(' must be an Error, not a
    // stack overflow.
    struct Depth {
        Parser &p;
        explicit Depth(Parser &parser, const Loc &loc) : p(parser) {
            if (++p.depth_ > 200) {
                throw Error(loc, "expression nested too deeply (more than 200 levels)");
            }
            p.count_node(loc);
        }
        ~Depth() {
            p.depth_--;
        }
    };
    int depth_ = 0;
    // Evaluation, printing and comparison recurse over the tree: bound its size too (a chain of
    // 100k '+' would otherwise be as deep as it is long).
    int nodes_ = 0;
    void count_node(const Loc &loc) {
        if (++nodes_ > 4000) {
            throw Error(loc, "expression too long (more than 4000 terms)");
        }
    }

    Lexer lx_;
    Schedule s_;
    StageBlock *cur_ = nullptr;  // index-stable: stages_ never reallocates while cur_ is used
    std::vector<std::pair<const Expr *, std::string>> param_uses_;
};

// ---------------------------------------------------------------- expressions

Expr make(Op op, Loc loc, std::vector<Expr> args) {
    Expr e;
    e.op = op;
    e.loc = std::move(loc);
    e.args = std::move(args);
    return e;
}

Expr Parser::expr_or() {
    Expr e = expr_and();
    while (lx_.peek().is("or")) {
        Loc loc = lx_.next().loc;
        count_node(loc);
        e = make(Op::Or, loc, {std::move(e), expr_and()});
    }
    return e;
}

Expr Parser::expr_and() {
    Expr e = expr_not();
    while (lx_.peek().is("and")) {
        Loc loc = lx_.next().loc;
        count_node(loc);
        e = make(Op::And, loc, {std::move(e), expr_not()});
    }
    return e;
}

Expr Parser::expr_not() {
    Depth guard(*this, lx_.peek().loc);
    if (lx_.peek().is("not")) {
        Loc loc = lx_.next().loc;
        return make(Op::Not, loc, {expr_not()});
    }
    return expr_cmp();
}

Expr Parser::expr_cmp() {
    Expr e = expr_add();
    static const std::pair<const char *, Op> ops[] = {{"==", Op::Eq}, {"!=", Op::Ne}, {"<", Op::Lt},
                                                      {"<=", Op::Le}, {">", Op::Gt},  {">=", Op::Ge}};
    for (auto [text, op] : ops) {
        if (lx_.peek().is(text)) {
            Loc loc = lx_.next().loc;
            e = make(op, loc, {std::move(e), expr_add()});
            for (auto [t2, op2] : ops) {
                if (lx_.peek().is(t2)) {
                    fail(lx_.peek().loc, "comparisons do not chain; use 'and'");
                }
            }
            break;
        }
    }
    return e;
}

Expr Parser::expr_add() {
    Expr e = expr_mul();
    while (lx_.peek().is("+") || lx_.peek().is("-")) {
        Token t = lx_.next();
        count_node(t.loc);
        e = make(t.text == "+" ? Op::Add : Op::Sub, t.loc, {std::move(e), expr_mul()});
    }
    return e;
}

Expr Parser::expr_mul() {
    Expr e = expr_unary();
    while (lx_.peek().is("*") || lx_.peek().is("/") || lx_.peek().is("%")) {
        Token t = lx_.next();
        count_node(t.loc);
        Op op = t.text == "*" ? Op::Mul : t.text == "/" ? Op::Div : Op::Mod;
        e = make(op, t.loc, {std::move(e), expr_unary()});
    }
    return e;
}

Expr Parser::expr_unary() {
    Depth guard(*this, lx_.peek().loc);
    if (lx_.peek().is("-")) {
        Loc loc = lx_.next().loc;
        return make(Op::Neg, loc, {expr_unary()});
    }
    return expr_primary();
}

Expr Parser::expr_primary() {
    const Token &t = lx_.peek();
    if (t.kind == TK::Int) {
        Token n = lx_.next();
        Expr e = make(Op::Const, n.loc, {});
        e.value = n.value;
        return e;
    }
    if (t.is("(")) {
        lx_.next();
        Expr e = expr_or();
        expect(")", "to close '('");
        return e;
    }
    if (t.kind == TK::Ident && !reserved_words().count(t.text)) {
        Token n = lx_.next();
        if ((n.text == "min" || n.text == "max") && lx_.peek().is("(")) {
            lx_.next();
            Expr a = expr_or();
            expect(",", fmt::format("between the arguments of '{}'", n.text));
            Expr b = expr_or();
            expect(")", fmt::format("after the arguments of '{}'", n.text));
            return make(n.text == "min" ? Op::Min : Op::Max, n.loc, {std::move(a), std::move(b)});
        }
        Expr e = make(Op::Name, n.loc, {});
        e.name = n.text;
        return e;
    }
    fail(t.loc, fmt::format("expected an expression, got {}", t.describe()));
}

void Parser::typecheck(const Expr &e) {
    for (const Expr &a : e.args) {
        typecheck(a);
    }
    bool want_bool = e.op == Op::And || e.op == Op::Or || e.op == Op::Not;
    if (e.op == Op::Const || e.op == Op::Name) {
        return;
    }
    for (const Expr &a : e.args) {
        if (a.is_bool() != want_bool) {
            fail(a.loc, want_bool ? fmt::format("expected a condition, got the integer expression '{}'", format(a))
                                  : fmt::format("expected an integer expression, got the condition '{}'", format(a)));
        }
    }
}

Expr Parser::int_expr(const std::string &context) {
    // Comparisons and logic never belong in a factor: stop before them, so `by v > 2` reports the
    // '>' as the unexpected token.
    nodes_ = 0;
    Expr e = expr_add();
    typecheck(e);
    (void)context;
    return e;
}

Expr Parser::bool_expr(const std::string &context) {
    Loc loc = lx_.peek().loc;
    nodes_ = 0;
    Expr e = expr_or();
    typecheck(e);
    if (!e.is_bool()) {
        fail(loc, fmt::format("expected a condition{} (a comparison such as 'T >= 64'), got '{}'",
                              context.empty() ? "" : " " + context, format(e)));
    }
    return e;
}

Expr Parser::parse_top_condition() {
    while (lx_.peek().kind == TK::Newline) {
        lx_.next();
    }
    Expr e = bool_expr("");
    while (lx_.peek().kind == TK::Newline) {
        lx_.next();
    }
    if (lx_.peek().kind != TK::End) {
        fail(lx_.peek().loc, fmt::format("expected end of condition, got {}", lx_.peek().describe()));
    }
    return e;
}

// ---------------------------------------------------------------- statements

Schedule Parser::parse_schedule() {
    s_.filename = lx_.filename();
    bool first = true;
    for (;;) {
        while (lx_.peek().kind == TK::Newline || lx_.peek().is(";")) {
            lx_.next();
        }
        if (lx_.peek().kind == TK::End) {
            break;
        }
        statement(first);
        first = false;
    }
    check_names();
    return std::move(s_);
}

void Parser::statement(bool first) {
    const Token &t = lx_.peek();
    if (t.kind != TK::Ident) {
        fail(t.loc, fmt::format("expected a statement (when, explicit, param, require, autoschedule, func, update, specialize, "
                                "or a directive), got {}",
                                t.describe()));
    }
    Token word = lx_.next();
    const std::string &w = word.text;
    if (w == "when") {
        if (!first) {
            fail(word.loc, "'when' must be the first statement of a file");
        }
        size_t begin = lx_.peek().begin;
        Expr e = bool_expr("after 'when'");
        size_t end = lx_.peek().begin;
        std::string text(lx_.source().substr(begin, end - begin));
        // The token after the condition may be preceded by blanks or a comment: trim them.
        size_t hash = text.find('#');
        if (hash != std::string::npos) {
            text.resize(hash);
        }
        while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) {
            text.pop_back();
        }
        s_.when = std::move(e);
        s_.when_text = std::move(text);
    } else if (w == "param") {
        parse_param();
    } else if (w == "require") {
        Require r;
        r.loc = word.loc;
        r.cond = bool_expr("after 'require'");
        s_.requires_.push_back(std::move(r));
    } else if (w == "autoschedule") {
        parse_autoschedule(word.loc);
    } else if (w == "explicit") {
        if (s_.explicit_only) {
            fail(word.loc, fmt::format("duplicate 'explicit' (first at line {})", s_.explicit_only->line));
        }
        if (!s_.stages.empty()) {
            fail(word.loc, "'explicit' must come before the first 'func' block");
        }
        s_.explicit_only = word.loc;
    } else if (w == "func") {
        StageBlock b;
        b.loc = word.loc;
        b.func = func_ref("a Func name after 'func'");
        if (accept("update")) {
            Loc nloc = lx_.peek().loc;
            int64_t n = int_literal("an update index after 'update'");
            if (n < 0 || n > 1000000) {
                fail(nloc, fmt::format("update index {} is out of range", n));
            }
            b.stage = static_cast<int>(n) + 1;
        }
        expect(":", fmt::format("after 'func {}'", b.func.str() + (b.stage ? fmt::format(" update {}", b.stage - 1) : "")));
        s_.stages.push_back(std::move(b));
        cur_ = &s_.stages.back();
        return;  // a directive may follow on the same line
    } else if (w == "update") {
        if (!cur_) {
            fail(word.loc, "'update N :' needs a Func; write 'func NAME update N :' or put it after 'func NAME :'");
        }
        Loc nloc = lx_.peek().loc;
        int64_t n = int_literal("an update index after 'update'");
        if (n < 0 || n > 1000000) {
            fail(nloc, fmt::format("update index {} is out of range", n));
        }
        expect(":", fmt::format("after 'update {}'", n));
        StageBlock b;
        b.loc = word.loc;
        b.func = cur_->func;
        b.stage = static_cast<int>(n) + 1;
        s_.stages.push_back(std::move(b));
        cur_ = &s_.stages.back();
        return;
    } else if (w == "specialize") {
        if (!cur_) {
            fail(word.loc, "'specialize COND :' needs a stage; put it after 'func NAME :' or 'update N :'");
        }
        // A sibling of any specialisation before it: it specialises the stage of the current block.
        StageBlock b;
        b.loc = word.loc;
        b.func = cur_->func;
        b.stage = cur_->stage;
        nodes_ = 0;
        b.specialize = bool_expr("after 'specialize'");
        expect(":", fmt::format("after 'specialize {}'", format(*b.specialize)));
        s_.stages.push_back(std::move(b));
        cur_ = &s_.stages.back();
        return;
    } else {
        const auto &names = directive_names();
        if (std::find(names.begin(), names.end(), w) == names.end()) {
            fail(word.loc, fmt::format("unknown directive '{}'; directives are: {}", w, fmt::join(names, " ")));
        }
        if (!cur_) {
            fail(word.loc, fmt::format("directive '{}' before any 'func NAME :' header", w));
        }
        parse_directive(Name{w, word.loc});
    }
    if (!at_statement_end()) {
        fail(lx_.peek().loc, fmt::format("expected end of statement (newline or ';'), got {}", lx_.peek().describe()));
    }
}

void Parser::parse_param() {
    Param p;
    Name n = ident("a param name");
    p.name = n.text;
    p.loc = n.loc;
    if (s_.find_param(p.name)) {
        fail(n.loc, fmt::format("duplicate param '{}' (first declared at line {})", p.name,
                                s_.find_param(p.name)->loc.line));
    }
    expect("=", fmt::format("after 'param {}'", p.name));
    p.value = int_literal(fmt::format("an integer default for param '{}'", p.name));
    if (accept("in")) {
        Loc dloc = lx_.peek().loc;
        if (accept("{")) {
            p.domain = Param::Domain::Set;
            do {
                p.set.push_back(int_literal("an integer in the domain set"));
            } while (accept(","));
            expect("}", "to close the domain set");
        } else {
            bool pow2 = accept("pow2");
            expect("[", pow2 ? "after 'pow2'" : "(a domain is {a, b, ...}, [lo..hi] or pow2[lo..hi])");
            p.domain = pow2 ? Param::Domain::Pow2 : Param::Domain::Range;
            p.lo = int_literal("the low bound of the range");
            expect("..", "between the bounds of the range");
            p.hi = int_literal("the high bound of the range");
            expect("]", "to close the range");
            if (p.lo > p.hi) {
                fail(dloc, fmt::format("empty domain {} for param '{}'", p.domain_str(), p.name));
            }
            if (pow2 && p.hi < 1) {
                fail(dloc, fmt::format("domain {} of param '{}' holds no power of two", p.domain_str(), p.name));
            }
        }
        if (!p.contains(p.value)) {
            fail(n.loc, fmt::format("param '{}' = {} not in its domain {}", p.name, p.value, p.domain_str()));
        }
    }
    s_.params.push_back(std::move(p));
}

void Parser::parse_autoschedule(const Loc &loc) {
    if (s_.autoschedule) {
        fail(loc, fmt::format("duplicate 'autoschedule' (first at line {})", s_.autoschedule->loc.line));
    }
    Autoschedule a;
    a.loc = loc;
    a.name = ident("an autoscheduler name after 'autoschedule'").text;
    // Options are raw words (`autoscheduler.beam_size=1`, `parallelism=16`) passed on verbatim.
    for (;;) {
        Loc here = lx_.here();
        Token w = lx_.raw_word();
        if (w.text.empty()) {
            break;
        }
        size_t eq = w.text.find('=');
        if (eq == std::string::npos || eq == 0 || eq + 1 == w.text.size()) {
            fail(here, fmt::format("expected key=value after 'autoschedule {}', got '{}'", a.name, w.text));
        }
        a.options.emplace_back(w.text.substr(0, eq), w.text.substr(eq + 1));
    }
    s_.autoschedule = std::move(a);
}

FuncRef Parser::func_ref(const std::string &what) {
    FuncRef f;
    f.base = ident(what);
    if (lx_.peek().is(".")) {
        lx_.next();
        expect("in", fmt::format("after '{}.' (a wrapper is written {}.in() or {}.in(consumer))", f.base.text,
                                 f.base.text, f.base.text));
        expect("(", fmt::format("after '{}.in'", f.base.text));
        f.wrapper = true;
        if (!accept(")")) {
            do {
                f.consumers.push_back(ident("a consumer Func name"));
            } while (accept(","));
            expect(")", "to close the wrapper's consumer list");
        }
    }
    return f;
}

Name Parser::var(const std::string &what) {
    Name n = ident(what);
    // `rk.x` names dimension x of RDom rk.
    while (lx_.peek().is(".")) {
        lx_.next();
        Name part = ident("a dimension name after '.'");
        n.text += "." + part.text;
    }
    return n;
}

std::vector<Name> Parser::var_list(const std::string &what) {
    std::vector<Name> v;
    do {
        v.push_back(var(what));
    } while (accept(","));
    return v;
}

void Parser::maybe_tail(Directive &d) {
    if (accept("tail")) {
        static const std::vector<std::string> tails = {"RoundUp",      "GuardWithIf",          "Predicate",
                                                       "PredicateLoads", "PredicateStores",    "ShiftInwards",
                                                       "ShiftInwardsAndBlend", "RoundUpAndBlend", "Auto"};
        Name t = ident("a tail strategy after 'tail'");
        if (std::find(tails.begin(), tails.end(), t.text) == tails.end()) {
            fail(t.loc, fmt::format("unknown tail strategy '{}'; tail strategies are: {}", t.text, fmt::join(tails, " ")));
        }
        d.tail = t;
    }
}

void Parser::parse_directive(const Name &word) {
    Directive d;
    d.kind = word.text;
    d.loc = word.loc;
    const std::string &k = d.kind;
    if (cur_->specialize && (!stage_directives().count(k) || k == "rfactor")) {
        fail(word.loc, fmt::format("'{}' cannot be specialised (a specialisation changes only one stage's loops); "
                                   "put it under 'func {}{} :'",
                                   k, cur_->func.str(), cur_->stage ? fmt::format(" update {}", cur_->stage - 1) : ""));
    }
    if (cur_->stage > 0 && !stage_directives().count(k)) {
        fail(word.loc, fmt::format("'{}' applies to a whole Func, not to one update stage; put it under 'func {} :'",
                                   k, cur_->func.str()));
    }
    if (k == "rfactor" && cur_->stage == 0) {
        fail(word.loc, fmt::format("'rfactor' applies to an update stage with an RDom; put it under 'func {} update N :'",
                                   cur_->func.str()));
    }
    auto ctx = [&](const std::vector<Name> &vs) {
        std::vector<std::string> t;
        for (const auto &v : vs) {
            t.push_back(v.text);
        }
        return fmt::format("after '{} {}'", k, fmt::join(t, ", "));
    };
    auto count = [&](const std::vector<Name> &vs, size_t lo, size_t hi, const char *what) {
        if (vs.size() < lo || vs.size() > hi) {
            std::string range = lo == hi ? std::to_string(lo) : fmt::format("{} to {}", lo, hi);
            fail(vs.empty() ? word.loc : vs[hi < vs.size() ? hi : 0].loc,
                 fmt::format("'{}' takes {} {}, got {}", k, range, what, vs.size()));
        }
    };
    if (k == "split") {
        d.vars.push_back(var("a Var to split"));
        expect("into", ctx(d.vars));
        d.vars.push_back(var("the outer Var name"));
        expect(",", fmt::format("after '{} {} into {}'", k, d.vars[0].text, d.vars[1].text));
        d.vars.push_back(var("the inner Var name"));
        expect("by", ctx({d.vars[0]}) + fmt::format(" into {}, {}", d.vars[1].text, d.vars[2].text));
        d.exprs.push_back(int_expr("split factor"));
        maybe_tail(d);
        d.n_inputs = 1;
    } else if (k == "tile") {
        std::vector<Name> in = var_list("a Var to tile");
        count(in, 2, 2, "Vars before 'into'");
        expect("into", ctx(in));
        std::vector<Name> out = var_list("a tile Var name");
        if (out.size() != 4) {
            fail(out.back().loc, fmt::format("'tile {}, {}' takes 4 names after 'into' (xo, yo, xi, yi), got {}",
                                             in[0].text, in[1].text, out.size()));
        }
        expect("by", "after the names of 'tile'");
        d.exprs.push_back(int_expr("tile factor"));
        expect(",", "between the two factors of 'tile'");
        d.exprs.push_back(int_expr("tile factor"));
        maybe_tail(d);
        d.vars = in;
        d.vars.insert(d.vars.end(), out.begin(), out.end());
        d.n_inputs = 2;
    } else if (k == "fuse") {
        std::vector<Name> in = var_list("a Var to fuse");
        count(in, 2, 2, "Vars before 'into' (inner, outer)");
        expect("into", ctx(in));
        d.vars = in;
        d.vars.push_back(var("the fused Var name"));
        d.n_inputs = 2;
    } else if (k == "reorder" || k == "reorder_storage") {
        d.vars = var_list("a Var name");
        d.n_inputs = static_cast<int>(d.vars.size());
    } else if (k == "vectorize" || k == "unroll" || k == "parallel") {
        d.vars.push_back(var("a Var name"));
        d.n_inputs = 1;
        if (accept("by")) {
            d.exprs.push_back(int_expr("factor"));
            if (k != "parallel") {
                maybe_tail(d);
            }
        }
    } else if (k == "rename") {
        d.vars.push_back(var("a Var to rename"));
        expect("to", ctx(d.vars));
        d.vars.push_back(var("the new Var name"));
        d.n_inputs = 1;
    } else if (k == "partition") {
        d.vars.push_back(var("a Var name"));
        static const std::vector<std::string> policies = {"Auto", "Never", "Always"};
        Name w = ident(fmt::format("a partition policy after 'partition {}' (Auto, Never or Always)", d.vars[0].text));
        if (std::find(policies.begin(), policies.end(), w.text) == policies.end()) {
            fail(w.loc, fmt::format("unknown partition policy '{}'; policies are: {}", w.text, fmt::join(policies, " ")));
        }
        d.word = w;
        d.n_inputs = 1;
    } else if (k == "align_bounds") {
        d.vars.push_back(var("a Var name"));
        d.exprs.push_back(int_expr("align_bounds modulus"));
        if (accept("remainder")) {
            d.exprs.push_back(int_expr("align_bounds remainder"));
        }
    } else if (k == "serial" || k == "gpu_lanes") {
        d.vars.push_back(var("a Var name"));
        d.n_inputs = 1;
    } else if (k == "gpu_blocks" || k == "gpu_threads") {
        d.vars = var_list("a Var name");
        count(d.vars, 1, 3, "Vars");
        d.n_inputs = static_cast<int>(d.vars.size());
    } else if (k == "gpu_tile") {
        std::vector<Name> in = var_list("a Var to tile");
        count(in, 1, 3, "Vars before 'into'");
        expect("into", ctx(in));
        std::vector<Name> out = var_list("a block or thread Var name");
        if (out.size() != 2 * in.size()) {
            fail(out.back().loc,
                 fmt::format("'gpu_tile' of {} Var{} takes {} names after 'into' ({} block Vars, then {} thread "
                             "Vars), got {}",
                             in.size(), in.size() > 1 ? "s" : "", 2 * in.size(), in.size(), in.size(), out.size()));
        }
        expect("by", "after the names of 'gpu_tile'");
        for (size_t i = 0; i < in.size(); i++) {
            if (i) {
                expect(",", fmt::format("'gpu_tile' of {} Vars takes {} factors", in.size(), in.size()));
            }
            d.exprs.push_back(int_expr("gpu_tile factor"));
        }
        if (lx_.peek().is(",")) {
            fail(lx_.peek().loc, fmt::format("'gpu_tile' of {} Var{} takes {} factor{}", in.size(),
                                             in.size() > 1 ? "s" : "", in.size(), in.size() > 1 ? "s" : ""));
        }
        maybe_tail(d);
        d.n_inputs = static_cast<int>(in.size());
        d.vars = in;
        d.vars.insert(d.vars.end(), out.begin(), out.end());
    } else if (k == "compute_at" || k == "store_at" || k == "hoist_storage" || k == "compute_with") {
        d.func = func_ref(fmt::format("a Func name after '{}'", k));
        if (accept("update")) {
            Loc nloc = lx_.peek().loc;
            int64_t n = int_literal("an update index after 'update'");
            if (n < 0 || n > 1000000) {
                fail(nloc, fmt::format("update index {} is out of range", n));
            }
            d.func_stage = static_cast<int>(n) + 1;
        }
        d.vars.push_back(var(fmt::format("a loop Var of '{}' after '{} {}'", d.func->str(), k, d.func->str())));
        if (k == "compute_with" && accept("align")) {
            static const std::vector<std::string> aligns = {"AlignStart", "AlignEnd", "NoAlign", "Auto"};
            Name a = ident("a loop alignment after 'align'");
            if (std::find(aligns.begin(), aligns.end(), a.text) == aligns.end()) {
                fail(a.loc, fmt::format("unknown loop alignment '{}'; alignments are: {}", a.text, fmt::join(aligns, " ")));
            }
            d.word = a;
        }
    } else if (k == "rfactor") {
        // rfactor R [as V] {, R [as V]} into NAME: vars holds (R, V) pairs; V defaults to R's name
        // (with '.' and '$' as '_').
        do {
            Name r = var("an RVar to preserve after 'rfactor'");
            Name v;
            if (accept("as")) {
                v = ident(fmt::format("a Var name after 'rfactor {} as'", r.text));
            } else {
                v = r;
                std::replace(v.text.begin(), v.text.end(), '.', '_');
                std::replace(v.text.begin(), v.text.end(), '$', '_');
            }
            d.vars.push_back(r);
            d.vars.push_back(v);
        } while (accept(","));
        expect("into", "after the RVars of 'rfactor' (rfactor R [as V], ... into NAME)");
        FuncRef f;
        f.base = ident("a name for the new Func after 'into'");
        d.func = f;
        d.n_inputs = static_cast<int>(d.vars.size());
    } else if (k == "prefetch") {
        // prefetch F at V from W [offset E] [bound Clamp|GuardWithIf|NonFaulting]
        d.func = func_ref("a Func name after 'prefetch'");
        expect("at", fmt::format("after 'prefetch {}'", d.func->str()));
        d.vars.push_back(var("the loop at which to prefetch"));
        expect("from", fmt::format("after 'prefetch {} at {}'", d.func->str(), d.vars[0].text));
        d.vars.push_back(var("the loop whose later iteration is prefetched"));
        if (accept("offset")) {
            d.exprs.push_back(int_expr("prefetch offset"));
        }
        if (accept("bound")) {
            static const std::vector<std::string> bounds = {"Clamp", "GuardWithIf", "NonFaulting"};
            Name b = ident("a prefetch bound strategy after 'bound'");
            if (std::find(bounds.begin(), bounds.end(), b.text) == bounds.end()) {
                fail(b.loc, fmt::format("unknown prefetch bound strategy '{}'; strategies are: {}", b.text,
                                        fmt::join(bounds, " ")));
            }
            d.word = b;
        }
    } else if (k == "ring_buffer") {
        d.exprs.push_back(int_expr("ring_buffer extent"));
    } else if (k == "store_in") {
        static const std::vector<std::string> types = {"Auto",       "Heap",        "Stack", "Register", "GPUShared",
                                                       "GPUTexture", "LockedCache", "VTCM",  "AMXTile"};
        Name t = ident("a memory type after 'store_in'");
        if (std::find(types.begin(), types.end(), t.text) == types.end()) {
            fail(t.loc, fmt::format("unknown memory type '{}'; memory types are: {}", t.text, fmt::join(types, " ")));
        }
        d.word = t;
    } else if (k == "bound") {
        d.vars.push_back(var("a Var name"));
        expect("min", ctx(d.vars));
        d.exprs.push_back(int_expr("bound min"));
        expect("extent", "after the min of 'bound'");
        d.exprs.push_back(int_expr("bound extent"));
    } else if (k == "bound_extent" || k == "bound_storage" || k == "align_storage" || k == "fold_storage") {
        d.vars.push_back(var("a Var name"));
        d.exprs.push_back(int_expr(k));
    } else {
        // compute_root compute_inline store_root hoist_storage_root memoize async gpu_single_thread atomic
        // allow_race_conditions: no arguments.
    }
    cur_->directives.push_back(std::move(d));
}

void Parser::check_names() {
    // Names in directive factors and `require` must be params (shape symbols are only known at run
    // time, and only `when` may use them).
    std::vector<std::string> pnames;
    for (const Param &p : s_.params) {
        pnames.push_back(p.name);
    }
    std::function<void(const Expr &)> walk = [&](const Expr &e) {
        if (e.op == Op::Name && !s_.find_param(e.name)) {
            fail(e.loc, fmt::format("undefined name '{}'; params are: {}", e.name,
                                    pnames.empty() ? "(none)" : fmt::format("{}", fmt::join(pnames, " "))));
        }
        for (const Expr &a : e.args) {
            walk(a);
        }
    };
    for (const Require &r : s_.requires_) {
        walk(r.cond);
    }
    for (const StageBlock &b : s_.stages) {
        for (const Directive &d : b.directives) {
            for (const Expr &e : d.exprs) {
                walk(e);
            }
        }
    }
}

}  // namespace

Schedule parse(std::string_view text, const std::string &filename) {
    Parser p(text, filename);
    return p.parse_schedule();
}

Schedule parse_file(const std::string &path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw Error(Loc{path, 0, 0}, "cannot read schedule file");
    }
    std::stringstream ss;
    ss << in.rdbuf();
    if (in.bad()) {
        throw Error(Loc{path, 0, 0}, "cannot read schedule file");
    }
    // Report the path as given, so messages point at the file the caller named.
    return parse(ss.str(), path);
}

Condition parse_condition(std::string_view text, const std::string &filename) {
    Parser p(text, filename);
    Expr e = p.parse_top_condition();
    std::string t(text);
    while (!t.empty() && (t.back() == ' ' || t.back() == '\n' || t.back() == '\t' || t.back() == '\r')) {
        t.pop_back();
    }
    return Condition(std::move(e), std::move(t));
}

}  // namespace seqmix::sched
