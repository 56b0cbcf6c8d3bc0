#include "tune_context.h"

#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace seqmix::tune {

namespace fs = std::filesystem;
using json = nlohmann::json;

std::string fnv_hex(const std::string &text) {
    uint64_t h = 1469598103934665603ull;
    for (unsigned char c : text) {
        h ^= c;
        h *= 1099511628211ull;
    }
    char buf[17];
    snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
    return buf;
}

std::string candidate_id(const TuneContext &ctx, const std::string &text) {
    return fnv_hex(ctx.mixer + "|" + shape_key(ctx.shape) + "|" + ctx.target_dir + "|" + text);
}

std::string iso_now() {
    const std::time_t t = std::time(nullptr);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
    return buf;
}

namespace {

std::string read_text(const std::string &path) {
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

bool is_autoscheduler(const std::string &bucket) {
    return bucket == "adams2019" || bucket == "anderson2021" || bucket == "li2018" || bucket == "mullapudi2016";
}

}  // namespace

std::string dispatched_schedule(const std::string &root, const std::string &target_dir, const std::string &mixer,
                                const Shape &shape) {
    const fs::path dir = fs::path(root) / target_dir;
    std::vector<fs::path> buckets;
    if (fs::exists(dir)) {
        for (const auto &e : fs::directory_iterator(dir)) {
            const std::string n = e.path().filename().string();
            if (n.rfind(mixer + "@", 0) == 0 && e.path().extension() == ".sched") buckets.push_back(e.path());
        }
    }
    std::sort(buckets.begin(), buckets.end());  // generated/CMakeLists.txt: file order = name order
    for (const auto &b : buckets) {
        const sched::Schedule s = sched::parse_file(b.string());
        if (s.explicit_only || !s.when) continue;
        std::map<std::string, int64_t> syms(shape.begin(), shape.end());
        if (!syms.count("S") && syms.count("T")) syms["S"] = syms["T"];
        try {
            if (sched::evaluate(*s.when, syms)) return b.string();
        } catch (const sched::Error &) {
            // a condition naming a symbol this shape lacks does not hold
        }
    }
    const fs::path def = dir / (mixer + ".sched");
    if (!fs::exists(def)) throw std::invalid_argument("no schedule " + def.string() + " (is --schedules the repo's schedules/?)");
    return def.string();
}

std::vector<Candidate> baseline_candidates(const TuneContext &ctx, const sched::Schedule &tmpl,
                                           const std::vector<std::string> &autoschedulers, int cores) {
    std::vector<Candidate> out;
    const std::string hand = dispatched_schedule(ctx.schedules_root, ctx.target_dir, ctx.mixer, ctx.shape);
    {
        Candidate c;
        c.origin = "hand";
        c.label = fs::path(hand).filename().string();
        c.text = read_text(hand);
        c.params = sched::resolve_params(sched::parse_file(hand));
        c.id = candidate_id(ctx, c.text);
        out.push_back(c);
    }
    // Shipped autoscheduler files of this target dir.
    const fs::path dir = fs::path(ctx.schedules_root) / ctx.target_dir;
    for (const auto &e : fs::directory_iterator(dir)) {
        const std::string n = e.path().stem().string();
        const auto at = n.find('@');
        if (n.substr(0, at) != ctx.mixer || at == std::string::npos || !is_autoscheduler(n.substr(at + 1))) continue;
        const sched::Schedule s = sched::parse_file(e.path().string());
        Candidate c;
        c.origin = "autoscheduler";
        c.text = read_text(e.path().string());
        std::string opts;
        if (s.autoschedule) {
            for (const auto &[k, v] : s.autoschedule->options) opts += " " + k + "=" + v;
            c.label = s.autoschedule->name + opts + " (" + e.path().filename().string() + ")";
        } else {  // an import: the autoscheduler's schedule written out as directives
            c.label = n.substr(at + 1) + " imported (" + e.path().filename().string() + ")";
        }
        c.params = sched::resolve_params(s);
        c.id = candidate_id(ctx, c.text);
        out.push_back(c);
    }
    // Synthesized: the template's params at their defaults, the autoscheduler instead of directives.
    for (const auto &name : autoschedulers) {
        sched::Schedule s;
        s.filename = ctx.mixer + "@" + name + ".sched";
        s.params = tmpl.params;
        for (auto &p : s.params) p.domain = sched::Param::Domain::None;
        sched::Autoschedule a;
        a.name = name;
        if (ctx.device == "cpu" || name == "mullapudi2016" || name == "li2018") {
            a.options.push_back({"parallelism", std::to_string(ctx.device == "cpu" ? cores : 132)});  // H100: 132 SMs
        }
        if (name == "adams2019" || name == "anderson2021") a.options.push_back({"beam_size", "1"});
        s.autoschedule = a;
        Candidate c;
        c.origin = "autoscheduler";
        c.text = sched::format(s);
        std::string opts;
        for (const auto &[k, v] : a.options) opts += " " + k + "=" + v;
        c.label = name + opts;
        c.params = sched::resolve_params(s);
        c.id = candidate_id(ctx, c.text);
        bool dup = false;
        for (const auto &o : out) dup |= o.id == c.id;
        if (!dup) out.push_back(c);
    }
    return out;
}

Candidate search_candidate(const TuneContext &ctx, const SearchSpace &space, const Point &p) {
    Candidate c;
    c.origin = "search";
    c.label = space.describe(p);
    c.text = space.text(p);
    c.params = space.values(p);
    c.point = p;
    c.id = candidate_id(ctx, c.text);
    return c;
}

json base_record(const TuneContext &ctx, const Candidate &c) {
    return {
        {"v", 1},
        {"time", iso_now()},
        {"status", "pending"},
        {"id", c.id},
        {"run_id", ctx.run_id},
        {"workload", {{"mixer", ctx.mixer}, {"dtype", "float32"}, {"shape", ctx.shape}, {"key", shape_key(ctx.shape)}}},
        {"target", {{"dir", ctx.target_dir}, {"halide", ctx.halide_target}, {"device", ctx.device}}},
        {"hw", ctx.hw},
        {"versions", ctx.versions},
        {"schedule",
         {{"origin", c.origin},
          {"label", c.label},
          {"template", ctx.template_name},
          {"template_hash", ctx.template_hash},
          {"params", c.params},
          {"text", c.text}}},
        {"command", ctx.command},
    };
}

}  // namespace seqmix::tune
