// The applier: resolves names against the pipeline and makes one Halide scheduling call per
// directive, turning every failure into a sched::Error at the directive.
#include "apply/apply.h"

#include "apply/halide_names.h"
#include "apply/import.h"

#include <fmt/format.h>

#include <algorithm>
#include <dlfcn.h>
#include <filesystem>
#include <mutex>
#include <set>

namespace seqmix::sched {

namespace {

using Halide::Func;
using Halide::RVar;
using Halide::Stage;
using Halide::Var;
using Halide::VarOrRVar;

// A loop handle of the given name, of the kind (Var or RVar) of the loop it comes from.
VarOrRVar loop_var(const std::string &name, bool rvar) {
    return rvar ? VarOrRVar(RVar(name)) : VarOrRVar(Var(name));
}

// One loop dimension of a stage as the file may name it.
struct Dim {
    std::string halide;   // Halide's name: "t", "t.to", "rk$x"
    std::string display;  // how error messages list it: "t", "to", "rk"
    std::string dotted;   // RVars: "rk.x"
    bool rvar = false;

    // The last component of Halide's name ("rk$xi" of "rk$x.rk$xi"): what import writes.
    std::string raw() const {
        return loop_name(halide);
    }

    // Every way a file may name this loop: as listed, Halide's full or last-component name, rk.x.
    bool matches(const std::string &name) const {
        return name == display || name == halide || name == raw() || (!dotted.empty() && name == dotted);
    }

    // Halide matches loop names by their last component ("yo" finds "y.yo") and insists on it.
    VarOrRVar handle() const {
        return loop_var(raw(), rvar);
    }
};

std::string stage_name(const std::string &func, int stage) {
    return stage == 0 ? fmt::format("Func '{}' stage 0", func) : fmt::format("Func '{}' update {}", func, stage - 1);
}

// Halide::Error::what() ends with a newline and sometimes carries an "Error:" prefix; keep one line
// of text where possible so the sched::Error reads as one message.
std::string halide_message(const char *what) {
    std::string m = what ? what : "";
    while (!m.empty() && (m.back() == '\n' || m.back() == ' ')) {
        m.pop_back();
    }
    for (const char *prefix : {"Error: ", "Error:\n", "User error: "}) {
        if (m.rfind(prefix, 0) == 0) {
            m = m.substr(std::string(prefix).size());
        }
    }
    std::replace(m.begin(), m.end(), '\n', ' ');
    return m;
}

class Applier {
public:
    Applier(const Schedule &s, const std::map<std::string, int64_t> &params, const std::vector<Func> &funcs,
            const Halide::Target &target, const std::map<std::string, Halide::Expr> &symbols)
        : s_(s), params_(params), target_(target), symbols_(symbols) {
        for (const Func &f : funcs) {
            if (!funcs_.count(f.name())) {
                order_.push_back(f.name());
            }
            funcs_.emplace(f.name(), f);
        }
        // Halide makes Func names unique per process by appending "$N" ("out" becomes "out$1" when a
        // second Func named "out" is made, as in tests and the tuner). The file says "out": accept
        // the base name where exactly one Func has it.
        std::map<std::string, std::vector<std::string>> bases;
        for (const std::string &n : order_) {
            size_t dollar = n.rfind('$');
            if (dollar != std::string::npos && dollar + 1 < n.size() &&
                n.find_first_not_of("0123456789", dollar + 1) == std::string::npos) {
                bases[n.substr(0, dollar)].push_back(n);
            }
        }
        for (const auto &[base, names] : bases) {
            if (names.size() == 1 && !funcs_.count(base)) {
                funcs_.emplace(base, funcs_.at(names[0]));
                std::replace(order_.begin(), order_.end(), names[0], base);
            }
        }
    }

    void run();

private:
    Func &func(const FuncRef &r);
    Stage stage(Func &f, int index, const FuncRef &ref, const Loc &loc);
    // The stage of a block: its specialisation when the block is `specialize COND :` (created on
    // first use; Halide returns the same one for an equal condition).
    Stage block_stage(const StageBlock &b);
    std::vector<Dim> dims(Func &f, int index, const Halide::Expr *spec = nullptr);
    Dim find(Func &f, int index, const Name &n, const std::string &fname, const Halide::Expr *spec = nullptr);
    void check_new(Func &f, int index, const Name &n, const std::string &fname, const Halide::Expr *spec = nullptr);
    Halide::Expr condition(const Expr &e);
    Halide::Expr factor(const Expr &e, bool positive);
    int64_t value(const Expr &e);
    Var pure_var(Func &f, const Name &n, const std::string &fname);
    Halide::LoopLevel loop_level(const Directive &d, int *stage_found = nullptr);

