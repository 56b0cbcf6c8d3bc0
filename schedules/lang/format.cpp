// Canonical text of a schedule: one statement per line, directives indented under their header.
#include "lang/schedule.h"

#include <fmt/format.h>

namespace seqmix::sched {

namespace {

std::string names(const std::vector<Name> &v, size_t begin, size_t end) {
    std::string s;
    for (size_t i = begin; i < end; i++) {
        s += (i > begin ? ", " : "") + v[i].text;
    }
    return s;
}

std::string exprs(const std::vector<Expr> &v) {
    std::string s;
    for (size_t i = 0; i < v.size(); i++) {
        s += (i ? ", " : "") + format(v[i]);
    }
    return s;
}

std::string directive(const Directive &d) {
    const std::string &k = d.kind;
    const auto &v = d.vars;
    std::string s = k;
    std::string tail = d.tail ? " tail " + d.tail->text : "";
    if (k == "split") {
        s += fmt::format(" {} into {}, {} by {}", v[0].text, v[1].text, v[2].text, format(d.exprs[0])) + tail;
    } else if (k == "tile" || k == "gpu_tile") {
        s += fmt::format(" {} into {} by {}", names(v, 0, d.n_inputs), names(v, d.n_inputs, v.size()),
                         exprs(d.exprs)) + tail;
    } else if (k == "fuse") {
        s += fmt::format(" {}, {} into {}", v[0].text, v[1].text, v[2].text);
    } else if (k == "compute_at" || k == "store_at" || k == "hoist_storage" || k == "compute_with") {
        s += " " + d.func->str();
        if (d.func_stage) {
            s += fmt::format(" update {}", *d.func_stage - 1);
        }
        s += " " + v[0].text;
    } else if (k == "store_in") {
        s += " " + d.word->text;
    } else if (k == "bound") {
        s += fmt::format(" {} min {} extent {}", v[0].text, format(d.exprs[0]), format(d.exprs[1]));
    } else {
        // Var list, then optional `by` factor(s) and tail: vectorize, unroll, parallel, serial,
        // reorder, gpu_blocks, ..., bound_extent/align_storage/fold_storage (Var then factor).
        if (!v.empty()) {
            s += " " + names(v, 0, v.size());
        }
        if (!d.exprs.empty()) {
            bool by = k == "vectorize" || k == "unroll" || k == "parallel";
            s += (by ? " by " : " ") + exprs(d.exprs) + tail;
        }
    }
    return s;
}

}  // namespace

std::string format(const Schedule &s) {
    std::string out;
    if (s.when) {
        out += "when " + format(*s.when) + "\n";
    }
    for (const Param &p : s.params) {
        out += fmt::format("param {} = {}", p.name, p.value);
        if (p.domain != Param::Domain::None) {
            out += " in " + p.domain_str();
        }
        out += "\n";
    }
    for (const Require &r : s.requires_) {
        out += "require " + format(r.cond) + "\n";
    }
    if (s.autoschedule) {
        out += "autoschedule " + s.autoschedule->name;
        for (const auto &[k, v] : s.autoschedule->options) {
            out += " " + k + "=" + v;
        }
        out += "\n";
    }
    for (const StageBlock &b : s.stages) {
        out += "func " + b.func.str();
        if (b.stage > 0) {
            out += fmt::format(" update {}", b.stage - 1);
        }
        out += " :\n";
        for (const Directive &d : b.directives) {
            out += "    " + directive(d) + "\n";
        }
    }
    return out;
}

}  // namespace seqmix::sched
