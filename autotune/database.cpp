#include "database.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <random>
#include <set>
#include <sstream>
#include <stdexcept>

namespace seqmix::tune {

using json = nlohmann::json;

std::string new_uid() {
    static std::mt19937_64 rng(std::random_device{}() ^ (static_cast<uint64_t>(getpid()) << 32));
    char buf[17];
    snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(rng()));
    return buf;
}

LoadResult load_records(const std::string &path) {
    LoadResult r;
    std::ifstream in(path, std::ios::binary);
    if (!in) return r;
    std::stringstream ss;
    ss << in.rdbuf();
    const std::string all = ss.str();
    size_t pos = 0;
    int line_no = 0;
    while (pos < all.size()) {
        line_no++;
        const size_t nl = all.find('\n', pos);
        const bool last = nl == std::string::npos;
        const std::string line = all.substr(pos, last ? std::string::npos : nl - pos);
        const size_t next = last ? all.size() : nl + 1;
        const bool blank = line.find_first_not_of(" \t\r") == std::string::npos;
        json j = json::parse(line, nullptr, /*allow_exceptions=*/false);
        const bool good = !j.is_discarded() && j.is_object();
        if (last || (!good && !blank && next == all.size())) {
            // A write cut short by a kill: no newline, or a last line that is not JSON.
            if (last && blank) break;
            r.warnings.push_back(path + ":" + std::to_string(line_no) + ": torn last line (" +
                                 std::to_string(line.size()) + " bytes, " + (last ? "no newline" : "not JSON") +
                                 ") skipped");
            r.torn_tail = true;
            break;
        }
        if (good) {
            r.records.push_back(std::move(j));
        } else if (!blank) {
            r.warnings.push_back(path + ":" + std::to_string(line_no) + ": not a JSON record, skipped");
        }
        pos = next;
        r.good_bytes = static_cast<long>(pos);
    }
    return r;
}

Database::Database(const std::string &path) : path_(path) {
    LoadResult r = load_records(path);
    records_ = std::move(r.records);
    warnings_ = std::move(r.warnings);
    if (r.torn_tail && truncate(path.c_str(), r.good_bytes) != 0) {
        throw std::runtime_error(path + ": cannot cut off its torn last line: " + strerror(errno));
    }
    file_ = fopen(path.c_str(), "ab");
    if (!file_) throw std::runtime_error(path + ": cannot open the tuning database for appending: " + strerror(errno));
}

Database::~Database() {
    if (file_) fclose(file_);
}

void Database::append(json record) {
    if (!record.contains("uid")) record["uid"] = new_uid();
    const std::string line = record.dump() + "\n";
    if (fwrite(line.data(), 1, line.size(), file_) != line.size() || fflush(file_) != 0 || fsync(fileno(file_)) != 0) {
        throw std::runtime_error(path_ + ": write failed: " + strerror(errno));
    }
    records_.push_back(std::move(record));
}

size_t Database::merge(const std::vector<json> &other) {
    std::set<std::string> have;
    for (const auto &r : records_) have.insert(r.value("uid", std::string()));
    size_t n = 0;
    for (const auto &r : other) {
        const std::string uid = r.value("uid", std::string());
        if (!uid.empty() && have.count(uid)) continue;
        append(r);
        have.insert(r.value("uid", std::string()));
        n++;
    }
    return n;
}

}  // namespace seqmix::tune
