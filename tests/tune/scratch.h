// Scratch space for the tune tests: one directory per test process under the system temp
// directory, removed when the process's tests end (ctest runs each test in a process of its own).
#pragma once

#include <filesystem>
#include <string>

namespace seqmix::tune {

// `<tmp>/seqmix_tune_<pid>/<name>`, created empty.
std::filesystem::path scratch_dir(const std::string &name);

}  // namespace seqmix::tune
