// The timing protocol (STYLE.md: a named struct, written into every record). A repeat times
// `inner` back-to-back calls, with `inner` grown until one repeat lasts at least min_time_s, so
// short kernels are not timer noise; the median over repeats is the candidate's time and the
// spread ((p90 - p10) / median) says how noisy the machine was. The first `warmup` calls (page
// faults, Halide thread pool start, CUDA context and PTX JIT) are not timed. Caches are not
// flushed: the tuned kernels are compute-bound at the bench shapes, and flushing would time the
// flush's own memory traffic on a shared 2-core machine.
#pragma once

#include <nlohmann/json.hpp>

namespace seqmix::tune {

struct TimingProtocol {
    int warmup = 1;
    int repeats = 5;
    double min_time_s = 0.02;
    double run_timeout_s = 120;  // per candidate: check + warm-up + repeats, in its child process
    int remeasure_top = 4;       // the best few are timed again, interleaved
    int remeasure_rounds = 7;
    double prune_ratio = 3;      // stop timing a candidate whose first call is this many times the best
};

inline void to_json(nlohmann::json &j, const TimingProtocol &p) {
    j = {{"warmup", p.warmup},           {"repeats", p.repeats},
         {"min_time_s", p.min_time_s},   {"run_timeout_s", p.run_timeout_s},
         {"remeasure_top", p.remeasure_top}, {"remeasure_rounds", p.remeasure_rounds}, {"prune_ratio", p.prune_ratio},
         {"cache_flush", false}};
}

inline void from_json(const nlohmann::json &j, TimingProtocol &p) {
    p.warmup = j.value("warmup", p.warmup);
    p.repeats = j.value("repeats", p.repeats);
    p.min_time_s = j.value("min_time_s", p.min_time_s);
    p.run_timeout_s = j.value("run_timeout_s", p.run_timeout_s);
    p.remeasure_top = j.value("remeasure_top", p.remeasure_top);
    p.remeasure_rounds = j.value("remeasure_rounds", p.remeasure_rounds);
    p.prune_ratio = j.value("prune_ratio", p.prune_ratio);
}

}  // namespace seqmix::tune
