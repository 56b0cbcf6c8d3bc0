// seqmix-tune: autotuning of schedule templates (DESIGN.md, "Autotuner"; issue 6).
//   seqmix-tune [tune] --mixer gla --target host --shape B=1,T=4096,H=8,K=64,V=64 --trials 40 --db tuning/x.jsonl
//   seqmix-tune best --db tuning/x.jsonl [--export schedules --bucket tuned]
//   seqmix-tune export-bundle --mixer gla --target cuda-sm90 --shape ... --trials 24 --out DIR
//   seqmix-tune run-bundle DIR            (on the GPU host: DIR/seqmix-tune-runner run-bundle DIR)
//   seqmix-tune import DIR --db tuning/x.jsonl
//   seqmix-tune merge --db tuning/x.jsonl other.jsonl...
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>

#include <boost/program_options.hpp>
#include <fmt/format.h>

#include "builder.h"
#include "bundle.h"
#include "database.h"
#include "runner.h"
#include "tune.h"

// LeakSanitizer (the CI's ASan tier): XGBoost and its OpenMP runtime keep process-lifetime
// allocations that LSan reports at exit; they are not ours to free. No effect without ASan.
extern "C" const char *__lsan_default_suppressions() {
    return "leak:libxgboost\nleak:libgomp\n";
}

namespace po = boost::program_options;
namespace fs = std::filesystem;
using json = nlohmann::json;
using namespace seqmix::tune;

