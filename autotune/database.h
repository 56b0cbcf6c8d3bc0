// The tuning database: append-only JSONL, one self-contained record per measured candidate
// (STYLE.md, "Autotuner"). Each append is one write of one line, then fflush and fsync, so a
// kill -9 loses at most the line being written; such a torn last line (no newline, or not JSON)
// is detected on open, reported, and cut off before the next append. Records carry a random
// `uid`, so merging the databases of two machines is a union without duplicates.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdio>
#include <string>
#include <vector>

namespace seqmix::tune {

struct LoadResult {
    std::vector<nlohmann::json> records;
    std::vector<std::string> warnings;  // "db.jsonl:17: torn last line (42 bytes) skipped", ...
    long good_bytes = 0;                // file offset just after the last good line
    bool torn_tail = false;
};

// Reads every good record; a missing file is an empty database.
LoadResult load_records(const std::string &path);

class Database {
public:
    // Opens (creating) the file for appending; cuts off a torn last line (with a warning).
    explicit Database(const std::string &path);
    ~Database();
    Database(const Database &) = delete;
    Database &operator=(const Database &) = delete;
    const std::vector<nlohmann::json> &records() const { return records_; }
    const std::vector<std::string> &warnings() const { return warnings_; }
    // Adds `uid` (if absent), writes one line, flushes and fsyncs.
    void append(nlohmann::json record);
    // Appends the records of `other` whose uid is not here yet; returns how many.
    size_t merge(const std::vector<nlohmann::json> &other);
    const std::string &path() const { return path_; }

private:
    std::string path_;
    FILE *file_ = nullptr;
    std::vector<nlohmann::json> records_;
    std::vector<std::string> warnings_;
};

std::string new_uid();

}  // namespace seqmix::tune
