#include "host_cache.h"

#include <charconv>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iterator>
#include <map>
#include <mutex>
#include <new>

#if defined(__SANITIZE_ADDRESS__)
#define SEQMIX_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SEQMIX_ASAN 1
#endif
#endif
#ifdef SEQMIX_ASAN
#include <sanitizer/asan_interface.h>
#endif

namespace seqmix::detail {
namespace {

// Every block is [header (kAlign bytes, holding the usable size) | usable bytes], the usable part
// kAlign-aligned, so that free() knows the size without a lookup and small blocks need no lock.
constexpr size_t kAlign = 64;
// Smaller blocks (per-task scratch inside parallel loops, many a call) stay with glibc's per-thread
// arenas: a 64 KiB floor put long_conv's FFT scratch behind this cache's one mutex (0.9x at
// B2_D128_T2048); 1 MiB measured the same as 64 KiB on the rows the cache is for.
constexpr size_t kMinCached = size_t(1) << 20;
constexpr size_t kDefaultLimit = size_t(1) << 30;

char *raw_of(void *ptr) {
    return static_cast<char *>(ptr) - kAlign;
}
size_t size_of(void *ptr) {
    size_t n;
    std::memcpy(&n, raw_of(ptr), sizeof n);
    return n;
}

// A cached block is off limits to the program: ASan reports a kernel that reads a stage after the
// call freed it, cache or not.
void set_poisoned(void *ptr, size_t n, bool poisoned) {
#ifdef SEQMIX_ASAN
    if (poisoned) {
        ASAN_POISON_MEMORY_REGION(ptr, n);
    } else {
        ASAN_UNPOISON_MEMORY_REGION(ptr, n);
    }
#else
    (void)ptr, (void)n, (void)poisoned;
#endif
}

size_t limit_from_environment() {
    const char *s = std::getenv("SEQMIX_HOST_CACHE_MB");
    if (!s || !*s) return kDefaultLimit;
    size_t mb = 0;
    const char *end = s + std::strlen(s);
    auto [p, ec] = std::from_chars(s, end, mb);
    if (ec != std::errc() || p != end || mb > (SIZE_MAX >> 20)) {
        std::fprintf(stderr, "seqmix: SEQMIX_HOST_CACHE_MB='%s' is not a whole number of MiB; using %zu\n", s,
                     kDefaultLimit >> 20);
        return kDefaultLimit;
    }
    return mb << 20;
}

class Cache {
public:
    void *allocate(size_t bytes) {
        // Halide reads whole vectors past the last element: round to the alignment, never 0.
        const size_t need = bytes == 0 ? kAlign : (bytes + kAlign - 1) / kAlign * kAlign;
        if (need >= kMinCached) {
            std::lock_guard<std::mutex> lock(mu_);
            // The smallest idle block that fits, if it wastes at most 1/8 of the request (a
            // call with the same shape asks for exactly the sizes the last one freed).
            auto it = idle_.lower_bound(need);
            if (it != idle_.end() && it->first - need <= need / 8) {
                void *ptr = it->second;
                cached_ -= it->first;
                idle_.erase(it);
                hits_++;
                set_poisoned(ptr, size_of(ptr), false);
                return ptr;
            }
            misses_++;
        }
        if (need > SIZE_MAX - kAlign) return nullptr;
        void *raw = std::aligned_alloc(kAlign, kAlign + need);
        if (!raw) return nullptr;
        std::memcpy(raw, &need, sizeof need);
        return static_cast<char *>(raw) + kAlign;
    }

    void release(void *ptr) {
        if (!ptr) return;
        const size_t n = size_of(ptr);
        if (n >= kMinCached) {
            std::unique_lock<std::mutex> lock(mu_);
            if (n <= limit_) {
                evict_to(limit_ - n, lock);
                set_poisoned(ptr, n, true);
                idle_.emplace(n, ptr);
                cached_ += n;
                return;
            }
        }
        std::free(raw_of(ptr));
    }

    void set_limit(size_t bytes) {
        std::unique_lock<std::mutex> lock(mu_);
        limit_ = bytes;
        evict_to(bytes, lock);
    }

    void empty() {
        std::unique_lock<std::mutex> lock(mu_);
        evict_to(0, lock);
    }

    HostCacheStats stats() {
        std::lock_guard<std::mutex> lock(mu_);
        return {limit_, cached_, idle_.size(), hits_, misses_};
    }

private:
    // Frees the largest idle blocks until at most `keep` bytes stay cached.
    void evict_to(size_t keep, std::unique_lock<std::mutex> &) {
        while (cached_ > keep) {
            auto last = std::prev(idle_.end());
            cached_ -= last->first;
            set_poisoned(last->second, last->first, false);
            std::free(raw_of(last->second));
            idle_.erase(last);
        }
    }

    std::mutex mu_;
    std::multimap<size_t, void *> idle_; // usable size -> block
    size_t limit_ = limit_from_environment();
    size_t cached_ = 0, hits_ = 0, misses_ = 0;
};

// Never destroyed: Halide's runtime may free a block during static destruction (its thread pool
// and CUDA clean-up run at exit). The idle blocks stay reachable from it, so leak checkers
// report nothing.
Cache &cache() {
    static Cache *c = new Cache;
    return *c;
}

} // namespace

void *host_cache_malloc(void *, size_t bytes) {
    return cache().allocate(bytes);
}
void host_cache_free(void *, void *ptr) {
    cache().release(ptr);
}

} // namespace seqmix::detail

namespace seqmix {

HostCacheStats host_cache_stats() {
    return detail::cache().stats();
}
void set_host_cache_limit(size_t bytes) {
    detail::cache().set_limit(bytes);
}
void empty_host_cache() {
    detail::cache().empty();
}

} // namespace seqmix
