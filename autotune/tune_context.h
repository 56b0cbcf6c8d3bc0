// What one tuning run is about and the pieces every record repeats: the workload (mixer, shape),
// the target, the hardware fingerprint, versions, and the candidates (hand schedule,
// autoscheduler baselines, search points) with their stable ids.
#pragma once

#include <nlohmann/json.hpp>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "protocol.h"
#include "search_space.h"
#include "workload.h"

namespace seqmix::tune {

struct TuneContext {
    std::string mixer;
    Shape shape;
    std::string target_dir;     // schedules/<target_dir>/
    std::string halide_target;
    std::string device;         // cpu | cuda
    std::string schedules_root; // the repo's schedules/
    std::string template_path;  // the searched template (as given)
    std::string template_name;  // as records name it: relative to the repo when inside it
    std::string template_hash;  // fnv_hex of its text: flags a record made from an older template
    std::map<std::string, int64_t> fixed;  // --fix: params held at one value of their domain
    nlohmann::json hw;          // hw_fingerprint() (for a bundle: filled in on the GPU host)
    nlohmann::json versions;    // halide, seqmix, generator hash
    TimingProtocol protocol;
    std::string run_id;
    std::vector<std::string> command;  // argv, written into records and exported headers
};

struct Candidate {
    std::string id;
    std::string origin;  // hand | autoscheduler | search
    std::string label;   // "attention@d64.sched", "adams2019 beam_size=1 parallelism=2", "block_s=64,..."
    std::string text;
    std::map<std::string, int64_t> params;
    std::optional<Point> point;  // search candidates
};

// FNV-1a 64 of the text, hex.
std::string fnv_hex(const std::string &text);
// The id of a schedule text for this workload and target.
std::string candidate_id(const TuneContext &ctx, const std::string &text);

// The file dispatch picks for the shape: the first non-explicit bucket file of the mixer whose
// `when` holds, else <mixer>.sched.
std::string dispatched_schedule(const std::string &schedules_root, const std::string &target_dir,
                                const std::string &mixer, const Shape &shape);

// Hand baseline + autoscheduler baselines: the target dir's <mixer>@<autoscheduler>.sched files
// and one synthesized per requested autoscheduler ("adams2019", ...) with the template's
// algorithm params, beam_size=1 (HALIDE_NOTES.md: the default beam exhausts 24 GB) and
// parallelism = this machine's cores (CPU) or the template's defaults (GPU).
std::vector<Candidate> baseline_candidates(const TuneContext &ctx, const sched::Schedule &tmpl,
                                           const std::vector<std::string> &autoschedulers, int cores);

Candidate search_candidate(const TuneContext &ctx, const SearchSpace &space, const Point &p);

// A record without results (status "pending"): everything the candidate is.
nlohmann::json base_record(const TuneContext &ctx, const Candidate &c);

std::string iso_now();

}  // namespace seqmix::tune
