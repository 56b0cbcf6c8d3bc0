// seqmix-sched: check, explain and format schedule files (schedules/README.md, "seqmix-sched").
//
//   seqmix-sched check FILE.sched... [--generator NAME] [--target DIR] [--params k=v,...]
//   seqmix-sched explain FILE.sched [--generator NAME] [--target DIR] [--stmt OUT] [--html OUT]
//   seqmix-sched fmt FILE... [--check]
//   seqmix-sched import FILE.sched [--out OUT.sched] [--when COND] [--generator NAME] [--target DIR]
//
// check and explain run the generator (linked in: every registered seqmix Generator) with the
// file as its schedule and lower the pipeline for the Halide target of the target dir, so errors
// that Halide raises only when lowering surface too. No GPU is needed for the CUDA dirs.
#include "apply/apply.h"
#include "apply/import.h"
#include "lang/schedule.h"

#include <Halide.h>
#include <fmt/format.h>
#include <boost/program_options.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <unistd.h>

namespace fs = std::filesystem;
namespace po = boost::program_options;

namespace {

// The Halide target of each schedules/ dir: generated/CMakeLists.txt's `_target_<dir>`.
const std::map<std::string, std::string> &targets() {
    static const std::map<std::string, std::string> m = {
        {"x86-64-avx512", "x86-64-linux-avx512_skylake-user_context"},
        {"x86-64-avx2", "x86-64-linux-avx2-fma-f16c-user_context"},
        {"x86-64", "x86-64-linux-user_context"},
        {"cuda-sm90", "x86-64-linux-cuda-cuda_capability_86-user_context"},
        {"cuda-sm80", "x86-64-linux-cuda-cuda_capability_80-user_context"}};
    return m;
}

struct Usage : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// What a file is: schedules/<dir>/<mixer>[@bucket].sched, unless overridden.
struct Variant {
    std::string path, generator, dir, bucket = "default";
};

Variant infer(const std::string &path, const std::string &generator, const std::string &dir) {
    Variant v;
    v.path = path;
    fs::path p(path);
    std::string stem = p.stem().string();
    size_t at = stem.find('@');
    v.generator = generator.empty() ? stem.substr(0, at) : generator;
    if (at != std::string::npos) {
        v.bucket = stem.substr(at + 1);
    }
    v.dir = dir.empty() ? fs::absolute(p).parent_path().filename().string() : dir;
    if (!targets().count(v.dir)) {
        std::string known;
        for (const auto &[k, t] : targets()) {
            known += " " + k;
        }
        throw Usage(path + ": cannot tell the target from the directory '" + v.dir + "'; pass --target (one of" +
                    known + ")");
    }
    return v;
}

std::string halide_text(const Halide::Error &e) {
    std::string m = e.what();
    while (!m.empty() && (m.back() == '\n' || m.back() == ' ')) {
        m.pop_back();
    }
    return m;
}

// The generator's pipeline with the file's schedule applied, and its arguments.
struct Built {
    Halide::Internal::AbstractGeneratorPtr gen;
    Halide::Pipeline pipeline;
    std::vector<Halide::Argument> args;
    Halide::Target target;
};

Built build(const Variant &v, const std::string &params) {
    // Parse first: a language error then reads as file:line:col without Halide's decoration.
    seqmix::sched::Schedule s = seqmix::sched::parse_file(v.path);
    seqmix::sched::resolve_params(s, params);

    Built b;
    b.target = Halide::Target(targets().at(v.dir));
    auto names = Halide::Internal::GeneratorRegistry::enumerate();
    if (std::find(names.begin(), names.end(), v.generator) == names.end()) {
        std::string known;
        for (const auto &n : names) {
            known += " " + n;
        }
        throw Usage(v.path + ": no generator '" + v.generator + "'; generators are:" + known +
                    " (pass --generator)");
    }
    b.gen = Halide::Internal::GeneratorRegistry::create(v.generator, Halide::GeneratorContext(b.target));
    b.gen->set_generatorparam_value("schedule_file", v.path);
    b.gen->set_generatorparam_value("schedule_target", v.dir);
    b.gen->set_generatorparam_value("bucket", v.bucket);
    b.gen->set_generatorparam_value("params", params);
    b.pipeline = b.gen->build_pipeline();
    for (const auto &a : b.gen->arginfos()) {
        if (a.dir != Halide::Internal::ArgInfoDirection::Input) {
            continue;
        }
        for (const Halide::Parameter &p : b.gen->input_parameter(a.name)) {
            b.args.emplace_back(p.name(), p.is_buffer() ? Halide::Argument::InputBuffer : Halide::Argument::InputScalar,
                                p.type(), p.dimensions(), p.get_argument_estimates());
        }
    }
    return b;
}

// A lowering error names Funcs ('Func "updated" is computed at ...'), not a directive: point at
// the first block of the first Func of the file that the message names in quotes.
std::string lowering_error(const std::string &path, std::string m) {
    for (const char *prefix : {"Error: ", "Error:\n", "User error: "}) {
        if (m.rfind(prefix, 0) == 0) {
            m = m.substr(std::string(prefix).size());
        }
    }
    seqmix::sched::Loc loc{path, 1, 1};
    try {
        seqmix::sched::Schedule s = seqmix::sched::parse_file(path);
        size_t best = std::string::npos;
        for (const auto &b : s.stages) {
            // Halide may print the Func as "name" or "name$3".
            for (const std::string &q : {"\"" + b.func.base.text + "\"", "\"" + b.func.base.text + "$"}) {
                size_t at = m.find(q);
                if (at < best) {
                    best = at;
                    loc = b.loc;
                }
            }
        }
    } catch (const seqmix::sched::Error &) {
    }
    return fmt::format("{}:{}:{}: Halide rejected the schedule when lowering the pipeline: {}", path, loc.line, loc.col, m);
}

// Runs f; turns each kind of failure into one line on stderr and exit code 1.
template<typename F>
int guarded(const std::string &path, F f) {
    try {
        f();
        return 0;
    } catch (const seqmix::sched::Error &e) {
        std::cerr << e.what() << "\n";
    } catch (const Halide::Error &e) {
        std::string m = halide_text(e);
        if (m.find(path + ":") != std::string::npos) {
            // The generator's own failures: a sched::Error's text.
            std::cerr << m << "\n";
        } else {
            // Errors that Halide raises when lowering name Funcs, not directives.
            std::cerr << lowering_error(path, m) << "\n";
        }
    } catch (const Usage &e) {
        std::cerr << e.what() << "\n";
        return 2;
    } catch (int) {
        // Already reported (fmt --check).
    }
    return 1;
}

int cmd_check(const std::vector<std::string> &files, const std::string &generator, const std::string &dir,
              const std::string &params, bool quiet) {
    int rc = 0;
    for (const std::string &f : files) {
        int r = guarded(f, [&] {
            Variant v = infer(f, generator, dir);
            Built b = build(v, params);
            b.pipeline.compile_to_module(b.args, "seqmix_check_" + v.generator, b.target);
            if (!quiet) {
                std::cout << f << ": ok (" << v.generator << ", " << v.dir << ", bucket " << v.bucket << ")\n";
            }
        });
        rc = std::max(rc, r);
    }
    return rc;
}

int cmd_explain(const std::string &file, const std::string &generator, const std::string &dir,
                const std::string &params, const std::string &stmt, const std::string &html) {
    return guarded(file, [&] {
        Variant v = infer(file, generator, dir);
        Built b = build(v, params);
        std::cout << "# " << file << ": generator " << v.generator << ", target " << b.target.to_string()
                  << ", bucket " << v.bucket << "\n";
        std::cout.flush();
        // Halide prints the loop nest to stderr (its debug stream); send it to stdout.
        std::streambuf *old = std::cerr.rdbuf(std::cout.rdbuf());
        try {
            b.pipeline.print_loop_nest();
        } catch (...) {
            std::cerr.rdbuf(old);
            throw;
        }
        std::cerr.rdbuf(old);
        if (!stmt.empty()) {
            b.pipeline.compile_to_lowered_stmt(stmt, b.args, Halide::Text, b.target);
        }
        if (!html.empty()) {
            b.pipeline.compile_to_lowered_stmt(html, b.args, Halide::HTML, b.target);
        }
    });
}

void write_file(const std::string &path, const std::string &text) {
    std::ofstream o(path, std::ios::binary | std::ios::trunc);
    o << text;
    if (!o) {
        throw seqmix::sched::Error(seqmix::sched::Loc{path, 0, 0}, "cannot write the file");
    }
}

// import: run the file's `autoschedule` through the generator, read the schedule Halide then holds
// back out of its schedule objects (import.h) and write it as a plain .sched file. The result is
// checked the way `check` does, and must be a fixed point: the pipeline scheduled by the written
// file exports to the same text.
int cmd_import(const std::string &file, const std::string &generator, const std::string &dir, const std::string &params,
               const std::string &out, const std::string &when) {
    return guarded(file, [&] {
        Variant v = infer(file, generator, dir);
        seqmix::sched::Schedule s = seqmix::sched::parse_file(file);
        if (!s.autoschedule) {
            throw seqmix::sched::Error(seqmix::sched::Loc{file, 1, 1},
                                       "import needs a file with `autoschedule NAME ...` (there is nothing to import)");
        }
        seqmix::sched::ExportOptions o;
        std::string how = "autoschedule " + s.autoschedule->name;
        for (const auto &[k, val] : s.autoschedule->options) {
            how += " " + k + "=" + val;
        }
        o.comments = {fmt::format("{}@{}, {}: imported by `seqmix-sched import {}` from `{}`", v.generator, v.bucket, v.dir,
                                  file, how),
                      fmt::format("(Halide {}.{}.{}). Splits whose tails would compute past the loop end were made",
                                  HALIDE_VERSION_MAJOR, HALIDE_VERSION_MINOR, HALIDE_VERSION_PATCH),
                      "GuardWithIf (guard_tails), so the schedule is correct at every shape; `when` says where it is fast."};
        o.when = when.empty() ? s.when_text : when;
        o.explicit_only = s.explicit_only.has_value();
        for (const auto &[name, value] : seqmix::sched::resolve_params(s, params)) {
            o.params.emplace_back(name, value);
        }
        Built b = build(v, params);
        std::string text = seqmix::sched::export_schedule(b.pipeline, o);

        // The written file must parse, schedule the generator, lower, and reproduce itself.
        fs::path tmp = fs::temp_directory_path() / fmt::format("seqmix-import-{}", getpid());
        fs::create_directories(tmp / v.dir);
        fs::path written = tmp / v.dir / fs::path(file).filename();
        write_file(written.string(), text);
        std::string round;
        try {
            Variant w = infer(written.string(), v.generator, v.dir);
            Built again = build(w, "");
            again.pipeline.compile_to_module(again.args, "seqmix_import_" + v.generator, again.target);
            round = seqmix::sched::export_schedule(again.pipeline, o);
        } catch (...) {
            std::cerr << "seqmix-sched import: the written schedule (left in " << written.string()
                      << ") does not apply:\n";
            throw;
        }
        fs::remove_all(tmp);
        if (round != text) {
            throw seqmix::sched::Error(seqmix::sched::Loc{file, 1, 1},
                                       "internal error: the imported schedule does not reproduce itself:\n" + text +
                                           "\n--- applied again, it reads ---\n" + round);
        }
        if (out.empty()) {
            std::cout << text;
            return;
        }
        write_file(out, text);
        std::cerr << out << ": imported (" << std::count(text.begin(), text.end(), '\n') << " lines)\n";
    });
}

std::string slurp(const std::string &path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw seqmix::sched::Error(seqmix::sched::Loc{path, 0, 0}, "cannot read schedule file");
    }
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

int cmd_fmt(const std::vector<std::string> &files, bool check) {
    int rc = 0;
    for (const std::string &f : files) {
        int r = guarded(f, [&] {
            std::string text = slurp(f);
            std::string out = seqmix::sched::format_source(text, f);
            if (out == text) {
                return;
            }
            if (check) {
                std::cout << f << ": not normalised (run seqmix-sched fmt " << f << ")\n";
                throw 1;
            }
            write_file(f, out);
            std::cout << f << ": formatted\n";
        });
        rc = std::max(rc, r);
    }
    return rc;
}

const char *kUsage =
    "usage: seqmix-sched check FILE.sched... [--generator NAME] [--target DIR] [--params k=v,...] [--quiet]\n"
    "       seqmix-sched explain FILE.sched [--generator NAME] [--target DIR] [--params k=v,...]\n"
    "                                       [--stmt OUT.stmt] [--html OUT.html]\n"
    "       seqmix-sched fmt FILE.sched... [--check]\n"
    "       seqmix-sched import FILE.sched [--out OUT.sched] [--when COND] [--generator NAME] [--target DIR]\n"
    "The generator and target come from the path, schedules/<target>/<generator>[@bucket].sched, unless\n"
    "given. Targets: x86-64-avx512 x86-64-avx2 x86-64 cuda-sm90 cuda-sm80.\n";

}  // namespace

