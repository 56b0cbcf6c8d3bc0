// Which .sched file a generator reads (generators/common/scheduled_generator.h): a mixer's own
// files before its schedule family's, a bucket before the default, the mixer's own name in the
// error when nothing exists.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <unistd.h>

#include "common/scheduled_generator.h"

namespace {

namespace fs = std::filesystem;

class SchedulePath : public ::testing::Test {
protected:
    void SetUp() override {
        root_ = fs::temp_directory_path() / ("seqmix_schedule_path_" + std::to_string(::getpid()));
        fs::create_directories(root_ / "x86-64");
    }
    void TearDown() override { fs::remove_all(root_); }
    void touch(const std::string &name) { std::ofstream(root_ / "x86-64" / name) << "# test\n"; }
    std::string path(const std::string &mixer, const std::string &bucket, const std::string &family) {
        std::vector<std::string> families;
        if (!family.empty()) families.push_back(family);
        return chain(mixer, bucket, families);
    }
    std::string chain(const std::string &mixer, const std::string &bucket, const std::vector<std::string> &families) {
        return fs::path(seqmix::schedule_path(root_.string(), "x86-64", mixer, bucket, families)).filename().string();
    }
    fs::path root_;
};

TEST_F(SchedulePath, FamilyFileServesMembersWithoutTheirOwn) {
    touch("scalar_decay.sched");
    EXPECT_EQ(path("retention", "default", "scalar_decay"), "scalar_decay.sched");
    touch("retention.sched");
    EXPECT_EQ(path("retention", "default", "scalar_decay"), "retention.sched");
    EXPECT_EQ(path("linear_attn", "default", "scalar_decay"), "scalar_decay.sched");
}

TEST_F(SchedulePath, BucketBeforeDefaultMixerBeforeFamily) {
    touch("scalar_decay.sched");
    touch("retention.sched");
    touch("scalar_decay@long.sched");
    EXPECT_EQ(path("retention", "long", "scalar_decay"), "scalar_decay@long.sched");
    touch("retention@long.sched");
    EXPECT_EQ(path("retention", "long", "scalar_decay"), "retention@long.sched");
    // A bucket this target has no file for falls back to the default.
    EXPECT_EQ(path("retention", "short", "scalar_decay"), "retention.sched");
}

// Nested families, most specific first: kda reads dplr_channel's file before dplr's, and a bucket
// of either before any default.
TEST_F(SchedulePath, NestedFamiliesMostSpecificFirst) {
    const std::vector<std::string> fams{"dplr_channel", "dplr"};
    touch("dplr.sched");
    EXPECT_EQ(chain("kda", "default", fams), "dplr.sched");
    touch("dplr_channel.sched");
    EXPECT_EQ(chain("kda", "default", fams), "dplr_channel.sched");
    EXPECT_EQ(path("delta_rule", "default", "dplr"), "dplr.sched");
    touch("dplr@k64.sched");
    EXPECT_EQ(chain("kda", "k64", fams), "dplr@k64.sched");
    touch("dplr_channel@k64.sched");
    EXPECT_EQ(chain("kda", "k64", fams), "dplr_channel@k64.sched");
    touch("kda.sched");
    EXPECT_EQ(chain("kda", "k64", fams), "dplr_channel@k64.sched");
    EXPECT_EQ(chain("kda", "default", fams), "kda.sched");
}

TEST_F(SchedulePath, NoFamilyAndNothingThereNamesTheMixersFile) {
    EXPECT_EQ(path("gla", "default", ""), "gla.sched");
    EXPECT_EQ(path("retention", "long", "scalar_decay"), "retention.sched");
    touch("gla@short.sched");
    EXPECT_EQ(path("gla", "short", ""), "gla@short.sched");
}

}  // namespace
