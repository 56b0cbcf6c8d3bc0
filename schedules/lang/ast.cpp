// Error, AST helpers and structural equality (locations are deliberately not compared, so that
// a formatted and re-parsed schedule equals the original).
#include "lang/schedule.h"

#include <fmt/format.h>

namespace seqmix::sched {

Error::Error(const Loc &loc, const std::string &msg)
    : std::runtime_error(fmt::format("{}:{}:{}: {}", loc.file, loc.line, loc.col, msg)), loc_(loc), msg_(msg) {
}

bool Expr::is_bool() const {
    switch (op) {
    case Op::Eq:
    case Op::Ne:
    case Op::Lt:
    case Op::Le:
    case Op::Gt:
    case Op::Ge:
    case Op::And:
    case Op::Or:
    case Op::Not:
        return true;
    default:
        return false;
    }
}

bool operator==(const Expr &a, const Expr &b) {
    return a.op == b.op && a.value == b.value && a.name == b.name && a.args == b.args;
}

bool operator==(const Name &a, const Name &b) {
    return a.text == b.text;
}

std::string FuncRef::str() const {
    if (!wrapper) {
        return base.text;
    }
    std::string s = base.text + ".in(";
    for (size_t i = 0; i < consumers.size(); i++) {
        s += (i ? ", " : "") + consumers[i].text;
    }
    return s + ")";
}

bool operator==(const FuncRef &a, const FuncRef &b) {
    return a.base == b.base && a.wrapper == b.wrapper && a.consumers == b.consumers;
}

bool operator==(const Directive &a, const Directive &b) {
    return a.kind == b.kind && a.vars == b.vars && a.n_inputs == b.n_inputs && a.exprs == b.exprs &&
           a.tail == b.tail && a.func == b.func && a.func_stage == b.func_stage && a.word == b.word;
}

bool operator==(const StageBlock &a, const StageBlock &b) {
    return a.func == b.func && a.stage == b.stage && a.specialize == b.specialize && a.directives == b.directives;
}

bool Param::contains(int64_t v) const {
    switch (domain) {
    case Domain::None:
        return true;
    case Domain::Set:
        for (int64_t x : set) {
            if (x == v) {
                return true;
            }
        }
        return false;
    case Domain::Range:
        return lo <= v && v <= hi;
    case Domain::Pow2:
        return lo <= v && v <= hi && v > 0 && (v & (v - 1)) == 0;
    }
    return false;
}

std::string Param::domain_str() const {
    switch (domain) {
    case Domain::None:
        return "";
    case Domain::Set:
        return fmt::format("{{{}}}", fmt::join(set, ", "));
    case Domain::Range:
        return fmt::format("[{}..{}]", lo, hi);
    case Domain::Pow2:
        return fmt::format("pow2[{}..{}]", lo, hi);
    }
    return "";
}

bool operator==(const Param &a, const Param &b) {
    return a.name == b.name && a.value == b.value && a.domain == b.domain && a.set == b.set && a.lo == b.lo &&
           a.hi == b.hi;
}

bool operator==(const Require &a, const Require &b) {
    return a.cond == b.cond;
}

bool operator==(const Autoschedule &a, const Autoschedule &b) {
    return a.name == b.name && a.options == b.options;
}

const Param *Schedule::find_param(const std::string &name) const {
    for (const Param &p : params) {
        if (p.name == name) {
            return &p;
        }
    }
    return nullptr;
}

bool operator==(const Schedule &a, const Schedule &b) {
    return a.filename == b.filename && a.when == b.when && a.params == b.params && a.requires_ == b.requires_ &&
           a.autoschedule == b.autoschedule && a.explicit_only.has_value() == b.explicit_only.has_value() &&
           a.stages == b.stages;
}

const std::vector<std::string> &directive_names() {
    static const std::vector<std::string> names = {
        // loop structure of one stage
        "split", "tile", "fuse", "reorder", "vectorize", "unroll", "parallel", "serial",
        "gpu_blocks", "gpu_threads", "gpu_lanes", "gpu_single_thread", "gpu_tile",
        "atomic", "allow_race_conditions", "compute_with", "rename", "partition",
        // where and how a Func is computed and stored
        "compute_root", "compute_inline", "compute_at", "store_at", "store_root", "store_in",
        "hoist_storage", "hoist_storage_root", "bound", "bound_extent", "bound_storage", "align_bounds", "align_storage",
        "fold_storage", "reorder_storage", "memoize", "async", "ring_buffer",
        // stage-level, naming other Funcs
        "rfactor", "prefetch"};
    return names;
}

}  // namespace seqmix::sched
