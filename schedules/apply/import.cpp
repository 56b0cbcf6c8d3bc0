// Reading a pipeline's schedule out of Halide's own schedule objects (never by parsing the C++
// that an autoscheduler can print), and making autoscheduled splits safe at every extent.
#include "apply/import.h"

#include "apply/halide_names.h"

#include "lang/schedule.h"

#include <fmt/format.h>

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <sstream>

namespace seqmix::sched {

namespace {

using Halide::LoopLevel;
using Halide::TailStrategy;
using Halide::Internal::Definition;
using Halide::Internal::Function;
using Halide::Internal::Split;

Loc here() {
    return Loc{"<import>", 0, 0};
}

// Every Function of the pipeline by name, and the output Functions.
std::map<std::string, Function> environment(const Halide::Pipeline &p, std::vector<Function> *outputs) {
    std::map<std::string, Function> env;
    for (const Halide::Func &f : p.outputs()) {
        outputs->push_back(f.function());
        env.emplace(f.name(), f.function());
        for (const auto &[name, g] : Halide::Internal::find_transitive_calls(f.function())) {
            env.emplace(name, g);
        }
    }
    return env;
}

// Calls fn(definition, stage) for the pure definition (stage 0), each update (stage n + 1), and
// each of their specialisations.
void for_each_definition(Function &f, const std::function<void(Definition &, int)> &fn) {
    std::function<void(Definition &, int)> visit = [&](Definition &d, int stage) {
        fn(d, stage);
        for (auto &s : d.specializations()) {
            visit(s.definition, stage);
        }
    };
    visit(f.definition(), 0);
    for (int i = 0; i < static_cast<int>(f.updates().size()); i++) {
        visit(f.update(i), i + 1);
    }
}

std::string text(const Halide::Expr &e) {
    std::ostringstream os;
    os << Halide::Internal::simplify(e);
    return os.str();
}

int64_t constant(const Halide::Expr &e, const std::string &what) {
    // Halide may hold a factor as another integer type (align_bounds' remainder is unsigned).
    std::optional<int64_t> v = Halide::Internal::as_const_int(Halide::Internal::simplify(Halide::cast<int64_t>(e)));
    if (!v) {
        throw Error(here(), fmt::format("{} is not a constant ({}); the schedule language takes integer factors",
                                        what, text(e)));
    }
    return *v;
}

std::string base_name(const std::string &name) {
    return name.substr(0, name.find('$'));
}

// How the file names each Function: Halide renames a second Func of the same name "gcum$1"; the
// file may say "gcum" when that is unambiguous (apply() resolves it the same way).
std::map<std::string, std::string> display_names(const std::map<std::string, Function> &env) {
    std::map<std::string, int> bases;
    for (const auto &[name, f] : env) {
        bases[base_name(name)]++;
    }
    std::map<std::string, std::string> out;
    for (const auto &[name, f] : env) {
        out[name] = bases[base_name(name)] == 1 ? base_name(name) : name;
    }
    return out;
}

// A locked copy: the schedule's LoopLevels stay unlocked until lowering, and an unlocked one cannot
// be inspected; the accessors used here are the ones Halide's serializer uses.
LoopLevel locked(const LoopLevel &l) {
    return LoopLevel(l.func_name(), l.var_name(), l.is_rvar(), l.get_stage_index(), true);
}

class Exporter {
public:
    explicit Exporter(const Halide::Pipeline &p) {
        env_ = environment(p, &outputs_);
        display_ = display_names(env_);
        order_ = Halide::Internal::topological_order(outputs_, env_);
    }

    std::string run(const ExportOptions &o) {
        std::string out;
        for (const std::string &c : o.comments) {
            out += "# " + c + "\n";
        }
        if (!o.when.empty()) {
            out += "when " + o.when + "\n";
        }
        if (o.explicit_only) {
            out += "explicit\n";
        }
        for (const auto &[name, value] : o.params) {
            out += fmt::format("param {} = {}\n", name, value);
        }
        for (const std::string &name : order_) {
            out += func_block(env_.at(name));
        }
        return out;
    }

private:
    bool is_output(const Function &f) const {
        for (const Function &o : outputs_) {
            if (o.name() == f.name()) return true;
        }
        return false;
    }

