#include "runner.h"

#include <dlfcn.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "process.h"

namespace seqmix::tune {

using json = nlohmann::json;

void to_json(json &j, const RunSpec &s) {
    j = {{"mixer", s.mixer}, {"shape", s.shape},   {"seed", s.seed},         {"device", s.device},
         {"cuda_max_registers", s.cuda_max_registers}, {"protocol", s.protocol}, {"cache_dir", s.cache_dir}};
}

void from_json(const json &j, RunSpec &s) {
    s.mixer = j.at("mixer").get<std::string>();
    s.shape = j.at("shape").get<Shape>();
    s.seed = j.value("seed", uint64_t{1});
    s.device = j.value("device", std::string("cpu"));
    s.cuda_max_registers = j.value("cuda_max_registers", 64);
    if (j.contains("protocol")) s.protocol = j.at("protocol").get<TimingProtocol>();
    s.cache_dir = j.value("cache_dir", std::string());
}

namespace {

std::string g_halide_error;  // per child process: the last message of the candidate's runtime

extern "C" void tune_error_handler(void *, const char *msg) {
    g_halide_error = msg ? msg : "";
}

using buf_fn = int (*)(void *, halide_buffer_t *);

// One candidate module, dlopen'ed with its own Halide runtime (RTLD_LOCAL: several can coexist).
struct Loaded {
    void *fn = nullptr;
    buf_fn copy_to_host = nullptr, device_sync = nullptr;
    void (*shutdown_thread_pool)() = nullptr;
    explicit Loaded(const CandidateModule &c) {
        void *h = dlopen(c.module.c_str(), RTLD_NOW | RTLD_LOCAL);
        if (!h) throw std::runtime_error(std::string("dlopen: ") + dlerror());
        fn = dlsym(h, c.function.c_str());
        if (!fn) throw std::runtime_error(c.module + " has no function " + c.function);
        using set_handler = void *(*)(void (*)(void *, const char *));
        if (auto set = reinterpret_cast<set_handler>(dlsym(h, "halide_set_error_handler"))) set(&tune_error_handler);
        copy_to_host = reinterpret_cast<buf_fn>(dlsym(h, "halide_copy_to_host"));
        device_sync = reinterpret_cast<buf_fn>(dlsym(h, "halide_device_sync"));
        shutdown_thread_pool = reinterpret_cast<void (*)()>(dlsym(h, "halide_shutdown_thread_pool"));
    }
};

double now_s() {
    using namespace std::chrono;
    return duration<double>(steady_clock::now().time_since_epoch()).count();
}

void mark_inputs_dirty(Kernel &k) {
    for (Tensor *t : k.inputs()) t->buf.flags |= halide_buffer_flag_host_dirty;
}

void call_or_throw(Kernel &k, const Loaded &m) {
    const int rc = k.call(m.fn, nullptr);
    if (rc != 0) throw std::runtime_error("the pipeline returned " + std::to_string(rc) + ": " + g_halide_error);
}

// One timed repeat: `inner` calls, synchronised with the device at the end.
double time_repeat(Kernel &k, const Loaded &m, int inner) {
    const double t0 = now_s();
    for (int i = 0; i < inner; i++) call_or_throw(k, m);
    if (m.device_sync && k.outputs()[0]->buf.device_interface) {  // a GPU pipeline's outputs
        const int rc = m.device_sync(nullptr, &k.outputs()[0]->buf);
        if (rc != 0) throw std::runtime_error("halide_device_sync returned " + std::to_string(rc) + ": " + g_halide_error);
    }
    return (now_s() - t0) / inner;
}

json summarize(std::vector<double> times, int inner) {
    json r = {{"times_s", times}, {"inner", inner}};
    std::sort(times.begin(), times.end());
    auto q = [&](double f) { return times[static_cast<size_t>(std::lround(f * (times.size() - 1)))]; };
    const double med = times.size() % 2 ? times[times.size() / 2]
                                        : 0.5 * (times[times.size() / 2 - 1] + times[times.size() / 2]);
    r["median_s"] = med;
    r["min_s"] = times.front();
    r["spread"] = (q(0.9) - q(0.1)) / med;
    return r;
}

void write_ref(const std::string &path, const std::vector<std::vector<double>> &ref) {
    const std::string tmp = path + ".tmp." + std::to_string(getpid());
    std::ofstream out(tmp, std::ios::binary);
    for (const auto &v : ref) {
        const uint64_t n = v.size();
        out.write(reinterpret_cast<const char *>(&n), sizeof n);
        out.write(reinterpret_cast<const char *>(v.data()), static_cast<std::streamsize>(n * sizeof(double)));
    }
    out.close();
    if (out) std::rename(tmp.c_str(), path.c_str());
}

bool read_ref(const std::string &path, size_t outputs, std::vector<std::vector<double>> &ref) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return false;
    ref.assign(outputs, {});
    for (auto &v : ref) {
        uint64_t n = 0;
        if (!in.read(reinterpret_cast<char *>(&n), sizeof n) || n > (uint64_t{1} << 34)) return false;
        v.resize(n);
        if (!in.read(reinterpret_cast<char *>(v.data()), static_cast<std::streamsize>(n * sizeof(double)))) return false;
    }
    return true;
}

}  // namespace

