// Applies a parsed schedule to the Funcs of a Halide pipeline (inside a generator's schedule(),
// or to a JIT pipeline in tests and the tuner).
#pragma once

#include "lang/schedule.h"

#include <Halide.h>

#include <map>
#include <string>
#include <vector>

namespace seqmix::sched {

// Applies the directives to the named Funcs. `funcs` are all Funcs of the pipeline that may be
// named (outputs included); names are Func::name(). Vars resolve by name among the stage's dims;
// a Func that Halide renamed "out$3" (a second Func named "out" in the process) is also "out" when
// that is unambiguous; a 1-D RDom declared as RDom(0, n, "rk") is named `rk` in the file (Halide calls its RVar
// "rk$x"; `rk`, `rk.x` and the raw name are all accepted). Wrappers `F.in(G)` / `F.in()` are
// created once and nameable.
//
// Throws sched::Error at the directive's file:line:col for unknown names, bad update indices,
// non-positive factors, GPU directives on a CPU target, a present `autoschedule`, and any
// Halide::Error that Halide raises from the scheduling call itself (its message appended).
// Some schedule errors only surface when the pipeline is lowered (e.g. compute_at a loop that does
// not enclose every use); those come from Pipeline::compile_* / realize, as Halide::Error, and are
// the caller's to catch.
//
// `symbols` names the shape symbols that `specialize` conditions may use (B T H K V S ...), each
// the Halide Expr of an input extent (e.g. {"T", q.dim(2).extent()}); params may be used too.
void apply(const Schedule &s, const std::map<std::string, int64_t> &params,
           const std::vector<Halide::Func> &funcs, const Halide::Target &target,
           const std::map<std::string, Halide::Expr> &symbols = {});

// The Halide name of an autoscheduler ("Mullapudi2016") from the file's ("mullapudi2016"), and
// the plugin path next to libHalide. Loads the plugin (once per process) and runs the
// autoscheduler on `p` with the file's options (beam_size=1 by default for adams2019 and
// anderson2021), then rewrites its splits to tails that are correct at every extent (guard_tails,
// import.h). Throws sched::Error at the `autoschedule` line on any failure.
void autoschedule(const Schedule &s, const Halide::Pipeline &p, const Halide::Target &target);

}  // namespace seqmix::sched
