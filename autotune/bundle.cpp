#include "bundle.h"

#include <filesystem>
#include <fstream>
#include <map>

#include <fmt/format.h>

#include "database.h"
#include "runner.h"
#include "strategy.h"

namespace seqmix::tune {

namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

uint64_t dir_bytes(const fs::path &d) {
    uint64_t n = 0;
    for (const auto &e : fs::recursive_directory_iterator(d)) {
        if (e.is_regular_file()) n += e.file_size();
    }
    return n;
}

}  // namespace

json export_bundle(const BundleOptions &opt) {
    TuneContext ctx = opt.tune.ctx;
    if (opt.tune.strategy == "evolutionary") {
        throw std::invalid_argument("export-bundle: --strategy evolutionary needs measurements between generations; "
                                    "use grid or random (then import and export again from the database's best)");
    }
    const fs::path dir(opt.dir);
    if (fs::exists(dir / "spec.json")) throw std::invalid_argument("export-bundle: " + opt.dir + " already holds a bundle");
    fs::create_directories(dir / "candidates");
    const sched::Schedule tmpl = sched::parse_file(ctx.template_path);
    SearchSpace space(tmpl, ctx.fixed);
    auto cands = baseline_candidates(ctx, tmpl, opt.tune.autoschedulers, 1);
    std::vector<std::string> baselines;
    for (const auto &c : cands) baselines.push_back(c.id);
    auto strategy = make_strategy(opt.tune.strategy, space, opt.tune.seed);
    const auto pts = strategy->generate_candidates(static_cast<size_t>(opt.tune.trials));
    for (const auto &p : pts) {
        Candidate c = search_candidate(ctx, space, p);
        bool dup = false;
        for (const auto &o : cands) dup |= o.id == c.id;
        if (!dup) cands.push_back(c);
    }
    std::vector<BuildRequest> reqs;
    for (const auto &c : cands) reqs.push_back({c.id, ctx.mixer, c.text});
    const auto built = build(opt.tune.build, reqs);

    const std::string runner_dst = (dir / "seqmix-tune-runner").string();
    fs::copy_file(opt.runner_path, runner_dst, fs::copy_options::overwrite_existing);
    std::ofstream records(dir / "records.jsonl");
    json list = json::array();
    int n_ok = 0, n_failed = 0, n_left_out = 0;
    for (size_t i = 0; i < cands.size(); i++) {
        json rec = base_record(ctx, cands[i]);
        rec["build"] = {{"status", built[i].status}, {"seconds", built[i].seconds}, {"error", built[i].error}};
        if (built[i].status != "ok") {
            rec["status"] = built[i].status;
            rec["error"] = built[i].error;
            rec["phase"] = "measure";
            rec["uid"] = new_uid();
            n_failed++;
        } else {
            const fs::path so = dir / "candidates" / (cands[i].id + ".so");
            fs::copy_file(built[i].module, so, fs::copy_options::overwrite_existing);
            if (dir_bytes(dir) > opt.max_bytes) {
                fs::remove(so);
                n_left_out++;
                continue;
            }
            list.push_back({{"id", cands[i].id}, {"module", "candidates/" + cands[i].id + ".so"}, {"function", built[i].function}});
            n_ok++;
        }
        records << rec.dump() << "\n";
    }
    RunSpec spec;
    spec.mixer = ctx.mixer;
    spec.shape = ctx.shape;
    spec.seed = opt.tune.seed;
    spec.device = ctx.device;
    spec.protocol = ctx.protocol;
    json spec_j = {{"run", spec}, {"candidates", list}, {"baselines", baselines}, {"target", ctx.target_dir}};
    std::ofstream(dir / "spec.json") << spec_j.dump(1) << "\n";
    std::ofstream(dir / "README.txt")
        << "seqmix-tune bundle: " << ctx.mixer << " " << shape_key(ctx.shape) << " " << ctx.target_dir << ", " << n_ok
        << " candidates.\n"
        << "On the GPU host:  ./seqmix-tune-runner run-bundle .    (writes results.jsonl; rerun resumes)\n"
        << "Back here:        seqmix-tune import <this folder> --db tuning/<db>.jsonl\n";
    const uint64_t bytes = dir_bytes(dir);
    return {{"dir", opt.dir}, {"candidates", n_ok}, {"build_failed", n_failed}, {"left_out_for_size", n_left_out},
            {"bytes", bytes}};
}

size_t import_bundle(const std::string &dir, const std::string &db_path) {
    const LoadResult pre = load_records((fs::path(dir) / "records.jsonl").string());
    const LoadResult res = load_records((fs::path(dir) / "results.jsonl").string());
    if (pre.records.empty()) throw std::invalid_argument("import: " + dir + "/records.jsonl is missing or empty (not a bundle?)");
    for (const auto &w : res.warnings) fmt::print(stderr, "warning: {}\n", w);
    std::map<std::string, json> by_id;
    std::vector<json> out;
    for (const auto &r : pre.records) {
        by_id[r.value("id", "")] = r;
        if (r.value("status", "") != "pending") out.push_back(r);  // build failures
    }
    for (const auto &r : res.records) {
        auto it = by_id.find(r.value("id", ""));
        if (it == by_id.end()) continue;
        json rec = it->second;
        for (const char *k : {"status", "error", "check", "run", "hw", "phase", "uid"}) {
            if (r.contains(k)) rec[k] = r[k];
        }
        if (rec.contains("run") && r.contains("protocol")) rec["run"]["protocol"] = r["protocol"];
        if (r.contains("time")) rec["time"] = r["time"];
        out.push_back(rec);
    }
    Database db(db_path);
    return db.merge(out);
}

}  // namespace seqmix::tune