Runner::Runner(RunSpec spec) : spec_(std::move(spec)) {
    make_kernel(spec_.mixer, spec_.shape, spec_.seed);  // validates mixer and shape early
    if (spec_.device == "cuda") {
        // Before any module loads: Halide's CUDA runtime reads it when it JIT-compiles the PTX.
        setenv("HL_CUDA_JIT_MAX_REGISTERS", std::to_string(spec_.cuda_max_registers).c_str(), 0);
    }
}

double Runner::flops() const {
    return make_kernel(spec_.mixer, spec_.shape, spec_.seed)->flops;
}

void Runner::prepare() {
    if (prepared_) return;
    auto k = make_kernel(spec_.mixer, spec_.shape, spec_.seed);
    const std::string path = spec_.cache_dir.empty() ? std::string()
                                                     : spec_.cache_dir + "/ref-" + spec_.mixer + "-" +
                                                           shape_key(spec_.shape) + "-s" + std::to_string(spec_.seed) +
                                                           ".bin";
    if (path.empty() || !read_ref(path, k->outputs().size(), ref_)) {
        ref_ = k->reference();
        if (!path.empty()) write_ref(path, ref_);
    }
    prepared_ = true;
}

json Runner::measure(const CandidateModule &c, double cutoff_s) {
    prepare();
    const TimingProtocol p = spec_.protocol;
    ChildResult r = run_forked(
        [&]() -> std::string {
            auto k = make_kernel(spec_.mixer, spec_.shape, spec_.seed);
            json out;
            try {
                Loaded m(c);
                mark_inputs_dirty(*k);
                call_or_throw(*k, m);
                if (m.copy_to_host) {
                    for (Tensor *t : k->outputs()) {
                        if (m.copy_to_host(nullptr, &t->buf) != 0) throw std::runtime_error("halide_copy_to_host failed: " + g_halide_error);
                    }
                }
                const auto stats = k->check(ref_);
                json check = json::object();
                bool ok = true;
                double worst = 0;
                for (size_t i = 0; i < stats.size(); i++) {
                    check[k->output_names()[i]] = {{"rel_rms", stats[i].rel_rms}, {"max_abs", stats[i].max_abs},
                                                   {"tol_rel_rms", stats[i].tol_rel_rms},
                                                   {"nonfinite", stats[i].nonfinite}};
                    ok &= stats[i].ok();
                    worst = std::max(worst, stats[i].rel_rms);
                }
                out["check"] = {{"outputs", check}, {"rel_rms", worst}, {"pass", ok}};
                if (!ok) {
                    out["status"] = "wrong";
                    out["error"] = "outputs differ from the float64 reference beyond tolerance";
                    return out.dump();
                }
                for (int i = 0; i < p.warmup; i++) time_repeat(*k, m, 1);
                const double t1 = time_repeat(*k, m, 1);
                if (t1 > cutoff_s) {
                    out["run"] = summarize({t1}, 1);
                    out["run"]["pruned"] = true;
                    out["status"] = "ok";
                    return out.dump();
                }
                const int inner = std::max(1, static_cast<int>(std::ceil(p.min_time_s / std::max(t1, 1e-9))));
                std::vector<double> times;
                for (int i = 0; i < std::max(1, p.repeats); i++) times.push_back(time_repeat(*k, m, inner));
                out["run"] = summarize(times, inner);
                out["status"] = "ok";
            } catch (const std::exception &e) {
                out["status"] = "run_error";
                out["error"] = e.what();
            }
            return out.dump();
        },
        p.run_timeout_s);
    json res;
    try {
        res = json::parse(r.output);
    } catch (const json::exception &) {
        res = json::object();
    }
    if (!r.ok() || !res.contains("status")) {
        res["status"] = r.kind == ChildResult::Kind::timed_out ? "run_timeout" : "run_error";
        res["error"] = "candidate process " + r.describe() + (r.output.empty() ? "" : ": " + r.output.substr(0, 500));
    }
    res["id"] = c.id;
    res["phase"] = "measure";
    return res;
}

