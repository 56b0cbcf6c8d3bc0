// Ranks from the launcher's environment, and the file rendezvous that carries NCCL's unique id
// from rank 0 to the others when no MPI is at hand (one node, or a shared file system).
#include "internal.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

#include <fmt/format.h>

namespace seqmix::dist {
namespace {

std::optional<int> env_int(const char *name) {
    const char *v = std::getenv(name);
    if (!v || !*v) return std::nullopt;
    char *end = nullptr;
    long x = std::strtol(v, &end, 10);
    if (*end || x < 0) throw Error(fmt::format("seqmix::dist: {}={} is not a non-negative integer", name, v));
    return static_cast<int>(x);
}

bool exists(const std::string &path) {
    struct stat st;
    return ::stat(path.c_str(), &st) == 0;
}

// Writes `text` to `path` so that readers see all of it or nothing: a temporary file, then rename.
void write_atomically(const std::string &path, const std::string &text) {
    const std::string tmp = fmt::format("{}.tmp.{}", path, ::getpid());
    {
        std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
        f.write(text.data(), static_cast<std::streamsize>(text.size()));
        f.flush();
        if (!f) throw Error(fmt::format("seqmix::dist: file rendezvous cannot write {}: {}", tmp, std::strerror(errno)));
    }
    if (std::rename(tmp.c_str(), path.c_str()) != 0) {
        const std::string why = std::strerror(errno);
        std::remove(tmp.c_str());
        throw Error(fmt::format("seqmix::dist: file rendezvous cannot rename {} to {}: {}", tmp, path, why));
    }
}

std::string read_all(const std::string &path) {
    std::ifstream f(path, std::ios::binary);
    std::ostringstream s;
    s << f.rdbuf();
    return s.str();
}

constexpr const char *kMagic = "seqmix-rendezvous v1 size=";

}  // namespace

RankInfo ranks_from_env() {
    RankInfo r;
    if (auto rank = env_int("RANK")) {
        auto size = env_int("WORLD_SIZE");
        if (!size) throw Error("seqmix::dist: RANK is set but WORLD_SIZE is not (torchrun sets both)");
        r.rank = *rank, r.size = *size;
        r.local_rank = env_int("LOCAL_RANK").value_or(*rank);
        r.source = "torchrun";
    } else if (auto orank = env_int("OMPI_COMM_WORLD_RANK")) {
        r.rank = *orank;
        r.size = env_int("OMPI_COMM_WORLD_SIZE").value_or(1);
        r.local_rank = env_int("OMPI_COMM_WORLD_LOCAL_RANK").value_or(*orank);
        r.source = "openmpi";
    } else {
        r.source = "default";
    }
    if (r.size < 1 || r.rank >= r.size) {
        throw Error(fmt::format("seqmix::dist: rank {} of world size {} (from {}) is not a valid rank", r.rank, r.size, r.source));
    }
    return r;
}

std::string file_rendezvous(const RendezvousOptions &options, int rank, int size, const std::string &payload) {
    std::string dir = options.dir;
    if (dir.empty()) {
        if (const char *e = std::getenv("SEQMIX_DIST_RENDEZVOUS")) dir = e;
    }
    if (dir.empty()) {
        throw Error("seqmix::dist: the file rendezvous needs a directory that every rank sees: set "
                    "RendezvousOptions::dir or SEQMIX_DIST_RENDEZVOUS (or pass an MPI communicator as bootstrap)");
    }
    std::string tag = options.tag;
    if (tag.empty()) {
        const char *run = std::getenv("TORCHELASTIC_RUN_ID");
        tag = run && *run ? std::string("seqmix-") + run : "seqmix";
    }
    if (rank < 0 || rank >= size) throw Error(fmt::format("seqmix::dist: file rendezvous: rank {} of world size {}", rank, size));
    if (::mkdir(dir.c_str(), 0777) != 0 && errno != EEXIST) {
        throw Error(fmt::format("seqmix::dist: file rendezvous cannot create {}: {}", dir, std::strerror(errno)));
    }
    const std::string id_path = dir + "/" + tag + ".id";
    auto ack_path = [&](int r) { return fmt::format("{}/{}.ack.{}", dir, tag, r); };
    const double deadline = detail::now() + options.timeout_s;
    auto pause = [&] { std::this_thread::sleep_for(std::chrono::duration<double>(options.poll_interval_s)); };
    const std::string header = fmt::format("{}{}\n", kMagic, size);

    if (rank == 0) {
        for (int r = 1; r < size; ++r) std::remove(ack_path(r).c_str());
        write_atomically(id_path, header + payload);
        // Wait until every rank has read the id, then leave the directory clean for the next job.
        std::vector<int> missing;
        for (;;) {
            missing.clear();
            for (int r = 1; r < size; ++r) {
                if (!exists(ack_path(r))) missing.push_back(r);
            }
            if (missing.empty() || detail::now() > deadline) break;
            pause();
        }
        std::remove(id_path.c_str());
        for (int r = 1; r < size; ++r) std::remove(ack_path(r).c_str());
        if (!missing.empty()) {
            throw Error(fmt::format("seqmix::dist: file rendezvous timed out after {} s: rank(s) {} of world size {} "
                                    "never read {} (are they running, with the same directory and tag?)",
                                    options.timeout_s, fmt::join(missing, ","), size, id_path));
        }
        return payload;
    }
    for (;;) {
        if (exists(id_path)) break;
        if (detail::now() > deadline) {
            throw Error(fmt::format("seqmix::dist: file rendezvous timed out after {} s: rank {} of world size {} "
                                    "waited for rank 0 to write {} (is rank 0 running, with the same directory and "
                                    "tag? a file left by a crashed job must be removed)",
                                    options.timeout_s, rank, size, id_path));
        }
        pause();
    }
    const std::string text = read_all(id_path);
    if (text.compare(0, header.size(), header) != 0) {
        throw Error(fmt::format("seqmix::dist: file rendezvous: {} was written for another world size or program "
                                "(expected a header '{}'): a file left by another job?",
                                id_path, header.substr(0, header.size() - 1)));
    }
    write_atomically(ack_path(rank), "");
    return text.substr(header.size());
}

}  // namespace seqmix::dist
