// seqmix-bench: the timing protocol (warm-up, repeats, minimum time, cold caches) as one named
// struct, written into every JSON row, and the statistics of one measurement.
#pragma once

#include <algorithm>
#include <cmath>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace seqmix::bench {

struct Protocol {
    int warmup = 2;           // untimed calls first (first-touch pages, CUDA module loads)
    int repeats = 10;         // at least this many timed calls...
    double min_time_s = 0.2;  // ...and at least this much timed time
    int max_repeats = 2000;   // hard cap on timed calls, whatever min_time_s says
    // "warm": every call reuses one set of buffers. "rotate": calls cycle through `sets`
    // distinct buffer sets whose total size exceeds twice the last-level cache (CPU LLC or GPU L2),
    // so each call reads its state from memory, as a decode step does in a real server.
    std::string cache = "warm";
    int sets = 1;
    double cache_bytes = 0;   // the cache size that `sets` was chosen against
};

inline void to_json(nlohmann::json &j, const Protocol &p) {
    j = {{"warmup", p.warmup}, {"repeats", p.repeats}, {"min_time_s", p.min_time_s},
         {"max_repeats", p.max_repeats}, {"cache", p.cache}, {"sets", p.sets}, {"cache_bytes", p.cache_bytes}};
}

// Times in milliseconds. spread = (q75 - q25) / median, the relative interquartile range.
struct Stats {
    int n = 0;
    double median_ms = 0, min_ms = 0, max_ms = 0, q25_ms = 0, q75_ms = 0, spread = 0;
};

inline void to_json(nlohmann::json &j, const Stats &s) {
    j = {{"n", s.n}, {"median_ms", s.median_ms}, {"min_ms", s.min_ms}, {"max_ms", s.max_ms},
         {"q25_ms", s.q25_ms}, {"q75_ms", s.q75_ms}, {"spread", s.spread}};
}

inline double quantile(std::vector<double> sorted, double q) {
    if (sorted.empty()) return 0;
    double pos = q * double(sorted.size() - 1);
    size_t i = size_t(pos);
    double frac = pos - double(i);
    return i + 1 < sorted.size() ? sorted[i] * (1 - frac) + sorted[i + 1] * frac : sorted[i];
}

inline Stats summarize(std::vector<double> ms) {
    Stats s;
    if (ms.empty()) return s;
    std::sort(ms.begin(), ms.end());
    s.n = int(ms.size());
    s.median_ms = quantile(ms, 0.5);
    s.q25_ms = quantile(ms, 0.25);
    s.q75_ms = quantile(ms, 0.75);
    s.min_ms = ms.front();
    s.max_ms = ms.back();
    s.spread = s.median_ms > 0 ? (s.q75_ms - s.q25_ms) / s.median_ms : 0;
    return s;
}

// Runs `call(i)` (i = call index; the callee picks buffer set i % sets) under the protocol.
// `call` returns the seconds that one call took, measured by the device's own clock (steady
// clock around the call on the CPU, CUDA events around it on its stream).
inline Stats measure(const Protocol &p, const std::function<double(int)> &call) {
    int i = 0;
    for (int w = 0; w < p.warmup; w++) call(i++);
    std::vector<double> ms;
    double total = 0;
    while ((int(ms.size()) < p.repeats || total < p.min_time_s) && int(ms.size()) < p.max_repeats) {
        double s = call(i++);
        ms.push_back(s * 1e3);
        total += s;
    }
    return summarize(std::move(ms));
}

// The number of buffer sets of `set_bytes` each that together exceed 2 * cache_bytes.
inline int rotation_sets(double set_bytes, double cache_bytes) {
    if (set_bytes <= 0) return 1;
    return std::max(2, int(std::ceil(2.0 * cache_bytes / set_bytes)) + 1);
}

}  // namespace seqmix::bench
