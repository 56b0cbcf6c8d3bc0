// Child processes with a timeout: the isolation that lets a crashing or hanging Halide compile, or
// a candidate that aborts or loops, cost one candidate and not the tuning run. Each child leads
// its own process group, so a timeout kills whatever it started too (the generator's compiler).
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace seqmix::tune {

struct ChildResult {
    enum class Kind { exited, signaled, timed_out } kind = Kind::exited;
    int code = 0;        // exit status or signal number
    std::string output;  // run_forked: what the body returned; run_command: stdout + stderr (tail)
    double seconds = 0;
    bool ok() const { return kind == Kind::exited && code == 0; }
    std::string describe() const;  // "exit 1", "killed by signal 6 (Aborted)", "timed out after 30 s"
};

// Runs body() in a forked child; its return value comes back through a pipe. The child never
// returns into the caller's stack (it _exit()s).
ChildResult run_forked(const std::function<std::string()> &body, double timeout_s);

// fork + exec of argv with a timeout; stdout and stderr go to log_path and its tail into output.
ChildResult run_command(const std::vector<std::string> &argv, double timeout_s, const std::string &log_path);

}  // namespace seqmix::tune
