// seqmix-tune end to end on the real gla generator at a tiny shape (baseline x86-64 target: fast
// to compile, runs on any CI machine): tune -> database -> best --export; kill -9 mid-run then
// --resume; a bundle's export -> run -> import round trip; bad arguments.
#include <gtest/gtest.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <thread>

#include "database.h"
#include "lang/schedule.h"
#include "scratch.h"

namespace seqmix::tune {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

struct Out {
    int code;
    std::string text;
};

Out run(const std::string &args) {
    const std::string cmd = std::string(TUNE_BIN) + " " + args + " 2>&1";
    FILE *p = popen(cmd.c_str(), "r");
    std::string out;
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
    const int st = pclose(p);
    return {WIFEXITED(st) ? WEXITSTATUS(st) : -1, out};
}

// Small everything: tiny shape, short timing, no autoscheduler baselines, and the params that make
// a compile slow (wide vectors, deep unrolls: up to 18 s a candidate on the 2-core CI machine)
// held at gla@short's defaults, so that every candidate compiles in about as long as the hand one.
const std::string kTiny =
    "--mixer gla --target x86-64 --shape B=1,T=40,H=2,K=8,V=8 --autoschedulers none --repeats 2 --min-time 0.001 "
    "--remeasure-top 2 --remeasure-rounds 2 --seed 7 --fix vec=4,vt=8,rt=4";

TEST(TuneCli, BadArgumentsAreClearErrors) {
    const std::map<std::string, std::string> cases = {
        {"--mixer gla --shape B=1,T=8,H=1,K=4,V=4", "--db is required"},
        {"--mixer gla --db x.jsonl", "--shape is required"},
        {"--mixer nope --shape B=1,T=8 --db x.jsonl", "no kernel adapter for 'nope'"},
        {"--mixer gla --shape B=1,T=8,H=one --db x.jsonl", "H = 'one' is not a positive integer"},
        {"--mixer gla --shape B=1,T=8,H=1,K=4,V=4 --target riscv --db x.jsonl", "unknown target 'riscv'"},
        {"--mixer gla --shape B=1,T=8,H=1,K=4,V=4 --strategy annealing --db /tmp/seqmix_tune_bad.jsonl --target x86-64",
         "'annealing' is not one of grid, random, evolutionary"},
        {"--mixer gla --shape B=1,T=8,H=1,K=4,V=4 --trials -3 --db x.jsonl", "--trials must be >= 0"},
        {"--mixer gla --shape B=1,T=8,H=1,K=4,V=4 --jobs 0 --db x.jsonl", "--jobs must be >= 1"},
        {"--mixer gla --shape B=1,T=8,H=1,K=4,V=4 --template /nonexistent.sched --db x.jsonl", "does not exist"},
        {"--mixer gla --shape B=1,T=8,H=1,K=4,V=4 --target x86-64 --fix vt --db x.jsonl",
         "--fix: 'vt' is not NAME=VALUE"},
        {"--mixer gla --shape B=1,T=8,H=1,K=4,V=4 --target x86-64 --fix vt=12 --db x.jsonl",
         "--fix: vt = 12 is outside its domain {8, 16, 32, 64}"},
        {"--mixer gla --shape B=1,T=8,H=1,K=4,V=4 --target x86-64 --fix wt=8 --db x.jsonl",
         "--fix: the template has no param 'wt' (its params: chunk, sub_chunk, vec, vt, rt, factor_gates, "
         "causal_diag)"},
        {"--bogus", "unrecognised option '--bogus'"},
        {"frobnicate", "unknown command 'frobnicate'"},
        {"best", "best: --db is required"},
        {"best --db /nonexistent.jsonl", "does not exist"},
        {"import", "give the bundle folder"},
        {"import /tmp --db x.jsonl", "records.jsonl is missing"},
        {"run-bundle /tmp", "not found (not a bundle folder?)"},
    };
    for (const auto &[args, want] : cases) {
        const Out o = run(args);
        EXPECT_EQ(o.code, 2) << args << "\n" << o.text;
        EXPECT_NE(o.text.find(want), std::string::npos) << args << "\n" << o.text;
    }
}

TEST(TuneCli, TunesRecordsAndExportsTheBest) {
    const fs::path d = scratch_dir("tune");
    const std::string db = (d / "db.jsonl").string();
    const Out o = run(kTiny + " --strategy grid --trials 2 --json --db " + db);
    ASSERT_EQ(o.code, 0) << o.text;
    const json summary = json::parse(o.text.substr(o.text.rfind("\n{") + 1));
    EXPECT_EQ(summary["trials"], 2);
    ASSERT_FALSE(summary["tuned"].is_null()) << o.text;
    ASSERT_FALSE(summary["hand"].is_null()) << o.text;
    const auto recs = load_records(db).records;
    int measured = 0, remeasured = 0;
    for (const auto &r : recs) {
        EXPECT_EQ(r["status"], "ok") << r.dump();
        for (const char *k : {"v", "time", "workload", "target", "hw", "versions", "schedule", "build", "check", "run"}) {
            EXPECT_TRUE(r.contains(k)) << k;
        }
        EXPECT_TRUE(r["run"].contains("protocol"));
        (r["phase"] == "measure" ? measured : remeasured)++;
    }
    EXPECT_EQ(measured, 3);  // hand + 2 trials
    EXPECT_GE(remeasured, 2);
    // The export path, on the search candidates alone (where the hand schedule is best, `best
    // --export` writes nothing and says so).
    const std::string search_db = (d / "search.jsonl").string();
    {
        Database only(search_db);
        for (const auto &r : recs) {
            if (r["schedule"]["origin"] == "search") only.append(r);
        }
    }
    const Out h = run("best --db " + db + " --export " + (d / "unused").string());
    ASSERT_EQ(h.code, 0) << h.text;
    const Out b = run("best --db " + search_db + " --export " + (d / "schedules").string() + " --bucket t40 --when 'T <= 64'");
    ASSERT_EQ(b.code, 0) << b.text;
    const fs::path f = d / "schedules" / "x86-64" / "gla@t40.sched";
    ASSERT_TRUE(fs::exists(f)) << b.text;
    const sched::Schedule s = sched::parse_file(f.string());
    ASSERT_TRUE(s.when.has_value());
    EXPECT_EQ(sched::format(*s.when), "T <= 64");
}

TEST(TuneCli, KillNineMidRunThenResumeLosesNoFinishedRecord) {
    const fs::path d = scratch_dir("resume");
    const std::string db = (d / "db.jsonl").string(), log = (d / "killed.log").string();
    const std::string args = kTiny + " --strategy random --trials 3 --json --db " + db;
    const pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
        setpgid(0, 0);
        execl("/bin/sh", "sh", "-c", (std::string(TUNE_BIN) + " " + args + " >" + log + " 2>&1").c_str(),
              static_cast<char *>(nullptr));
        _exit(127);
    }
    setpgid(pid, pid);
    // kill -9 once the hand baseline is finished. Not later: the three trials are built as one
    // batch (seconds) and then measured in a burst of milliseconds at this shape, so a poll that
    // waits for a trial's record races the run's end on a fast machine. The kill lands during the
    // batch's build, with one finished record to keep and three trials left to do.
    bool exited = false;
    for (int i = 0; i < 6000 && load_records(db).records.empty(); i++) {  // 10 minutes on a busy machine
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        if (waitpid(pid, nullptr, WNOHANG) == pid) {
            exited = true;
            break;
        }
    }
    if (exited) {
        std::ifstream f(log);
        const std::string text((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
        FAIL() << "the run ended before it could be killed, with " << load_records(db).records.size()
               << " records; it printed:\n" << text;
    }
    kill(-pid, SIGKILL);
    waitpid(pid, nullptr, 0);
    const auto before = load_records(db).records;
    ASSERT_GE(before.size(), 1u);
    const Out o = run(args + " --resume");
    ASSERT_EQ(o.code, 0) << o.text;
    const auto after = load_records(db).records;
    std::map<std::string, int> measures;
    for (const auto &r : after) {
        if (r["phase"] == "measure") measures[r["id"].get<std::string>()]++;
    }
    for (const auto &r : before) {
        EXPECT_EQ(measures[r["id"].get<std::string>()], 1) << "finished before the kill, measured again or lost";
    }
    int search = 0;
    for (const auto &r : after) search += r["phase"] == "measure" && r["schedule"]["origin"] == "search";
    EXPECT_EQ(search, 3);
}

TEST(TuneCli, BundleExportRunImportRoundTrip) {
    const fs::path d = scratch_dir("bundle");
    const std::string db = (d / "db.jsonl").string(), dir = (d / "b").string();
    const Out e = run("export-bundle " + kTiny + " --strategy random --trials 1 --out " + dir);
    ASSERT_EQ(e.code, 0) << e.text;
    ASSERT_TRUE(fs::exists(fs::path(dir) / "seqmix-tune-runner"));
    ASSERT_TRUE(fs::exists(fs::path(dir) / "spec.json"));
    const Out r = run("run-bundle " + dir);
    ASSERT_EQ(r.code, 0) << r.text;
    const Out i = run("import " + dir + " --db " + db);
    ASSERT_EQ(i.code, 0) << i.text;
    const auto recs = load_records(db).records;
    int ok = 0;
    for (const auto &rec : recs) ok += rec["status"] == "ok" && rec["phase"] == "measure";
    EXPECT_EQ(ok, 2);  // hand + 1 trial
    EXPECT_NE(run("import " + dir + " --db " + db).text.find("0 records added"), std::string::npos);
    EXPECT_EQ(run("best --db " + db).code, 0);
}

}  // namespace
}  // namespace seqmix::tune