    void apply_stage(const StageBlock &b, const Directive &d);
    void apply_func(const StageBlock &b, const Directive &d);
    void apply_late(const StageBlock &b, const Directive &d);

    const Schedule &s_;
    const std::map<std::string, int64_t> &params_;
    const Halide::Target &target_;
    const std::map<std::string, Halide::Expr> &symbols_;
    std::map<const StageBlock *, Halide::Expr> spec_;  // specialisation conditions, per block
    std::map<std::string, Func> funcs_;  // by name, then wrappers by their text "k.in(qk)"
    std::vector<std::string> order_;
};

Func &Applier::func(const FuncRef &r) {
    auto lookup = [&](const Name &n) -> Func & {
        auto it = funcs_.find(n.text);
        if (it == funcs_.end()) {
            throw Error(n.loc, fmt::format("unknown Func '{}'; Funcs are: {}", n.text, fmt::join(order_, " ")));
        }
        return it->second;
    };
    if (!r.wrapper) {
        return lookup(r.base);
    }
    std::string key = r.str();
    auto it = funcs_.find(key);
    if (it != funcs_.end()) {
        return it->second;
    }
    Func &base = lookup(r.base);
    std::vector<Func> consumers;
    for (const Name &c : r.consumers) {
        consumers.push_back(lookup(c));
    }
    Func w;
    try {
        w = consumers.empty() ? base.in() : consumers.size() == 1 ? base.in(consumers[0]) : base.in(consumers);
    } catch (const Halide::Error &e) {
        throw Error(r.base.loc, fmt::format("Halide rejected the wrapper {}: {}", key, halide_message(e.what())));
    }
    return funcs_.emplace(key, w).first->second;
}

Stage Applier::stage(Func &f, int index, const FuncRef &ref, const Loc &loc) {
    int updates = f.num_update_definitions();
    if (index > updates) {
        std::string have = updates == 0   ? "no updates"
                           : updates == 1 ? "1 update (update 0)"
                                          : fmt::format("{} updates (update 0 to {})", updates, updates - 1);
        throw Error(loc, fmt::format("Func '{}' has {}; 'update {}' does not exist", ref.str(), have, index - 1));
    }
    return index == 0 ? Stage(f) : f.update(index - 1);
}

Halide::Expr Applier::condition(const Expr &e) {
    using Op = Expr::Op;
    auto arg = [&](size_t i) { return condition(e.args[i]); };
    switch (e.op) {
    case Op::Const:
        if (e.value < INT32_MIN || e.value > INT32_MAX) {
            throw Error(e.loc, fmt::format("{} does not fit in a 32-bit Halide Expr", e.value));
        }
        return Halide::Expr(static_cast<int32_t>(e.value));
    case Op::Name: {
        auto p = params_.find(e.name);
        if (p != params_.end()) {
            Expr c;
            c.value = p->second;
            c.loc = e.loc;
            return condition(c);
        }
        auto it = symbols_.find(e.name);
        if (it == symbols_.end()) {
            std::vector<std::string> names;
            for (const auto &[n, x] : symbols_) {
                names.push_back(n);
            }
            throw Error(e.loc, fmt::format("unknown name '{}' in a specialize condition; shape symbols are: {}; params "
                                           "may be used too",
                                           e.name, names.empty() ? "(none: this generator passes none)"
                                                                 : fmt::format("{}", fmt::join(names, " "))));
        }
        return it->second;
    }
    case Op::Neg: return -arg(0);
    case Op::Add: return arg(0) + arg(1);
    case Op::Sub: return arg(0) - arg(1);
    case Op::Mul: return arg(0) * arg(1);
    case Op::Div: return arg(0) / arg(1);
    case Op::Mod: return arg(0) % arg(1);
    case Op::Min: return Halide::min(arg(0), arg(1));
    case Op::Max: return Halide::max(arg(0), arg(1));
    case Op::Eq: return arg(0) == arg(1);
    case Op::Ne: return arg(0) != arg(1);
    case Op::Lt: return arg(0) < arg(1);
    case Op::Le: return arg(0) <= arg(1);
    case Op::Gt: return arg(0) > arg(1);
    case Op::Ge: return arg(0) >= arg(1);
    case Op::And: return arg(0) && arg(1);
    case Op::Or: return arg(0) || arg(1);
    case Op::Not: return !arg(0);
    }
    throw Error(e.loc, "internal error: unknown expression node");
}

Stage Applier::block_stage(const StageBlock &b) {
    Func &f = func(b.func);
    Stage st = stage(f, b.stage, b.func, b.loc);
    if (!b.specialize) {
        return st;
    }
    auto it = spec_.find(&b);
    if (it == spec_.end()) {
        it = spec_.emplace(&b, condition(*b.specialize)).first;
    }
    try {
        return st.specialize(it->second);
    } catch (const Halide::Error &e) {
        throw Error(b.loc, fmt::format("Halide rejected 'specialize {}' on {}: {}", format(*b.specialize),
                                       stage_name(b.func.str(), b.stage), halide_message(e.what())));
    }
}

std::vector<Dim> Applier::dims(Func &f, int index, const Halide::Expr *spec) {
    // Read the loops back from Halide after every directive, so names introduced by split, tile,
    // fuse and gpu_tile (and removed by them) are exactly Halide's.
    const Halide::Internal::Definition *defp =
        index == 0 ? &f.function().definition() : &f.function().update(index - 1);
    if (spec) {
        for (const auto &sp : defp->specializations()) {
            if (Halide::Internal::equal(sp.condition, *spec)) {
                defp = &sp.definition;
                break;
            }
        }
    }
    const Halide::Internal::Definition &def = *defp;
    std::vector<Dim> out;
    std::map<std::string, int> rdom_dims;  // "rk" -> number of RVars named rk$...
    for (const auto &d : def.schedule().dims()) {
        if (d.var == Var::outermost().name()) {
            continue;
        }
        Dim x;
        x.halide = d.var;
        x.rvar = d.is_rvar();
        size_t dot = d.var.rfind('.');
        x.display = dot == std::string::npos ? d.var : d.var.substr(dot + 1);
        size_t dollar = x.display.find('$');
        if (dollar != std::string::npos) {
            x.dotted = x.display.substr(0, dollar) + "." + x.display.substr(dollar + 1);
            rdom_dims[x.display.substr(0, dollar)]++;
        }
        out.push_back(x);
    }
    for (Dim &x : out) {
        size_t dollar = x.display.find('$');
        if (dollar != std::string::npos) {
            std::string rdom = x.display.substr(0, dollar);
            // A 1-D RDom is named by the RDom's name; RVars of a multi-dimensional one as rk.x, rk.y.
            x.display = rdom_dims[rdom] == 1 ? rdom : x.dotted;
        }
    }
    return out;
}

Dim Applier::find(Func &f, int index, const Name &n, const std::string &fname, const Halide::Expr *spec) {
    std::vector<Dim> ds = dims(f, index, spec);
    for (const Dim &d : ds) {
        if (d.matches(n.text)) {
            return d;
        }
    }
    std::vector<std::string> names;
    for (const Dim &d : ds) {
        names.push_back(d.display);
    }
    throw Error(n.loc, fmt::format("unknown Var '{}' in {}; Vars are: {}", n.text, stage_name(fname, index),
                                   fmt::join(names, " ")));
}

void Applier::check_new(Func &f, int index, const Name &n, const std::string &fname, const Halide::Expr *spec) {
    for (const Dim &d : dims(f, index, spec)) {
        if (d.matches(n.text)) {
            throw Error(n.loc, fmt::format("Var '{}' already exists in {}; pick a new name", n.text,
                                           stage_name(fname, index)));
        }
    }
}

int64_t Applier::value(const Expr &e) {
    return evaluate(e, params_);
}

Halide::Expr Applier::factor(const Expr &e, bool positive) {
    int64_t v = value(e);
    if (positive && v <= 0) {
        throw Error(e.loc, fmt::format("'{}' = {} must be positive", format(e), v));
    }
    if (v < INT32_MIN || v > INT32_MAX) {
        throw Error(e.loc, fmt::format("'{}' = {} does not fit in a 32-bit Halide Expr", format(e), v));
    }
    return Halide::Expr(static_cast<int32_t>(v));
}

Var Applier::pure_var(Func &f, const Name &n, const std::string &fname) {
    std::vector<std::string> names;
    for (const Var &v : f.args()) {
        if (v.name() == n.text) {
            return v;
        }
        names.push_back(v.name());
    }
    throw Error(n.loc, fmt::format("unknown Var '{}' of Func '{}' (storage dimensions are pure Vars); Vars are: {}",
                                   n.text, fname, fmt::join(names, " ")));
}

Halide::LoopLevel Applier::loop_level(const Directive &d, int *stage_found) {
    Func &g = func(*d.func);
    const Name &v = d.vars[0];
    std::string gname = d.func->str();
    if (d.func_stage) {
        stage(g, *d.func_stage, *d.func, d.func->base.loc);
        Dim x = find(g, *d.func_stage, v, gname);
        if (stage_found) {
            *stage_found = *d.func_stage;
        }
        return Halide::LoopLevel(g, x.handle());
    }
    // The file's name is checked against every stage of F (the last stage that has it wins, for
    // compute_with). The LoopLevel itself carries no stage index: Halide 21 matches such a level
    // against F's loops of any stage, whereas an explicit index makes its schedule validation
    // reject even legal levels ("computed at the following invalid location"). So `update N`
    // only narrows the name check; a loop name should be unique among F's stages.
    std::vector<std::string> listing;
    for (int i = g.num_update_definitions(); i >= 0; i--) {
        for (const Dim &x : dims(g, i)) {
            if (x.matches(v.text)) {
                if (stage_found) {
                    *stage_found = i;
                }
                return Halide::LoopLevel(g, x.handle());
            }
        }
    }
    for (int i = 0; i <= g.num_update_definitions(); i++) {
        std::vector<std::string> names;
        for (const Dim &x : dims(g, i)) {
            names.push_back(x.display);
        }
        listing.push_back(fmt::format("{}: {}", i == 0 ? "stage 0" : fmt::format("update {}", i - 1),
                                      fmt::join(names, " ")));
    }
    throw Error(v.loc, fmt::format("unknown loop '{}' in Func '{}'; loops are: {}", v.text, gname,
                                   fmt::join(listing, "; ")));
}

Halide::TailStrategy tail_of(const Directive &d) {
    return d.tail ? value_of(tail_strategies(), d.tail->text) : Halide::TailStrategy::Auto;
}

bool is_late(const std::string &k) {
    // Directives naming another Func's loop: applied after every loop-structure directive, so a
    // file may say `compute_at o to` before (or after) the block that splits o's t into to.
    return k == "compute_at" || k == "store_at" || k == "hoist_storage" || k == "compute_with";
}

bool is_stage_level(const std::string &k) {
    static const std::set<std::string> s = {"split",      "tile",        "fuse",      "reorder",
                                            "vectorize",  "unroll",      "parallel",  "serial",
                                            "gpu_blocks", "gpu_threads", "gpu_lanes", "gpu_single_thread",
                                            "gpu_tile",   "atomic",      "allow_race_conditions",
                                            "rfactor",    "prefetch",    "rename",    "partition"};
    return s.count(k) > 0;
}

void Applier::apply_stage(const StageBlock &b, const Directive &d) {
    Func &f = func(b.func);
    std::string fname = b.func.str();
    Stage st = block_stage(b);
    const Halide::Expr *spec = b.specialize ? &spec_.at(&b) : nullptr;
    const std::string &k = d.kind;
    if (k.rfind("gpu_", 0) == 0 && !target_.has_gpu_feature()) {
        throw Error(d.loc, fmt::format("'{}' needs a GPU target; the target is {}", k, target_.to_string()));
    }
    auto var = [&](size_t i) { return find(f, b.stage, d.vars[i], fname, spec); };
    // A new name takes the kind (Var or RVar) of the loop it comes from.
    auto fresh = [&](size_t i, bool rvar) {
        check_new(f, b.stage, d.vars[i], fname, spec);
        return loop_var(d.vars[i].text, rvar);
    };
    Halide::TailStrategy tail = tail_of(d);
    if (k == "split") {
        Dim v = var(0);
        // Halide lets either part keep the split loop's name (its own vectorize(x, n) does
        // split(x, x, x_vi); Anderson2021 writes split(xi, xi_serial_outer, xi)); imported
        // schedules say so.
        auto part = [&](size_t i) {
            return d.vars[i].text == d.vars[0].text ? loop_var(d.vars[i].text, v.rvar) : fresh(i, v.rvar);
        };
        st.split(v.handle(), part(1), part(2), factor(d.exprs[0], true), tail);
    } else if (k == "tile") {
        Dim x = var(0), y = var(1);
        st.tile(x.handle(), y.handle(), fresh(2, x.rvar), fresh(3, y.rvar), fresh(4, x.rvar), fresh(5, y.rvar),
                factor(d.exprs[0], true), factor(d.exprs[1], true), tail);
    } else if (k == "fuse") {
        Dim a = var(0), o = var(1);
        // As with split, the fused loop may take one of its parts' names (Anderson2021 writes
        // fuse(h, b, h)).
        const std::string &to = d.vars[2].text;
        const bool rvar = a.rvar || o.rvar;
        VarOrRVar fused = to == d.vars[0].text || to == d.vars[1].text ? loop_var(to, rvar) : fresh(2, rvar);
        st.fuse(a.handle(), o.handle(), fused);
    } else if (k == "reorder") {
        std::vector<VarOrRVar> vs;
        for (size_t i = 0; i < d.vars.size(); i++) {
            vs.push_back(var(i).handle());
        }
        st.reorder(vs);
    } else if (k == "vectorize" || k == "unroll") {
        Dim v = var(0);
        if (d.exprs.empty()) {
            k == "vectorize" ? st.vectorize(v.handle()) : st.unroll(v.handle());
        } else {
            Halide::Expr e = factor(d.exprs[0], true);
            k == "vectorize" ? st.vectorize(v.handle(), e, tail) : st.unroll(v.handle(), e, tail);
        }
    } else if (k == "parallel") {
        Dim v = var(0);
        d.exprs.empty() ? st.parallel(v.handle()) : st.parallel(v.handle(), factor(d.exprs[0], true));
    } else if (k == "serial") {
        st.serial(var(0).handle());
    } else if (k == "rename") {
        Dim v = var(0);
        st.rename(v.handle(), fresh(1, v.rvar));
    } else if (k == "partition") {
        st.partition(var(0).handle(), value_of(partition_policies(), d.word->text));
    } else if (k == "gpu_blocks" || k == "gpu_threads") {
        std::vector<VarOrRVar> vs;
        for (size_t i = 0; i < d.vars.size(); i++) {
            vs.push_back(var(i).handle());
        }
        bool blocks = k == "gpu_blocks";
        if (vs.size() == 1) {
            blocks ? st.gpu_blocks(vs[0]) : st.gpu_threads(vs[0]);
        } else if (vs.size() == 2) {
            blocks ? st.gpu_blocks(vs[0], vs[1]) : st.gpu_threads(vs[0], vs[1]);
        } else {
            blocks ? st.gpu_blocks(vs[0], vs[1], vs[2]) : st.gpu_threads(vs[0], vs[1], vs[2]);
        }
    } else if (k == "gpu_lanes") {
        st.gpu_lanes(var(0).handle());
    } else if (k == "gpu_single_thread") {
        st.gpu_single_thread();
    } else if (k == "gpu_tile") {
        size_t n = d.n_inputs;
        std::vector<Dim> in;
        for (size_t i = 0; i < n; i++) {
            in.push_back(var(i));
        }
        // Outputs: all block Vars, then all thread Vars (Halide's argument order).
        std::vector<VarOrRVar> bv, tv;
        std::vector<Halide::Expr> sz;
        for (size_t i = 0; i < n; i++) {
            bv.push_back(fresh(n + i, in[i].rvar));
            tv.push_back(fresh(2 * n + i, in[i].rvar));
            sz.push_back(factor(d.exprs[i], true));
        }
        if (n == 1) {
            st.gpu_tile(in[0].handle(), bv[0], tv[0], sz[0], tail);
        } else if (n == 2) {
            st.gpu_tile(in[0].handle(), in[1].handle(), bv[0], bv[1], tv[0], tv[1], sz[0], sz[1], tail);
        } else {
            st.gpu_tile(in[0].handle(), in[1].handle(), in[2].handle(), bv[0], bv[1], bv[2], tv[0], tv[1], tv[2],
                        sz[0], sz[1], sz[2], tail);
        }
    } else if (k == "atomic") {
        st.atomic();
    } else if (k == "allow_race_conditions") {
        st.allow_race_conditions();
    } else if (k == "rfactor") {
        const Name &as = d.func->base;
        if (funcs_.count(as.text)) {
            throw Error(as.loc, fmt::format("'{}' already names a Func; give the rfactor Func a new name", as.text));
        }
        std::vector<std::pair<RVar, Var>> preserved;
        for (size_t i = 0; i + 1 < d.vars.size(); i += 2) {
            Dim r = var(i);
            if (!r.rvar) {
                throw Error(d.vars[i].loc, fmt::format("'{}' is a pure Var of {}; rfactor preserves RVars", d.vars[i].text,
                                                       stage_name(fname, b.stage)));
            }
            preserved.emplace_back(RVar(r.raw()), Var(d.vars[i + 1].text));
        }
        Func intm = st.rfactor(preserved);
        funcs_.emplace(as.text, intm);
        order_.push_back(as.text);
    } else if (k == "prefetch") {
        Func &g = func(*d.func);
        Dim at = var(0), from = var(1);
        Halide::Expr offset = d.exprs.empty() ? Halide::Expr(1) : factor(d.exprs[0], false);
        auto strategy = d.word ? value_of(prefetch_bounds(), d.word->text) : Halide::PrefetchBoundStrategy::GuardWithIf;
        st.prefetch(g, at.handle(), from.handle(), offset, strategy);
    } else {
        throw Error(d.loc, fmt::format("internal error: no stage handler for '{}'", k));
    }
}

void Applier::apply_func(const StageBlock &b, const Directive &d) {
    Func &f = func(b.func);
    std::string fname = b.func.str();
    const std::string &k = d.kind;
    if (k == "compute_root") {
        f.compute_root();
    } else if (k == "compute_inline") {
        f.compute_inline();
    } else if (k == "store_root") {
        f.store_root();
    } else if (k == "hoist_storage_root") {
        f.hoist_storage_root();
    } else if (k == "memoize") {
        f.memoize();
    } else if (k == "async") {
        f.async();
    } else if (k == "ring_buffer") {
        f.ring_buffer(factor(d.exprs[0], true));
    } else if (k == "store_in") {
        f.store_in(value_of(memory_types(), d.word->text));
    } else if (k == "bound") {
        Var v = pure_var(f, d.vars[0], fname);
        f.bound(v, factor(d.exprs[0], false), factor(d.exprs[1], false));
    } else if (k == "bound_storage") {
        f.bound_storage(pure_var(f, d.vars[0], fname), factor(d.exprs[0], true));
    } else if (k == "align_bounds") {
        Halide::Expr rem = d.exprs.size() > 1 ? factor(d.exprs[1], false) : Halide::Expr(0);
        f.align_bounds(pure_var(f, d.vars[0], fname), factor(d.exprs[0], true), rem);
    } else if (k == "bound_extent") {
        f.bound_extent(pure_var(f, d.vars[0], fname), factor(d.exprs[0], false));
    } else if (k == "align_storage") {
        f.align_storage(pure_var(f, d.vars[0], fname), factor(d.exprs[0], true));
    } else if (k == "fold_storage") {
        f.fold_storage(pure_var(f, d.vars[0], fname), factor(d.exprs[0], true));
    } else if (k == "reorder_storage") {
        std::vector<Var> vs;
        for (const Name &n : d.vars) {
            vs.push_back(pure_var(f, n, fname));
        }
        f.reorder_storage(vs);
    } else {
        throw Error(d.loc, fmt::format("internal error: no Func handler for '{}'", k));
    }
}

void Applier::apply_late(const StageBlock &b, const Directive &d) {
    Func &f = func(b.func);
    const std::string &k = d.kind;
    if (k == "compute_with") {
        Stage st = block_stage(b);
        // compute_with takes the other stage and one of its loops, not a LoopLevel: resolve the loop
        // the same way (last stage that has it, unless `update N` is given), then name that stage.
        int found = 0;
        loop_level(d, &found);
        Func &g = func(*d.func);
        Dim x = find(g, found, d.vars[0], d.func->str());
        Stage other = found == 0 ? Stage(g) : g.update(found - 1);
        auto align = d.word ? value_of(loop_alignments(), d.word->text) : Halide::LoopAlignStrategy::Auto;
        st.compute_with(other, x.handle(), align);
        return;
    }
    Halide::LoopLevel ll = loop_level(d);
    if (k == "compute_at") {
        f.compute_at(ll);
    } else if (k == "store_at") {
        f.store_at(ll);
    } else if (k == "hoist_storage") {
        f.hoist_storage(ll);
    }
}

void Applier::run() {
    if (s_.autoschedule) {
        throw Error(s_.autoschedule->loc,
                    fmt::format("'autoschedule {}' is not applied by seqmix::sched::apply; run the autoscheduler on "
                                "the pipeline instead (it schedules whole pipelines)",
                                s_.autoschedule->name));
    }
    for (int pass = 0; pass < 2; pass++) {
        for (const StageBlock &b : s_.stages) {
            // Resolve the Func and stage even for an empty block, so a typo never goes unnoticed.
            block_stage(b);
            for (const Directive &d : b.directives) {
                if (is_late(d.kind) != (pass == 1)) {
                    continue;
                }
                try {
                    if (is_late(d.kind)) {
                        apply_late(b, d);
                    } else if (is_stage_level(d.kind)) {
                        apply_stage(b, d);
                    } else {
                        apply_func(b, d);
                    }
                } catch (const Halide::Error &e) {
                    throw Error(d.loc, fmt::format("Halide rejected '{}' on {}: {}", d.kind,
                                                   stage_name(b.func.str(), b.stage), halide_message(e.what())));
                }
            }
        }
    }
}

}  // namespace

void apply(const Schedule &s, const std::map<std::string, int64_t> &params, const std::vector<Halide::Func> &funcs,
           const Halide::Target &target, const std::map<std::string, Halide::Expr> &symbols) {
    Applier(s, params, funcs, target, symbols).run();
}

namespace {

// The directory of libHalide.so, where the wheel ships the autoscheduler plugins.
std::string halide_lib_dir() {
    Dl_info info{};
    if (dladdr(reinterpret_cast<void *>(&Halide::load_plugin), &info) && info.dli_fname) {
        return std::filesystem::path(info.dli_fname).parent_path().string();
    }
    return "";
}

}  // namespace

void autoschedule(const Schedule &s, const Halide::Pipeline &p, const Halide::Target &target) {
    if (!s.autoschedule) {
        throw Error(Loc{s.filename, 0, 0}, "internal error: autoschedule() on a file without 'autoschedule'");
    }
    const Autoschedule &a = *s.autoschedule;
    static const std::map<std::string, std::string> names = {{"adams2019", "Adams2019"},
                                                             {"anderson2021", "Anderson2021"},
                                                             {"li2018", "Li2018"},
                                                             {"mullapudi2016", "Mullapudi2016"}};
    auto it = names.find(a.name);
    if (it == names.end()) {
        throw Error(a.loc, fmt::format("unknown autoscheduler '{}'; autoschedulers are: adams2019 anderson2021 li2018 "
                                       "mullapudi2016",
                                       a.name));
    }
    Halide::AutoschedulerParams params(it->second);
    for (const auto &[k, v] : a.options) {
        // `autoscheduler.beam_size=1` (the generator command line's spelling) or `beam_size=1`.
        std::string key = k.rfind("autoscheduler.", 0) == 0 ? k.substr(14) : k;
        params.extra[key] = v;
    }
    // Default beam sizes (32) exhaust a 24 GB machine (HALIDE_NOTES.md, "Autoschedulers").
    if ((a.name == "adams2019" || a.name == "anderson2021") && !params.extra.count("beam_size")) {
        params.extra["beam_size"] = "1";
    }
    static std::mutex mu;
    static std::set<std::string> loaded;
    try {
        std::lock_guard<std::mutex> lock(mu);
        if (!loaded.count(a.name)) {
            std::string dir = halide_lib_dir();
            std::string lib = (std::filesystem::path(dir) / ("libautoschedule_" + a.name + ".so")).string();
            if (dir.empty() || !std::filesystem::exists(lib)) {
                throw Error(a.loc, fmt::format("autoscheduler plugin {} not found (looked next to libHalide)", lib));
            }
            Halide::load_plugin(lib);
            loaded.insert(a.name);
        }
    } catch (const Halide::Error &e) {
        throw Error(a.loc, fmt::format("cannot load the {} plugin: {}", a.name, halide_message(e.what())));
    }
    try {
        p.apply_autoscheduler(target, params);
        // The autoschedulers' splits hold only near the estimates: make each one correct at every
        // extent the runtime may pass (import.h, guard_tails).
        guard_tails(p);
    } catch (const Halide::Error &e) {
        throw Error(a.loc, fmt::format("{} failed: {}", params.to_string(), halide_message(e.what())));
    }
}

}  // namespace seqmix::sched