int main(int argc, char **argv) {
    po::options_description opts("options");
    opts.add_options()("help,h", "this text")("generator,g", po::value<std::string>()->default_value(""),
                                               "generator name (default: from the file name)")(
        "target,t", po::value<std::string>()->default_value(""), "target dir (default: the file's directory)")(
        "params,p", po::value<std::string>()->default_value(""), "param overrides name=value,...")(
        "stmt", po::value<std::string>()->default_value(""), "explain: write the lowered statement here")(
        "html", po::value<std::string>()->default_value(""), "explain: write the lowered statement as HTML here")(
        "check", po::bool_switch(), "fmt: exit 1 if a file is not normalised, change nothing")(
        "out,o", po::value<std::string>()->default_value(""), "import: write the .sched file here (default: stdout)")(
        "when", po::value<std::string>()->default_value(""), "import: the `when` condition to write (default: the file's)")(
        "quiet,q", po::bool_switch(), "check: print errors only");
    po::options_description hidden;
    hidden.add_options()("command", po::value<std::string>())("files", po::value<std::vector<std::string>>());
    po::options_description all;
    all.add(opts).add(hidden);
    po::positional_options_description pos;
    pos.add("command", 1).add("files", -1);
    po::variables_map vm;
    try {
        po::store(po::command_line_parser(argc, argv).options(all).positional(pos).run(), vm);
        po::notify(vm);
    } catch (const po::error &e) {
        std::cerr << "seqmix-sched: " << e.what() << "\n" << kUsage;
        return 2;
    }
    if (vm.count("help") || !vm.count("command")) {
        std::cout << kUsage << opts;
        return vm.count("help") ? 0 : 2;
    }
    std::string cmd = vm["command"].as<std::string>();
    std::vector<std::string> files = vm.count("files") ? vm["files"].as<std::vector<std::string>>() : std::vector<std::string>{};
    if (files.empty()) {
        std::cerr << "seqmix-sched " << cmd << ": no file given\n" << kUsage;
        return 2;
    }
    const std::string gen = vm["generator"].as<std::string>(), dir = vm["target"].as<std::string>(),
                      params = vm["params"].as<std::string>();
    try {
        if (cmd == "check") {
            return cmd_check(files, gen, dir, params, vm["quiet"].as<bool>());
        }
        if (cmd == "explain") {
            if (files.size() != 1) {
                std::cerr << "seqmix-sched explain: one file at a time\n";
                return 2;
            }
            return cmd_explain(files[0], gen, dir, params, vm["stmt"].as<std::string>(), vm["html"].as<std::string>());
        }
        if (cmd == "import") {
            if (files.size() != 1) {
                std::cerr << "seqmix-sched import: one file at a time\n";
                return 2;
            }
            return cmd_import(files[0], gen, dir, params, vm["out"].as<std::string>(), vm["when"].as<std::string>());
        }
        if (cmd == "fmt") {
            return cmd_fmt(files, vm["check"].as<bool>());
        }
    } catch (int) {
        return 1;
    }
    std::cerr << "seqmix-sched: unknown command '" << cmd << "'\n" << kUsage;
    return 2;
}
