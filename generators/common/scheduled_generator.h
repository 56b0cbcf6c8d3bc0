// The piece every seqmix generator shares: find this variant's .sched file from the schedules
// root, the target and the bucket; read its algorithm params in generate(); apply its directives
// to the generator's named Funcs in schedule(). The algorithm itself never calls a scheduling
// method: that is what keeps one algorithm for every target.
#pragma once

#include "Halide.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "apply/apply.h"
#include "gpu_math.h"
#include "lang/schedule.h"

namespace seqmix {

// The schedules/ subdirectory that holds the files for a Halide target (DESIGN.md, "Targets").
std::string target_dir(const Halide::Target &t);

// The .sched file of (mixer, target, bucket). A mixer of a schedule family (mixers whose
// generators share one building block and so one set of stage names, e.g. `scalar_decay` for
// linear_attn, retention and simple_gla) reads the family's file where it has none of its own.
// Families nest, most specific first (kda: `dplr_channel`, the per-channel-decay members, then
// `dplr`), and the first file that exists wins:
//   <mixer>@<bucket>, <family>@<bucket>..., <mixer>, <family>...
// A bucket missing for one sub-target of a CPU multitarget falls back to that target's default
// file, which is correct for every shape.
std::string schedule_path(const std::string &root, const std::string &target_dir, const std::string &mixer,
                          const std::string &bucket, const std::vector<std::string> &families = {});

template<typename T>
class ScheduledGenerator : public Halide::Generator<T> {
public:
    Halide::GeneratorParam<std::string> schedules{"schedules", ""};
    Halide::GeneratorParam<std::string> bucket{"bucket", "default"};
    // "name=value,..." overriding the file's params (the tuner's candidates).
    Halide::GeneratorParam<std::string> params{"params", ""};
    // The schedules/ subdirectory to read instead of the target's own: runs the CUDA schedules
    // on an OpenCL target, so that a CPU OpenCL driver can check them (tests/gpu_schedule_test).
    Halide::GeneratorParam<std::string> schedule_target{"schedule_target", ""};
    // A .sched file to use instead of the one found from schedules/target/bucket (seqmix-sched
    // check and explain of a file anywhere).
    Halide::GeneratorParam<std::string> schedule_file{"schedule_file", ""};

protected:
    // Loads the schedule of `mixer` (of the schedule families `families`, most specific first) and
    // resolves its params; call first in generate().
    void load_schedule(const std::string &mixer, const std::vector<std::string> &families = {}) {
        const std::string dir = schedule_target.value().empty() ? target_dir(this->get_target()) : schedule_target.value();
        std::string path =
            schedule_file.value().empty() ? schedule_path(schedules, dir, mixer, bucket, families) : schedule_file.value();
        try {
            schedule_ = sched::parse_file(path);
            values_ = sched::resolve_params(schedule_, params);
        } catch (const sched::Error &e) {
            fail(e.what());
        }
    }

    // An algorithm param of the loaded schedule (e.g. the chunk size).
    int param(const std::string &name) const {
        auto it = values_.find(name);
        if (it == values_.end()) {
            fail(schedule_.filename + ": the algorithm needs `param " + name + " = ...`, which the file does not declare");
        }
        return static_cast<int>(it->second);
    }

    // An algorithm param that only some of a mixer's files declare (a bucket's specialisation),
    // `fallback` where the file has none.
    int param_or(const std::string &name, int fallback) const {
        auto it = values_.find(name);
        return it == values_.end() ? fallback : static_cast<int>(it->second);
    }

    // The shape symbols that `specialize` conditions may name, each an input extent, e.g.
    // {"T", q.dim(2).extent()}. None by default: a generator that supports `specialize` on shapes
    // overrides this.
    virtual std::map<std::string, Halide::Expr> shape_symbols() {
        return {};
    }

    // Applies the loaded schedule to the named Funcs; call from schedule(). A file with
    // `autoschedule NAME ...` instead hands the whole pipeline to that autoscheduler (its estimates
    // are the generator's set_estimates).
    void apply_schedule(const std::vector<Halide::Func> &funcs) {
        try {
            if (schedule_.autoschedule) {
                sched::autoschedule(schedule_, this->get_pipeline(), this->get_target());
            } else {
                sched::apply(schedule_, values_, funcs, this->get_target(), shape_symbols());
            }
            auto approx = values_.find("exp_approx");
            const bool cuda = this->get_target().has_feature(Halide::Target::CUDA);
            if (approx != values_.end() && approx->second != 0 && cuda) {
                this->get_pipeline().add_custom_lowering_pass(new ExpToEx2Approx);
            }
        } catch (const sched::Error &e) {
            fail(e.what());
        }
    }

    [[noreturn]] static void fail(const std::string &msg) {
        // Halide's generator driver reports its exceptions with a message and a failing exit code.
        throw Halide::CompileError(msg);
    }

private:
    sched::Schedule schedule_;
    std::map<std::string, int64_t> values_;
};

}  // namespace seqmix