std::vector<json> Runner::remeasure(const std::vector<CandidateModule> &cs) {
    prepare();
    const TimingProtocol p = spec_.protocol;
    ChildResult r = run_forked(
        [&]() -> std::string {
            std::vector<std::unique_ptr<Kernel>> ks;
            std::vector<std::unique_ptr<Loaded>> ms;
            std::vector<int> inner;
            for (const auto &c : cs) {
                ks.push_back(make_kernel(spec_.mixer, spec_.shape, spec_.seed));
                ms.push_back(std::make_unique<Loaded>(c));
                mark_inputs_dirty(*ks.back());
                for (int i = 0; i < p.warmup + 1; i++) time_repeat(*ks.back(), *ms.back(), 1);
                const double t1 = time_repeat(*ks.back(), *ms.back(), 1);
                inner.push_back(std::max(1, static_cast<int>(std::ceil(p.min_time_s / std::max(t1, 1e-9)))));
            }
            std::vector<std::vector<double>> times(cs.size());
            for (int round = 0; round < p.remeasure_rounds; round++) {
                for (size_t j = 0; j < cs.size(); j++) {
                    const size_t i = (j + static_cast<size_t>(round)) % cs.size();
                    // Each module has its own Halide runtime and thread pool: stop the others'
                    // workers (they would spin on the same cores), restart this one's untimed.
                    for (size_t o = 0; o < cs.size(); o++) {
                        if (o != i && ms[o]->shutdown_thread_pool) ms[o]->shutdown_thread_pool();
                    }
                    time_repeat(*ks[i], *ms[i], 1);
                    times[i].push_back(time_repeat(*ks[i], *ms[i], inner[i]));
                }
            }
            json out = json::array();
            for (size_t i = 0; i < cs.size(); i++) out.push_back(summarize(times[i], inner[i]));
            return out.dump();
        },
        p.run_timeout_s * static_cast<double>(cs.size()));
    std::vector<json> res;
    json arr;
    try {
        arr = json::parse(r.output);
    } catch (const json::exception &) {
    }
    for (size_t i = 0; i < cs.size(); i++) {
        json one = {{"id", cs[i].id}, {"phase", "remeasure"}};
        if (r.ok() && arr.is_array() && arr.size() == cs.size()) {
            one["status"] = "ok";
            one["run"] = arr[i];
        } else {
            one["status"] = r.kind == ChildResult::Kind::timed_out ? "run_timeout" : "run_error";
            one["error"] = "remeasure process " + r.describe() + ": " + r.output.substr(0, 300);
        }
        res.push_back(one);
    }
    return res;
}

json hw_fingerprint(const std::string &device) {
    std::ifstream in("/proc/cpuinfo");
    std::string line, model = "unknown", flags;
    while (std::getline(in, line)) {
        if (model == "unknown" && line.rfind("model name", 0) == 0) model = line.substr(line.find(':') + 2);
        if (flags.empty() && line.rfind("flags", 0) == 0) flags = " " + line.substr(line.find(':') + 1) + " ";
    }
    auto has = [&](const char *f) { return flags.find(std::string(" ") + f + " ") != std::string::npos; };
    const std::string isa = has("avx512f") && has("avx512vl") ? "avx512" : has("avx2") && has("fma") ? "avx2" : "sse";
    const long cores = sysconf(_SC_NPROCESSORS_ONLN);
    json hw = {{"cpu", model}, {"cores", cores}, {"isa", isa}};
    std::string key = model + "/" + std::to_string(cores) + "c/" + isa;
    if (device == "cuda") {
        ChildResult r = run_forked(
            []() -> std::string {
                void *cu = dlopen("libcuda.so.1", RTLD_NOW | RTLD_LOCAL);
                if (!cu) return json{{"error", "no libcuda.so.1"}}.dump();
                using init_t = int (*)(unsigned);
                using get_t = int (*)(int *, int);
                using name_t = int (*)(char *, int, int);
                using attr_t = int (*)(int *, int, int);
                using drv_t = int (*)(int *);
                auto init = reinterpret_cast<init_t>(dlsym(cu, "cuInit"));
                auto get = reinterpret_cast<get_t>(dlsym(cu, "cuDeviceGet"));
                auto name = reinterpret_cast<name_t>(dlsym(cu, "cuDeviceGetName"));
                auto attr = reinterpret_cast<attr_t>(dlsym(cu, "cuDeviceGetAttribute"));
                auto drv = reinterpret_cast<drv_t>(dlsym(cu, "cuDriverGetVersion"));
                int dev = 0, major = 0, minor = 0, version = 0;
                char buf[256] = {0};
                if (!init || init(0) != 0 || get(&dev, 0) != 0) return json{{"error", "cuInit failed"}}.dump();
                name(buf, sizeof buf, dev);
                attr(&major, 75, dev);  // CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR
                attr(&minor, 76, dev);
                drv(&version);
                return json{{"name", buf}, {"cc", major * 10 + minor}, {"driver", version}}.dump();
            },
            60);
        json gpu = json::parse(r.output.empty() ? "{}" : r.output, nullptr, false);
        if (gpu.is_discarded() || !r.ok()) gpu = {{"error", "fingerprint child " + r.describe()}};
        hw["gpu"] = gpu;
        key = gpu.value("name", std::string("unknown GPU")) + "/sm" + std::to_string(gpu.value("cc", 0));
    }
    hw["key"] = key;
    return hw;
}

}  // namespace seqmix::tune
