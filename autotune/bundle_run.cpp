#include "bundle_run.h"

#include <algorithm>
#include <ctime>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>

#include "database.h"
#include "runner.h"

namespace seqmix::tune {

namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

std::string utc_now() {
    const std::time_t t = std::time(nullptr);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
    return buf;
}

}  // namespace

int run_bundle(const std::string &dir, bool quiet) {
    std::ifstream in(fs::path(dir) / "spec.json");
    if (!in) {
        std::fprintf(stderr, "run-bundle: %s/spec.json not found (is %s a bundle from seqmix-tune export-bundle?)\n",
                     dir.c_str(), dir.c_str());
        return 2;
    }
    const json spec_j = json::parse(in);
    RunSpec spec = spec_j.at("run").get<RunSpec>();
    spec.cache_dir = (fs::path(dir) / "cache").string();
    fs::create_directories(spec.cache_dir);
    const json hw = hw_fingerprint(spec.device);
    Database results((fs::path(dir) / "results.jsonl").string());
    for (const auto &w : results.warnings()) std::fprintf(stderr, "warning: %s\n", w.c_str());
    std::set<std::string> have;
    for (const auto &r : results.records()) {
        if (r.value("phase", "") == "measure") have.insert(r.value("id", ""));
    }
    Runner runner(spec);
    if (!quiet) std::fprintf(stderr, "run-bundle: %s on %s; reference for %s ...\n", spec.mixer.c_str(), hw["key"].get<std::string>().c_str(), shape_key(spec.shape).c_str());
    runner.prepare();
    std::vector<CandidateModule> cands;
    for (const auto &c : spec_j.at("candidates")) {
        cands.push_back({c.at("id").get<std::string>(), (fs::path(dir) / c.at("module").get<std::string>()).string(),
                         c.at("function").get<std::string>()});
    }
    size_t n = 0;
    for (const auto &c : cands) {
        n++;
        if (have.count(c.id)) continue;
        json r = runner.measure(c);
        r["hw"] = hw;
        r["protocol"] = spec.protocol;
        r["time"] = utc_now();
        results.append(r);
        if (!quiet) {
            const double t = r.contains("run") ? r["run"].value("median_s", 0.0) : 0.0;
            std::fprintf(stderr, "[%zu/%zu] %s %s %.3f ms %s\n", n, cands.size(), c.id.c_str(),
                         r["status"].get<std::string>().c_str(), t * 1e3, r.value("error", "").substr(0, 200).c_str());
        }
    }
    // Re-measure: the fastest few plus the baselines named in the spec, interleaved.
    std::vector<std::pair<double, std::string>> ok;
    for (const auto &r : results.records()) {
        if (r.value("phase", "") == "measure" && r.value("status", "") == "ok") ok.push_back({r["run"]["median_s"], r["id"]});
    }
    std::sort(ok.begin(), ok.end());
    std::set<std::string> pick;
    std::set<std::string> ok_ids;
    for (const auto &o : ok) ok_ids.insert(o.second);
    const std::vector<std::string> baselines = spec_j.value("baselines", std::vector<std::string>{});
    for (size_t i = 0; i < ok.size() && static_cast<int>(i) < spec.protocol.remeasure_top; i++) pick.insert(ok[i].second);
    for (const auto &b : baselines) {
        if (ok_ids.count(b)) pick.insert(b);
    }
    std::vector<CandidateModule> again;
    for (const auto &c : cands) {
        if (pick.count(c.id)) again.push_back(c);
    }
    if (!again.empty()) {
        for (json r : runner.remeasure(again)) {
            r["hw"] = hw;
            r["protocol"] = spec.protocol;
            r["time"] = utc_now();
            results.append(r);
        }
    }
    if (!quiet) std::fprintf(stderr, "run-bundle: results in %s/results.jsonl\n", dir.c_str());
    return 0;
}

}  // namespace seqmix::tune
