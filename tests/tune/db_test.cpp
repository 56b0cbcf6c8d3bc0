// The tuning database: append + fsync per record, torn last line detected, reported and cut off,
// a kill -9 in the middle of appending loses no record whose append had returned, merge by uid.
#include <gtest/gtest.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "database.h"
#include "scratch.h"

namespace seqmix::tune {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

std::string temp_path(const std::string &name) { return (scratch_dir(name) / name).string(); }

TEST(TuneDb, AppendThenReload) {
    const auto path = temp_path("a.jsonl");
    {
        Database db(path);
        db.append({{"id", "x"}, {"status", "ok"}});
        db.append({{"id", "y"}, {"status", "wrong"}});
    }
    const auto r = load_records(path);
    ASSERT_EQ(r.records.size(), 2u);
    EXPECT_TRUE(r.warnings.empty());
    EXPECT_EQ(r.records[1]["status"], "wrong");
    EXPECT_TRUE(r.records[0].contains("uid"));
}

TEST(TuneDb, TornLastLineIsSkippedWithAWarningAndCutOff) {
    const auto path = temp_path("torn.jsonl");
    {
        Database db(path);
        db.append({{"id", "x"}});
    }
    std::ofstream(path, std::ios::app) << R"({"id": "half", "sta)";
    const auto r = load_records(path);
    ASSERT_EQ(r.records.size(), 1u);
    ASSERT_EQ(r.warnings.size(), 1u);
    EXPECT_NE(r.warnings[0].find("torn last line"), std::string::npos) << r.warnings[0];
    {
        Database db(path);  // cuts the torn tail, then appends on a fresh line
        EXPECT_EQ(db.warnings().size(), 1u);
        db.append({{"id", "z"}});
    }
    const auto r2 = load_records(path);
    EXPECT_TRUE(r2.warnings.empty());
    ASSERT_EQ(r2.records.size(), 2u);
    EXPECT_EQ(r2.records[1]["id"], "z");
}

TEST(TuneDb, CorruptMiddleLineIsReportedNotFatal) {
    const auto path = temp_path("mid.jsonl");
    std::ofstream(path) << "{\"id\": 1}\nnot json\n{\"id\": 2}\n";
    const auto r = load_records(path);
    EXPECT_EQ(r.records.size(), 2u);
    ASSERT_EQ(r.warnings.size(), 1u);
    EXPECT_NE(r.warnings[0].find(":2:"), std::string::npos);
}

TEST(TuneDb, KillNineWhileAppendingLosesNoFinishedRecord) {
    const auto path = temp_path("kill.jsonl");
    int fds[2];
    ASSERT_EQ(pipe(fds), 0);
    const pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
        close(fds[0]);
        Database db(path);
        const std::string pad(3000, 'p');  // long lines: a kill often lands inside a write
        for (int i = 0;; i++) {
            db.append({{"id", i}, {"pad", pad}});
            (void)!write(fds[1], &i, sizeof i);  // reported only after append returned
        }
    }
    close(fds[1]);
    std::set<int> finished;
    int i;
    while (finished.size() < 40 && read(fds[0], &i, sizeof i) == sizeof i) finished.insert(i);
    kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);
    while (read(fds[0], &i, sizeof i) == sizeof i) finished.insert(i);
    close(fds[0]);
    Database db(path);  // resume: opens, drops a torn tail if there is one
    std::set<int> have;
    for (const auto &r : db.records()) have.insert(r["id"].get<int>());
    for (int f : finished) EXPECT_TRUE(have.count(f)) << "record " << f << " was reported finished but is lost";
    db.append({{"id", -1}});
    EXPECT_TRUE(load_records(path).warnings.empty());
}

TEST(TuneDb, MergeIsAUnionByUid) {
    const auto a = temp_path("m1.jsonl"), b = temp_path("m2.jsonl");
    {
        Database da(a), dbb(b);
        da.append({{"id", "shared"}, {"uid", "u1"}});
        dbb.append({{"id", "shared"}, {"uid", "u1"}});
        dbb.append({{"id", "other machine"}, {"uid", "u2"}});
    }
    Database da(a);
    EXPECT_EQ(da.merge(load_records(b).records), 1u);
    EXPECT_EQ(da.merge(load_records(b).records), 0u);
    EXPECT_EQ(load_records(a).records.size(), 2u);
}

}  // namespace
}  // namespace seqmix::tune
