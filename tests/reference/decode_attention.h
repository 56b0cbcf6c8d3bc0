// float64 reference for decode attention (MIXERS.md, "decode attention"): plain softmax over the
// visible keys of each query, no partitions. Query tq of sequence b sits at position
// lens[b] - Tq + tq and sees keys l <= that position (and l < lens[b]); query head h reads kv
// head h / (H / Hkv). A query with no visible key: o = 0, lse = -inf.
#pragma once

#include <cstdint>
#include <vector>

namespace seqmix::ref {

struct DecodeResult {
    std::vector<double> o;    // [B,Tq,H,V]
    std::vector<double> lse;  // [B,H,Tq]
};

// q [B,Tq,H,K], k [B,L,Hkv,K], v [B,L,Hkv,V], lens [B] (each in [0, L]).
DecodeResult decode_attention_ref(const std::vector<double> &q, const std::vector<double> &k,
                                  const std::vector<double> &v, const std::vector<int32_t> &lens, int64_t B,
                                  int64_t Tq, int64_t L, int64_t H, int64_t Hkv, int64_t K, int64_t V, double scale);

}  // namespace seqmix::ref
