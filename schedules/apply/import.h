// The reverse of apply(): read the schedule that Halide holds for a pipeline (after an
// autoscheduler ran, or any scheduling code) out of its FuncSchedule and StageSchedule objects,
// and write it as a plain .sched file that apply() reproduces exactly.
#pragma once

#include <Halide.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace seqmix::sched {

// Rewrites, in every stage and specialisation of every Func of `p`, each split whose tail strategy
// computes past the end of the loop (ShiftInwards, RoundUp, their Blend forms, and Auto, which
// becomes one of them) to GuardWithIf. Such a split is correct only while the loop's extent is at
// least the factor (and, for RoundUp, a multiple of it) and the producers may be read past the
// region the output needs; autoschedulers pick factors from the estimates (Adams2019 splits lse's
// t by 2048), so without this an autoscheduled kernel fails with a Halide bounds error for T < 2048.
// Returns one line per rewritten split: "lse: t -> to, ti by 2048 (ShiftInwards)".
std::vector<std::string> guard_tails(const Halide::Pipeline &p);

struct ExportOptions {
    std::vector<std::string> comments;                    // written first, each as "# ..."
    std::string when;                                     // `when` condition, "" for none
    bool explicit_only = false;                           // write `explicit`
    std::vector<std::pair<std::string, int64_t>> params;  // algorithm params, written as fixed values
};

// The .sched text of the schedule `p` holds: every Func that is not inlined, producers first, with
// compute/store levels, memory type, bounds, storage layout and, per stage, its splits, renames and
// fuses in order, the full loop order and each loop's kind (vectorized, parallel, GPU ...).
// Throws sched::Error for what the language cannot express (a non-constant split factor, rfactor).
std::string export_schedule(const Halide::Pipeline &p, const ExportOptions &options = {});

}  // namespace seqmix::sched
