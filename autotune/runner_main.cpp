// seqmix-tune-runner: the small, statically linked (libstdc++, libgcc) runner a GPU bundle
// carries. It links no Halide, Boost or XGBoost: only the candidates' own modules, the float64
// references and nlohmann-json.
//   seqmix-tune-runner run-bundle DIR [--quiet]
//   seqmix-tune-runner fingerprint [cpu|cuda]
#include <cstdio>
#include <cstring>
#include <exception>
#include <string>

#include "bundle_run.h"
#include "runner.h"

int main(int argc, char **argv) {
    const std::string usage = "usage: seqmix-tune-runner run-bundle DIR [--quiet] | fingerprint [cpu|cuda]\n";
    try {
        if (argc >= 3 && std::strcmp(argv[1], "run-bundle") == 0) {
            const bool quiet = argc >= 4 && std::strcmp(argv[3], "--quiet") == 0;
            return seqmix::tune::run_bundle(argv[2], quiet);
        }
        if (argc >= 2 && std::strcmp(argv[1], "fingerprint") == 0) {
            std::printf("%s\n", seqmix::tune::hw_fingerprint(argc >= 3 ? argv[2] : "cpu").dump().c_str());
            return 0;
        }
    } catch (const std::exception &e) {
        std::fprintf(stderr, "seqmix-tune-runner: %s\n", e.what());
        return 1;
    }
    std::fputs(usage.c_str(), stderr);
    return 2;
}
