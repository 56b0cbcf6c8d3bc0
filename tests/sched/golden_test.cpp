// Golden error messages: every golden/NAME.sched must fail parse() + resolve_params() with
// exactly the text of golden/NAME.err (the file is parsed under its base name NAME.sched).
#include "lang/schedule.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace seqmix::sched {
namespace {

namespace fs = std::filesystem;

std::string slurp(const fs::path &p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

TEST(SchedGolden, EveryCaseFailsWithItsMessage) {
    std::vector<fs::path> cases;
    for (const auto &e : fs::directory_iterator(SEQMIX_SCHED_GOLDEN_DIR)) {
        if (e.path().extension() == ".sched") {
            cases.push_back(e.path());
        }
    }
    std::sort(cases.begin(), cases.end());
    ASSERT_GE(cases.size(), 20u);
    for (const fs::path &c : cases) {
        SCOPED_TRACE(c.filename().string());
        fs::path err = c;
        err.replace_extension(".err");
        ASSERT_TRUE(fs::exists(err)) << "missing " << err;
        std::string expected = slurp(err);
        while (!expected.empty() && expected.back() == '\n') {
            expected.pop_back();
        }
        std::string got = "no error";
        try {
            Schedule s = parse(slurp(c), c.filename().string());
            resolve_params(s);
        } catch (const Error &e) {
            got = e.what();
        }
        EXPECT_EQ(got, expected);
    }
}

}  // namespace
}  // namespace seqmix::sched
