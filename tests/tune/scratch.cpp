#include "scratch.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <system_error>

namespace seqmix::tune {
namespace {

namespace fs = std::filesystem;

fs::path root() { return fs::temp_directory_path() / ("seqmix_tune_" + std::to_string(getpid())); }

// A failed test's paths are in its messages, but the files would pile up in /tmp run after run.
class RemoveScratchRoot : public ::testing::Environment {
public:
    void TearDown() override {
        std::error_code ec;
        fs::remove_all(root(), ec);
    }
};

const ::testing::Environment *const kRemoveScratchRoot = ::testing::AddGlobalTestEnvironment(new RemoveScratchRoot);

}  // namespace

fs::path scratch_dir(const std::string &name) {
    const fs::path d = root() / name;
    fs::remove_all(d);
    fs::create_directories(d);
    return d;
}

}  // namespace seqmix::tune
