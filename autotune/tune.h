// One tuning run: baselines, then the search (generate -> build in parallel -> measure serially
// -> callbacks: database, strategy/cost model, progress), then the interleaved re-measurement of
// the best few beside the baselines, and the report.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "builder.h"
#include "tune_context.h"

namespace seqmix::tune {

struct TuneOptions {
    TuneContext ctx;
    BuildConfig build;
    std::string db_path;
    std::string out_path;       // export the best as a bucket file ("" = don't)
    std::string strategy = "evolutionary";
    int trials = 32;            // search candidates (baselines not counted)
    double time_budget_s = 0;   // 0 = none
    bool resume = false;
    bool json = false;          // quiet; the summary as JSON on stdout
    bool progress = true;       // a TTY without --json
    uint64_t seed = 1;
    std::vector<std::string> autoschedulers;
};

// Returns the summary (also printed). Throws on setup errors (bad template, unreadable db).
nlohmann::json run_tune(TuneOptions opt);

// Per-candidate best time among `records` (remeasure medians of the latest run preferred to
// measure medians), for records of one workload / target / hw.
struct Ranked {
    nlohmann::json record;  // the measure record (schedule, params, ...)
    double seconds = 0;
    std::string phase;      // measure | remeasure
};
std::vector<Ranked> rank(const std::vector<nlohmann::json> &records);

// The text of a bucket file for `best`: a header comment (time, machine, date, command) and the
// schedule, whose `when` is `when` if given, else the template's. With the template's source
// (`template_source`, when it is the file the record was tuned from) the source is kept, comments
// included, with each `param`'s default set to the tuned value; else the canonical text.
std::string bucket_file_text(const Ranked &best, const std::string &when, const Ranked *hand,
                             const std::string &template_source = "");
// The source of the template a record was tuned from, if `repo_root`/<template> still has the
// record's template_hash; else "".
std::string template_source_of(const nlohmann::json &record, const std::string &repo_root);

}  // namespace seqmix::tune