namespace {

struct Args {
    std::string mixer, target, shape, db, out, strategy, tmpl, fix, schedules, generator, work_dir, autoschedulers, cxx,
        runner;
    int trials = 32, jobs = 1, warmup = 1, repeats = 5, remeasure_top = 4, remeasure_rounds = 7;
    double prune_ratio = 3, time_budget = 0, build_timeout = 600, run_timeout = 120, min_time = 0.02, max_mib = 60;
    uint64_t seed = 1;
    bool resume = false, json_out = false;
};

po::options_description tune_options(Args &a) {
    po::options_description d("tuning options");
    d.add_options()
        ("mixer", po::value(&a.mixer), "mixer (generator) to tune: attention, gla")
        ("target", po::value(&a.target)->default_value("host"), "host | x86-64-avx512 | x86-64-avx2 | x86-64 | cuda-sm90 | cuda-sm80")
        ("shape", po::value(&a.shape), "shape symbols, e.g. B=1,T=4096,H=8,K=64,V=64")
        ("trials", po::value(&a.trials)->default_value(32), "search candidates to measure (baselines not counted)")
        ("time-budget", po::value(&a.time_budget)->default_value(0), "stop proposing after this many seconds (0: none)")
        ("db", po::value(&a.db), "tuning database (JSONL, appended)")
        ("out", po::value(&a.out), "write the best as a bucket file here (tune) / the bundle folder (export-bundle)")
        ("strategy", po::value(&a.strategy)->default_value("evolutionary"), "grid | random | evolutionary")
        ("jobs", po::value(&a.jobs)->default_value(1), "candidates compiled in parallel")
        ("resume", po::bool_switch(&a.resume), "continue a run: candidates already in --db are not measured again")
        ("json", po::bool_switch(&a.json_out), "no progress; print the summary as JSON")
        ("template", po::value(&a.tmpl), "schedule template to search (default: the file dispatch picks for --shape)")
        ("fix", po::value(&a.fix), "hold params at one value of their domain, e.g. vt=8,rt=4 (a smaller space)")
        ("schedules", po::value(&a.schedules)->default_value(SEQMIX_SOURCE_DIR "/schedules"), "schedules root")
        ("generator", po::value(&a.generator)->default_value(SEQMIX_GENERATOR_PATH), "the seqmix_generators executable")
        ("cxx", po::value(&a.cxx)->default_value(SEQMIX_CXX), "C++ compiler that links candidate .so files")
        ("work-dir", po::value(&a.work_dir), "candidate builds and reference cache (default: <db>.work)")
        ("autoschedulers", po::value(&a.autoschedulers), "autoscheduler baselines to synthesize (default cpu: adams2019,mullapudi2016; cuda: anderson2021; 'none')")
        ("seed", po::value(&a.seed)->default_value(1), "inputs and search seed")
        ("build-timeout", po::value(&a.build_timeout)->default_value(600), "seconds per candidate compile")
        ("run-timeout", po::value(&a.run_timeout)->default_value(120), "seconds per candidate run (check + timing)")
        ("warmup", po::value(&a.warmup)->default_value(1), "untimed calls")
        ("repeats", po::value(&a.repeats)->default_value(5), "timed repeats (median, spread)")
        ("min-time", po::value(&a.min_time)->default_value(0.02), "seconds per repeat, at least")
        ("remeasure-top", po::value(&a.remeasure_top)->default_value(4), "best candidates re-timed, interleaved with the baselines")
        ("remeasure-rounds", po::value(&a.remeasure_rounds)->default_value(7), "interleaved rounds")
        ("prune-ratio", po::value(&a.prune_ratio)->default_value(3), "time no further a candidate whose first call is this many times the best")
        ("runner", po::value(&a.runner)->default_value(SEQMIX_RUNNER_PATH), "seqmix-tune-runner to put into a bundle")
        ("max-mib", po::value(&a.max_mib)->default_value(60), "bundle size limit (MiB)");
    return d;
}

[[noreturn]] void usage_error(const std::string &msg) {
    throw po::error(msg);
}

std::vector<std::string> split_list(const std::string &s) {
    std::vector<std::string> out;
    size_t pos = 0;
    while (pos <= s.size()) {
        const size_t c = s.find(',', pos);
        const std::string item = s.substr(pos, c == std::string::npos ? std::string::npos : c - pos);
        if (!item.empty() && item != "none") out.push_back(item);
        if (c == std::string::npos) break;
        pos = c + 1;
    }
    return out;
}

std::string file_hash(const std::string &path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return fnv_hex(ss.str());
}

TuneOptions make_tune_options(const Args &a, const std::vector<std::string> &argv) {
    if (a.mixer.empty()) usage_error("--mixer is required (one of: attention, gla)");
    if (a.shape.empty()) usage_error("--shape is required, e.g. --shape B=1,T=4096,H=8,K=64,V=64");
    if (a.trials < 0) usage_error("--trials must be >= 0");
    if (a.jobs < 1) usage_error("--jobs must be >= 1");
    if (a.repeats < 1) usage_error("--repeats must be >= 1");
    if (a.strategy != "grid" && a.strategy != "random" && a.strategy != "evolutionary") {
        usage_error("--strategy: '" + a.strategy + "' is not one of grid, random, evolutionary");
    }
    TuneOptions o;
    TuneContext &c = o.ctx;
    c.mixer = a.mixer;
    c.shape = parse_shape(a.shape);
    make_kernel(c.mixer, c.shape, 1);  // unknown mixer / missing symbol: a clear error now
    c.target_dir = resolve_target_dir(a.target);
    c.halide_target = halide_target_of(c.target_dir);
    c.device = c.target_dir.rfind("cuda", 0) == 0 ? "cuda" : "cpu";
    c.schedules_root = a.schedules;
    c.template_path = a.tmpl.empty() ? dispatched_schedule(a.schedules, c.target_dir, c.mixer, c.shape) : a.tmpl;
    if (!fs::exists(c.template_path)) usage_error("--template: " + c.template_path + " does not exist");
    c.template_hash = file_hash(c.template_path);
    if (!a.fix.empty()) {
        c.fixed = parse_assignments(a.fix, "--fix", "vt=8,rt=4");
        SearchSpace(seqmix::sched::parse_file(c.template_path), c.fixed);  // a name or value the template lacks: now
    }
    // Records name the template relative to the repo (schedules/<dir>/<file>) when it is inside it.
    c.template_name = c.template_path;
    const auto rel = fs::relative(fs::absolute(c.template_path), fs::absolute(a.schedules).parent_path());
    if (!rel.empty() && rel.string().rfind("..", 0) != 0) c.template_name = rel.string();
    c.hw = c.device == "cpu" ? hw_fingerprint("cpu") : json{{"key", "pending (measured on the GPU host)"}};
    c.versions = {{"seqmix", SEQMIX_VERSION_STRING}, {"halide", SEQMIX_HALIDE_VERSION}, {"generator_hash", file_hash(a.generator)}};
    c.protocol.warmup = a.warmup;
    c.protocol.repeats = a.repeats;
    c.protocol.min_time_s = a.min_time;
    c.protocol.run_timeout_s = a.run_timeout;
    c.protocol.remeasure_top = a.remeasure_top;
    c.protocol.remeasure_rounds = a.remeasure_rounds;
    c.protocol.prune_ratio = a.prune_ratio;
    c.run_id = new_uid();
    c.command = argv;
    o.build.generator = a.generator;
    o.build.cxx = a.cxx;
    o.build.halide_target = c.halide_target;
    o.build.timeout_s = a.build_timeout;
    o.build.jobs = a.jobs;
    o.db_path = a.db;
    o.out_path = a.out;
    o.strategy = a.strategy;
    o.trials = a.trials;
    o.time_budget_s = a.time_budget;
    o.resume = a.resume;
    o.json = a.json_out;
    o.seed = a.seed;
    o.autoschedulers = split_list(a.autoschedulers.empty() ? (c.device == "cpu" ? "adams2019,mullapudi2016" : "anderson2021")
                                                           : a.autoschedulers);
    o.build.work_dir = a.work_dir.empty() ? (a.db.empty() ? std::string("seqmix-tune.work") : a.db + ".work") : a.work_dir;
    if (!fs::exists(a.generator)) usage_error("--generator: " + a.generator + " does not exist (build seqmix_generators first)");
    return o;
}

int cmd_best(const std::vector<std::string> &args) {
    std::string db, mixer, target, hw, shape, export_root, bucket, when, schedules = SEQMIX_SOURCE_DIR "/schedules";
    bool as_json = false;
    po::options_description d("best options");
    d.add_options()("db", po::value(&db), "tuning database")("mixer", po::value(&mixer), "only this mixer")(
        "target", po::value(&target), "only this target dir")("hw", po::value(&hw), "only hw keys containing this")(
        "shape", po::value(&shape), "only this shape (B=..,T=..)")("export", po::value(&export_root),
                                                                   "write <export>/<target>/<mixer>@<bucket>.sched")(
        "bucket", po::value(&bucket), "bucket name (default: the template's, e.g. d64)")(
        "when", po::value(&when), "bucket condition (default: the template's `when`)")(
        "schedules", po::value(&schedules), "the schedules root the templates are read from (comments kept on export)")("json", po::bool_switch(&as_json), "JSON lines");
    po::variables_map vm;
    po::store(po::command_line_parser(args).options(d).run(), vm);
    po::notify(vm);
    if (db.empty()) usage_error("best: --db is required");
    if (!fs::exists(db)) usage_error("best: " + db + " does not exist");
    const LoadResult lr = load_records(db);
    for (const auto &w : lr.warnings) fmt::print(stderr, "warning: {}\n", w);
    const std::string shape_filter = shape.empty() ? "" : shape_key(parse_shape(shape));
    std::map<std::string, std::vector<json>> groups;  // (mixer, target, hw, shape) -> records
    for (const auto &r : lr.records) {
        if (!r.contains("workload") || !r.contains("target") || !r.contains("hw")) continue;
        const std::string m = r["workload"].value("mixer", ""), t = r["target"].value("dir", ""),
                          h = r["hw"].value("key", ""), k = r["workload"].value("key", "");
        if ((!mixer.empty() && m != mixer) || (!target.empty() && t != target) ||
            (!hw.empty() && h.find(hw) == std::string::npos) || (!shape_filter.empty() && k != shape_filter)) continue;
        groups[m + "|" + t + "|" + h + "|" + k].push_back(r);
    }
    if (groups.empty()) {
        fmt::print(stderr, "best: no records match in {}\n", db);
        return 1;
    }
    for (const auto &[key, recs] : groups) {
        const auto ranked = rank(recs);
        if (ranked.empty()) {
            fmt::print(stderr, "best: {}: no candidate passed (all failed or wrong)\n", key);
            continue;
        }
        const Ranked &b = ranked.front();
        const Ranked *hand = nullptr, *autos = nullptr;  // ranked: same-run (re-measured) first
        for (const auto &rk : ranked) {
            const std::string origin = rk.record["schedule"].value("origin", "");
            if (!hand && origin == "hand") hand = &rk;
            if (!autos && origin == "autoscheduler") autos = &rk;
        }
        const std::string m = b.record["workload"]["mixer"], t = b.record["target"]["dir"];
        json line = {{"mixer", m}, {"target", t}, {"hw", b.record["hw"].value("key", "")}, {"shape", b.record["workload"]["key"]},
                     {"seconds", b.seconds}, {"phase", b.phase}, {"label", b.record["schedule"]["label"]},
                     {"origin", b.record["schedule"]["origin"]}, {"params", b.record["schedule"]["params"]}};
        if (hand) line["vs_hand"] = hand->seconds / b.seconds;
        if (hand) line["hand"] = {{"label", hand->record["schedule"]["label"]}, {"seconds", hand->seconds}, {"phase", hand->phase}};
        if (autos) {
            line["autoscheduler"] = {{"label", autos->record["schedule"]["label"]}, {"seconds", autos->seconds}, {"phase", autos->phase}};
            line["vs_autoscheduler"] = autos->seconds / b.seconds;
        }
        if (!export_root.empty() && b.record["schedule"].value("origin", "") == "hand") {
            line["exported"] = "nothing: the hand schedule is the best";
        } else if (!export_root.empty()) {
            std::string bk = bucket;
            if (bk.empty()) {
                const std::string tp = fs::path(b.record["schedule"].value("template", "")).stem().string();
                bk = tp.find('@') != std::string::npos ? tp.substr(tp.find('@') + 1) : "tuned";
            }
            const std::string text =
                bucket_file_text(b, when, hand, template_source_of(b.record, fs::path(schedules).parent_path().string()));
            const seqmix::sched::Schedule s = seqmix::sched::parse(text, "<export>");
            if (!s.when && !s.explicit_only) usage_error("best --export: the schedule has no `when`; give --when COND");
            const fs::path out = fs::path(export_root) / t / (m + "@" + bk + ".sched");
            fs::create_directories(out.parent_path());
            std::ofstream(out) << text;
            line["exported"] = out.string();
        }
        if (as_json) {
            std::cout << line.dump() << "\n";
        } else {
            fmt::print("{} {} {} {}: {:.3f} ms ({}) {} [{}]{}{}\n", m, t, line["shape"].get<std::string>(),
                       line["hw"].get<std::string>(), b.seconds * 1e3, b.phase, line["label"].get<std::string>(),
                       line["origin"].get<std::string>(),
                       hand ? fmt::format(", {:.2f}x the hand schedule", hand->seconds / b.seconds) : "",
                       line.contains("exported") ? " -> " + line["exported"].get<std::string>() : "");
            for (const Ranked *o : {hand, autos}) {
                if (o) {
                    fmt::print("    {:<14} {:.3f} ms ({}) {}: the best is {:.2f}x\n", o == hand ? "hand" : "autoscheduler", o->seconds * 1e3,
                               o->phase, o->record["schedule"]["label"].get<std::string>(), o->seconds / b.seconds);
                }
            }
        }
    }
    return 0;
}

int run_main(int argc, char **argv) {
    std::vector<std::string> all(argv, argv + argc);
    std::string cmd = "tune";
    std::vector<std::string> rest(all.begin() + 1, all.end());
    static const std::set<std::string> cmds = {"tune", "best", "export-bundle", "run-bundle", "import", "merge"};
    if (!rest.empty() && rest[0].rfind("--", 0) != 0) {
        if (!cmds.count(rest[0])) usage_error("unknown command '" + rest[0] + "' (tune, best, export-bundle, run-bundle, import, merge)");
        cmd = rest[0];
        rest.erase(rest.begin());
    }
    if (!rest.empty() && (rest[0] == "--help" || rest[0] == "-h")) {
        Args a;
        std::cout << "usage: seqmix-tune [tune|best|export-bundle|run-bundle DIR|import DIR|merge FILE...] [options]\n"
                  << tune_options(a) << std::endl;
        return 0;
    }
    if (cmd == "best") return cmd_best(rest);
    if (cmd == "run-bundle" || cmd == "import" || cmd == "merge") {
        std::string db;
        std::vector<std::string> pos;
        po::options_description d;
        d.add_options()("db", po::value(&db), "tuning database")("paths", po::value(&pos)->multitoken(), "");
        po::positional_options_description p;
        p.add("paths", -1);
        po::variables_map vm;
        po::store(po::command_line_parser(rest).options(d).positional(p).run(), vm);
        po::notify(vm);
        if (pos.empty()) usage_error(cmd + ": give the " + (cmd == "merge" ? "database files to merge" : "bundle folder"));
        if (cmd == "run-bundle") {
            const std::string runner = (fs::path(pos[0]) / "seqmix-tune-runner").string();
            if (!fs::exists(runner)) usage_error("run-bundle: " + runner + " not found (not a bundle folder?)");
            execl(runner.c_str(), runner.c_str(), "run-bundle", pos[0].c_str(), static_cast<char *>(nullptr));
            throw std::runtime_error("exec " + runner + " failed");
        }
        if (db.empty()) usage_error(cmd + ": --db is required");
        if (cmd == "import") {
            fmt::print("import: {} records added to {}\n", import_bundle(pos[0], db), db);
            return 0;
        }
        Database d2(db);
        size_t n = 0;
        for (const auto &f : pos) {
            if (!fs::exists(f)) usage_error("merge: " + f + " does not exist");
            const LoadResult lr = load_records(f);
            for (const auto &w : lr.warnings) fmt::print(stderr, "warning: {}\n", w);
            n += d2.merge(lr.records);
        }
        fmt::print("merge: {} records added to {}\n", n, db);
        return 0;
    }
    Args a;
    po::options_description d = tune_options(a);
    po::variables_map vm;
    po::store(po::command_line_parser(rest).options(d).run(), vm);
    po::notify(vm);
    if (cmd == "export-bundle") {
        if (a.out.empty()) usage_error("export-bundle: --out DIR (the bundle folder) is required");
        if (a.strategy == "evolutionary" && !vm.count("strategy")) a.strategy = "random";
        BundleOptions b;
        b.tune = make_tune_options(a, all);
        b.tune.build.work_dir = a.work_dir.empty() ? a.out + ".work" : a.work_dir;
        b.dir = a.out;
        b.runner_path = a.runner;
        b.max_bytes = static_cast<uint64_t>(a.max_mib * 1024 * 1024);
        std::cout << export_bundle(b).dump() << std::endl;
        return 0;
    }
    if (a.db.empty()) usage_error("--db is required (the tuning database, e.g. tuning/host.jsonl)");
    TuneOptions o = make_tune_options(a, all);
    run_tune(o);
    return 0;
}

}  // namespace

int main(int argc, char **argv) {
    try {
        return run_main(argc, argv);
    } catch (const po::error &e) {
        fmt::print(stderr, "seqmix-tune: error: {}\n", e.what());
        return 2;
    } catch (const std::invalid_argument &e) {
        fmt::print(stderr, "seqmix-tune: error: {}\n", e.what());
        return 2;
    } catch (const seqmix::sched::Error &e) {
        fmt::print(stderr, "seqmix-tune: error: {}\n", e.what());
        return 2;
    } catch (const std::exception &e) {
        fmt::print(stderr, "seqmix-tune: {}\n", e.what());
        return 1;
    }
}
