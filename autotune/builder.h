// The builder: turns candidate schedule texts into loadable modules. Each candidate is one run
// of the built seqmix_generators executable in its own process group (GeneratorParam
// schedule_file = the candidate's text, written into the candidate's folder), with a timeout,
// emitting an object with the Halide runtime inside; the C++ compiler then links it into a .so
// that the runner dlopens. A compile that crashes, fails or hangs costs that candidate only.
// Up to `jobs` candidates build at once (build in parallel, time serially).
#pragma once

#include <string>
#include <vector>

namespace seqmix::tune {

struct BuildConfig {
    std::string generator;     // path of seqmix_generators
    std::string cxx = "c++";   // links the .so
    std::string halide_target; // e.g. x86-64-linux-avx512_skylake-user_context
    std::string work_dir;      // candidate folders go here
    double timeout_s = 600;
    int jobs = 1;
};

struct BuildRequest {
    std::string id;      // candidate id (folder and function name)
    std::string mixer;   // generator name
    std::string text;    // the .sched text
};

struct BuildResult {
    std::string id;
    std::string status;  // ok | build_error | build_timeout
    std::string error;
    std::string module;    // the .so
    std::string function;  // its entry point
    double seconds = 0;
};

std::vector<BuildResult> build(const BuildConfig &cfg, const std::vector<BuildRequest> &reqs);

// The Halide target string of a target dir (the strings of generated/CMakeLists.txt), or of
// "host" (this CPU: avx512 if it has AVX-512 F+VL, else avx2 if AVX2+FMA, else baseline).
// Throws std::invalid_argument naming the known dirs.
std::string halide_target_of(const std::string &target_dir);
std::string resolve_target_dir(const std::string &target);  // "host" -> a dir, others checked

}  // namespace seqmix::tune
