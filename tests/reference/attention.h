// float64 reference for softmax attention (MIXERS.md, "Softmax attention family", causal attention).
// Written literally from the formula, one query row at a time; no tiling, no online softmax.
#pragma once

#include <cstdint>
#include <vector>

namespace seqmix::ref {

struct AttentionResult {
    std::vector<double> o;    // [B,T,H,V]
    std::vector<double> lse;  // [B,H,T], natural log; -inf for a row with no allowed key
};

// q [B,T,H,K], k [B,S,Hkv,K], v [B,S,Hkv,V], all row-major contiguous.
// Key s is allowed for query t when: non-causal: always; causal: s <= t + (S - T) (bottom-right
// alignment), and with window W > 0 also s > t + (S - T) - W.
// Query head h reads kv head h / (H / Hkv).
AttentionResult attention_ref(const std::vector<double> &q, const std::vector<double> &k,
                              const std::vector<double> &v, int64_t B, int64_t T, int64_t S, int64_t H,
                              int64_t Hkv, int64_t K, int64_t V, double scale, bool causal, int64_t window);

// Whether key s is allowed for query t (the mask above), exposed for tests.
bool attention_allowed(int64_t t, int64_t s, int64_t T, int64_t S, bool causal, int64_t window);

}  // namespace seqmix::ref
