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
        if (d.word) {
            s += " align " + d.word->text;
        }
    } else if (k == "rfactor") {
        for (size_t i = 0; i + 1 < v.size(); i += 2) {
            s += fmt::format("{} {} as {}", i ? "," : "", v[i].text, v[i + 1].text);
        }
        s += " into " + d.func->str();
    } else if (k == "prefetch") {
        s += fmt::format(" {} at {} from {}", d.func->str(), v[0].text, v[1].text);
        if (!d.exprs.empty()) {
            s += " offset " + format(d.exprs[0]);
        }
        if (d.word) {
            s += " bound " + d.word->text;
        }
    } else if (k == "store_in") {
        s += " " + d.word->text;
    } else if (k == "rename") {
        s += fmt::format(" {} to {}", v[0].text, v[1].text);
    } else if (k == "partition") {
        s += fmt::format(" {} {}", v[0].text, d.word->text);
    } else if (k == "align_bounds") {
        s += fmt::format(" {} {}", v[0].text, format(d.exprs[0]));
        if (d.exprs.size() > 1) {
            s += " remainder " + format(d.exprs[1]);
        }
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


// One output line and the source line of the statement it prints.
struct Item {
    int line;
    std::string text;
};

std::vector<Item> items(const Schedule &s) {
    std::vector<Item> out;
    if (s.when) {
        out.push_back({s.when->loc.line, "when " + format(*s.when)});
    }
    if (s.explicit_only) {
        out.push_back({s.explicit_only->line, "explicit"});
    }
    for (const Param &p : s.params) {
        std::string t = fmt::format("param {} = {}", p.name, p.value);
        if (p.domain != Param::Domain::None) {
            t += " in " + p.domain_str();
        }
        out.push_back({p.loc.line, t});
    }
    for (const Require &r : s.requires_) {
        out.push_back({r.loc.line, "require " + format(r.cond)});
    }
    if (s.autoschedule) {
        std::string t = "autoschedule " + s.autoschedule->name;
        for (const auto &[k, v] : s.autoschedule->options) {
            t += " " + k + "=" + v;
        }
        out.push_back({s.autoschedule->loc.line, t});
    }
    for (size_t i = 0; i < s.stages.size(); i++) {
        const StageBlock &b = s.stages[i];
        std::string t = "func " + b.func.str();
        if (b.stage > 0) {
            t += fmt::format(" update {}", b.stage - 1);
        }
        t += " :";
        if (b.specialize) {
            // A specialisation block specialises the stage of the block before it; the parser
            // always puts one of the same stage there.
            const StageBlock *prev = i ? &s.stages[i - 1] : nullptr;
            if (!prev || !(prev->func == b.func) || prev->stage != b.stage) {
                out.push_back({b.loc.line, t});
            }
            t = "  specialize " + format(*b.specialize) + " :";
        }
        out.push_back({b.loc.line, t});
        for (const Directive &d : b.directives) {
            out.push_back({d.loc.line, "    " + directive(d)});
        }
    }
    return out;
}

}  // namespace

std::string format(const Schedule &s) {
    std::string out;
    for (const Item &i : items(s)) {
        out += i.text + "\n";
    }
    return out;
}

std::string format_source(std::string_view text, const std::string &filename) {
    Schedule s = parse(text, filename);
    std::vector<Item> its = items(s);
    // Comments and blank lines of the source, by line. '#' always starts a comment (the language
    // has no strings).
    struct Extra {
        int line;
        std::string comment;  // empty: a blank line
        bool trailing;
    };
    std::vector<Extra> extras;
    std::vector<bool> has_code(1, false);
    int line = 1;
    for (size_t pos = 0; pos <= text.size();) {
        size_t nl = text.find('\n', pos);
        std::string_view l = text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
        size_t hash = l.find('#');
        std::string_view code = l.substr(0, hash);
        bool code_blank = code.find_first_not_of(" \t\r;") == std::string_view::npos;
        has_code.push_back(!code_blank);
        if (hash != std::string_view::npos) {
            std::string c(l.substr(hash));
            while (!c.empty() && (c.back() == ' ' || c.back() == '\t' || c.back() == '\r')) {
                c.pop_back();
            }
            extras.push_back({line, c, !code_blank});
        } else if (code_blank && nl != std::string_view::npos) {
            extras.push_back({line, "", false});
        }
        if (nl == std::string_view::npos) {
            break;
        }
        pos = nl + 1;
        line++;
    }
    // Leading extras go before the first item (in output order) whose line is after theirs;
    // trailing comments after the last item of their line.
    std::vector<std::vector<std::string>> before(its.size() + 1);
    std::vector<std::string> after(its.size());
    for (const Extra &e : extras) {
        if (e.trailing) {
            size_t best = its.size();
            for (size_t i = 0; i < its.size(); i++) {
                if (its[i].line == e.line) {
                    best = i;
                }
            }
            if (best < its.size()) {
                after[best] += "  " + e.comment;
                continue;
            }
        }
        size_t target = its.size();
        int target_line = INT32_MAX;
        for (size_t i = 0; i < its.size(); i++) {
            if (its[i].line > e.line && its[i].line < target_line) {
                target = i;
                target_line = its[i].line;
            }
        }
        before[target].push_back(e.comment);
    }
    std::string out;
    auto emit_extras = [&](const std::vector<std::string> &xs, const std::string &indent) {
        for (const std::string &c : xs) {
            if (c.empty()) {
                // At most one blank line, and none at the top of the file.
                if (!out.empty() && out.size() >= 2 && out.compare(out.size() - 2, 2, "\n\n") != 0) {
                    out += "\n";
                }
            } else {
                out += indent + c + "\n";
            }
        }
    };
    for (size_t i = 0; i < its.size(); i++) {
        size_t ws = its[i].text.find_first_not_of(' ');
        emit_extras(before[i], its[i].text.substr(0, ws));
        out += its[i].text + after[i] + "\n";
    }
    emit_extras(before[its.size()], "");
    while (out.size() >= 2 && out.compare(out.size() - 2, 2, "\n\n") == 0) {
        out.pop_back();
    }
    return out;
}

}  // namespace seqmix::sched
