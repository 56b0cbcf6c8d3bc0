// run-bundle: the GPU host's half of a bundle (bundle.h). Reads <dir>/spec.json, fingerprints the
// machine, computes the references there, measures every candidate in its own child process and
// appends one result line per candidate to <dir>/results.jsonl (fsynced; rerunning skips the
// candidates already there), then re-measures the best few interleaved with the baselines.
#pragma once

#include <string>

namespace seqmix::tune {

// Returns the process exit code (0: every candidate has a result).
int run_bundle(const std::string &dir, bool quiet);

}  // namespace seqmix::tune
