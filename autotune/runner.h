// The runner: loads compiled candidates (a .so each, holding one AOT entry point and its own
// Halide runtime), checks each one's outputs against the float64 reference, then times it with
// the TimingProtocol. Every candidate runs in a forked child process, so one that aborts, faults
// or loops costs only itself (recorded run_error / run_timeout). The same code runs here (linked
// into seqmix-tune) and on a GPU host (linked into the small static seqmix-tune-runner of a
// bundle), where it computes the references itself.
#pragma once

#include <nlohmann/json.hpp>

#include <memory>
#include <string>
#include <vector>

#include "protocol.h"
#include "workload.h"

namespace seqmix::tune {

struct CandidateModule {
    std::string id;        // the database key of the candidate
    std::string module;    // path of its .so
    std::string function;  // AOT entry point
};

struct RunSpec {
    std::string mixer;
    Shape shape;
    uint64_t seed = 1;
    std::string device = "cpu";  // cpu | cuda
    // HL_CUDA_JIT_MAX_REGISTERS: the runtime's own default (runtime/CMakeLists.txt), so that a
    // tuned schedule is timed under the register cap it will run with.
    int cuda_max_registers = 64;
    TimingProtocol protocol;
    std::string cache_dir;  // reference cache ("" = none)
};
void to_json(nlohmann::json &j, const RunSpec &s);
void from_json(const nlohmann::json &j, RunSpec &s);

class Runner {
public:
    explicit Runner(RunSpec spec);
    // Draws the inputs and computes (or loads from cache_dir) the reference; done once.
    void prepare();
    // {"status": ok|wrong|run_error|run_timeout, "error", "check": {...}, "run": {...}}
    // A candidate whose first timed call is slower than cutoff_s (the tuner passes a few times
    // the best so far) is not timed further: its run has that one time and "pruned": true.
    nlohmann::json measure(const CandidateModule &c, double cutoff_s = 1e30);
    // Times the given candidates again in one child, round-robin (each round times every one
    // once, the order rotated), so load changes on a shared machine hit them all alike. One
    // result per candidate, as measure() gives, with "phase": "remeasure".
    std::vector<nlohmann::json> remeasure(const std::vector<CandidateModule> &cs);
    const RunSpec &spec() const { return spec_; }
    double flops() const;

private:
    RunSpec spec_;
    std::vector<std::vector<double>> ref_;
    bool prepared_ = false;
};

// Hardware fingerprint: CPU model, cores and ISA (and the GPU's name, compute capability and
// driver when device == cuda, queried in a child so this process never initialises CUDA). `key`
// is the short form the database groups by.
nlohmann::json hw_fingerprint(const std::string &device);

}  // namespace seqmix::tune
