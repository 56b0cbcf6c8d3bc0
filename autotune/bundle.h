// GPU bundles: candidates built here (no GPU needed to compile CUDA), measured on the GPU host.
//   export-bundle  -> DIR/ seqmix-tune-runner (static), candidates/<id>.so, spec.json (the
//                     parameter list: run spec + candidates + baselines), records.jsonl (each
//                     candidate's record without results), README.txt
//   run-bundle     -> DIR/results.jsonl (bundle_run.h), on the GPU host
//   import         -> the results joined with records.jsonl, merged into the database
// The folder stays under max_bytes (the device tool carries 64 MiB): candidates that would pass
// it are left out, and said so.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

#include "tune.h"

namespace seqmix::tune {

struct BundleOptions {
    TuneOptions tune;           // ctx (device cuda), build, strategy (grid | random), trials, seed
    std::string dir;
    std::string runner_path;    // the built seqmix-tune-runner
    uint64_t max_bytes = 60ull << 20;
};

nlohmann::json export_bundle(const BundleOptions &opt);
// Returns how many records were added to the database.
size_t import_bundle(const std::string &dir, const std::string &db_path);

}  // namespace seqmix::tune