    // "" for inlined, "root", or "F v".
    std::string level(const LoopLevel &unlocked) const {
        LoopLevel l = locked(unlocked);
        if (!l.defined()) return "";
        if (l.is_inlined()) return "";
        if (l.is_root()) return "root";
        std::string v = loop_name(l.var_name());
        if (v == Halide::Var::outermost().name() || v == loop_name(Halide::Var::outermost().name())) {
            throw Error(here(), fmt::format("a level at the outermost loop of {} cannot be written", l.func_name()));
        }
        return display_.at(l.func_name()) + " " + v;
    }

    std::string func_block(Function &f) {
        const auto &fs = f.schedule();
        std::vector<std::string> fl;
        const std::string compute = level(fs.compute_level()), store = level(fs.store_level());
        if (compute.empty() && !is_output(f)) {
            return "";  // inlined: the default, nothing to say
        }
        fl.push_back(compute == "root" || compute.empty() ? "compute_root" : "compute_at " + compute);
        if (!store.empty() && store != compute) {
            fl.push_back(store == "root" ? "store_root" : "store_at " + store);
        }
        const std::string hoist = level(fs.hoist_storage_level());
        if (!hoist.empty() && hoist != store) {
            fl.push_back(hoist == "root" ? "hoist_storage_root" : "hoist_storage " + hoist);
        }
        if (fs.memory_type() != Halide::MemoryType::Auto) {
            fl.push_back(std::string("store_in ") + word_of(memory_types(), fs.memory_type()));
        }
        for (const auto &b : fs.bounds()) {
            if (b.modulus.defined()) {
                fl.push_back(fmt::format("align_bounds {} {} remainder {}", b.var, constant(b.modulus, "align_bounds modulus"),
                                         constant(b.remainder, "align_bounds remainder")));
            }
            if (b.extent.defined()) {
                fl.push_back(b.min.defined() ? fmt::format("bound {} min {} extent {}", b.var, constant(b.min, "bound min"),
                                                           constant(b.extent, "bound extent"))
                                             : fmt::format("bound_extent {} {}", b.var, constant(b.extent, "bound extent")));
            }
        }
        std::vector<std::string> storage;
        for (const auto &d : fs.storage_dims()) {
            storage.push_back(d.var);
            if (d.bound.defined()) fl.push_back(fmt::format("bound_storage {} {}", d.var, constant(d.bound, "bound_storage")));
            if (d.alignment.defined()) fl.push_back(fmt::format("align_storage {} {}", d.var, constant(d.alignment, "alignment")));
            if (d.fold_factor.defined()) {
                if (!d.fold_forward) throw Error(here(), fmt::format("{}: a backward fold_storage cannot be written", f.name()));
                fl.push_back(fmt::format("fold_storage {} {}", d.var, constant(d.fold_factor, "fold factor")));
            }
        }
        if (storage != f.args()) fl.push_back("reorder_storage " + fmt::format("{}", fmt::join(storage, ", ")));
        if (fs.memoized()) fl.push_back("memoize");
        if (fs.async()) fl.push_back("async");
        if (fs.ring_buffer().defined()) fl.push_back(fmt::format("ring_buffer {}", constant(fs.ring_buffer(), "ring_buffer")));

        std::string out = "func " + display_.at(f.name()) + " :\n";
        for (const std::string &d : fl) out += "    " + d + "\n";
        out += stage_lines(f.definition(), f.name(), 0);
        for (int i = 0; i < static_cast<int>(f.updates().size()); i++) {
            std::string u = stage_lines(f.update(i), f.name(), i + 1);
            if (!u.empty()) out += fmt::format("  update {} :\n", i) + u;
        }
        return out;
    }

    std::string stage_lines(const Definition &def, const std::string &fname, int stage) const {
        if (!def.specializations().empty()) {
            throw Error(here(), fmt::format("{} stage {} has specialisations, which import does not write", fname, stage));
        }
        const auto &ss = def.schedule();
        std::vector<std::string> lines;
        for (const Split &sp : ss.splits()) {
            const std::string old = loop_name(sp.old_var), outer = loop_name(sp.outer), inner = loop_name(sp.inner);
            if (sp.split_type == Split::SplitVar) {
                lines.push_back(fmt::format("split {} into {}, {} by {} tail {}", old, outer, inner,
                                            constant(sp.factor, "split factor"), word_of(tail_strategies(), sp.tail)));
            } else if (sp.split_type == Split::RenameVar) {
                lines.push_back(fmt::format("rename {} to {}", old, outer));
            } else {
                lines.push_back(fmt::format("fuse {}, {} into {}", inner, outer, old));
            }
        }
        std::vector<std::string> loops, kinds;
        for (const auto &d : ss.dims()) {
            std::string v = loop_name(d.var);
            if (d.var == Halide::Var::outermost().name()) continue;
            loops.push_back(v);
            using Halide::Internal::ForType;
            switch (d.for_type) {
            case ForType::Vectorized: kinds.push_back("vectorize " + v); break;
            case ForType::Unrolled: kinds.push_back("unroll " + v); break;
            case ForType::Parallel: kinds.push_back("parallel " + v); break;
            case ForType::GPUBlock: kinds.push_back("gpu_blocks " + v); break;
            case ForType::GPUThread: kinds.push_back("gpu_threads " + v); break;
            case ForType::GPULane: kinds.push_back("gpu_lanes " + v); break;
            default: break;
            }
            if (d.partition_policy != Halide::Partition::Auto) {
                kinds.push_back("partition " + v + " " + word_of(partition_policies(), d.partition_policy));
            }
        }
        if (loops.size() > 1) lines.push_back(fmt::format("reorder {}", fmt::join(loops, ", ")));
        lines.insert(lines.end(), kinds.begin(), kinds.end());
        for (const auto &pf : ss.prefetches()) {
            lines.push_back(fmt::format("prefetch {} at {} from {} offset {} bound {}",
                                        display_.count(pf.name) ? display_.at(pf.name) : pf.name, loop_name(pf.at),
                                        loop_name(pf.from), constant(pf.offset, "prefetch offset"),
                                        word_of(prefetch_bounds(), pf.strategy)));
        }
        LoopLevel with = locked(ss.fuse_level().level);
        if (with.defined()) {
            if (!with.is_inlined() && !with.is_root()) {
                int n = with.get_stage_index();
                lines.push_back(fmt::format("compute_with {}{} {}", display_.at(with.func_name()),
                                            n > 0 ? fmt::format(" update {}", n - 1) : "", loop_name(with.var_name())));
            }
        }
        if (ss.atomic()) lines.push_back("atomic");
        if (ss.allow_race_conditions()) lines.push_back("allow_race_conditions");
        std::string out;
        for (const std::string &l : lines) out += "    " + l + "\n";
        return out;
    }

    std::vector<Function> outputs_;
    std::map<std::string, Function> env_;
    std::map<std::string, std::string> display_;
    std::vector<std::string> order_;
};

}  // namespace

std::vector<std::string> guard_tails(const Halide::Pipeline &p) {
    std::vector<Function> outputs;
    std::map<std::string, Function> env = environment(p, &outputs);
    std::map<std::string, std::string> display = display_names(env);
    std::vector<std::string> changed;
    for (auto &[name, f] : env) {
        for_each_definition(f, [&](Definition &d, int stage) {
            for (Split &sp : d.schedule().splits()) {
                if (sp.split_type != Split::SplitVar || sp.exact) continue;
                TailStrategy t = sp.tail;
                if (t == TailStrategy::GuardWithIf || t == TailStrategy::Predicate ||
                    t == TailStrategy::PredicateLoads || t == TailStrategy::PredicateStores) {
                    continue;
                }
                changed.push_back(fmt::format("{}{}: {} -> {}, {} by {} ({})", display.at(name),
                                              stage ? fmt::format(" update {}", stage - 1) : "", loop_name(sp.old_var),
                                              loop_name(sp.outer), loop_name(sp.inner), text(sp.factor),
                                              word_of(tail_strategies(), t)));
                sp.tail = TailStrategy::GuardWithIf;
            }
        });
    }
    return changed;
}

std::string export_schedule(const Halide::Pipeline &p, const ExportOptions &options) {
    return Exporter(p).run(options);
}

}  // namespace seqmix::sched
