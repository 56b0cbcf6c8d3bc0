// seqmix-bench: the fixed amount of work per (mixer, shape).
//
// These are counts of the math, not of what a kernel happens to execute: the same for every
// variant, chunk size and schedule, so that GFLOP/s and GB/s compare times honestly (DESIGN.md,
// "Benchmarks"). bench/README.md documents each formula; keep the two in step.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cmath>
#include <string>

#include <fmt/format.h>

namespace seqmix::bench {

// One row's shape. S (key length) is T for self-attention; Hkv is H without GQA.
struct Shape {
    int64_t B = 1, T = 1, S = 1, H = 1, Hkv = 1, K = 64, V = 64;
};

// fla-style readable name: B1_T4096_H8_K64_V64 (S and Hkv only when they differ from T and H).
inline std::string shape_name(const Shape &s, bool step = false) {
    std::string name = step ? fmt::format("B{}_H{}", s.B, s.H) : fmt::format("B{}_T{}", s.B, s.T);
    if (!step && s.S != s.T) name += fmt::format("_S{}", s.S);
    if (!step) name += fmt::format("_H{}", s.H);
    if (s.Hkv != s.H) name += fmt::format("_Hkv{}", s.Hkv);
    return name + fmt::format("_K{}_V{}", s.K, s.V);
}

// Number of (query t, key s) pairs that causal attention allows, bottom-right aligned
// (s <= t + (S - T)), optionally inside a sliding window W (s > t + (S - T) - W).
inline int64_t attention_pairs(int64_t T, int64_t S, bool causal, int64_t window = 0) {
    if (!causal && window <= 0) return T * S;
    int64_t pairs = 0;
    for (int64_t t = 0; t < T; t++) {
        int64_t hi = causal ? std::min(S - 1, t + (S - T)) : S - 1;  // last allowed key
        int64_t lo = window > 0 ? std::max<int64_t>(0, t + (S - T) - window + 1) : 0;
        if (hi >= lo) pairs += hi - lo + 1;
    }
    return pairs;
}

// Attention: QK^T (K MACs per allowed pair) and PV (V MACs per pair), 2 flops per MAC. The
// softmax's exp/max/sum are not counted (FlashAttention's convention).
inline double attention_flops(const Shape &s, bool causal = true, int64_t window = 0) {
    return 2.0 * double(s.B) * double(s.H) * double(attention_pairs(s.T, s.S, causal, window)) *
           double(s.K + s.V);
}

// Causal pairs (i >= j) inside chunks of length `chunk` covering T tokens.
inline int64_t gla_intra_pairs(int64_t T, int64_t chunk = 64) {
    int64_t pairs = 0;
    for (int64_t t0 = 0; t0 < T; t0 += chunk) {
        int64_t c = std::min(chunk, T - t0);
        pairs += c * (c + 1) / 2;
    }
    return pairs;
}

// GLA, counted as the chunked form at the fixed reference chunk C = 64 whatever chunk a
// variant uses: inter-chunk o = q S (T*K*V MACs), state update k^T v (T*K*V), intra-chunk
// q k^T (pairs*K) and attn @ v (pairs*V). Gate exponentials and cumsums are not counted.
inline double gla_flops(const Shape &s) {
    const double pairs = double(gla_intra_pairs(s.T, 64));
    const double per_head = 2.0 * double(s.T) * double(s.K) * double(s.V) + pairs * double(s.K + s.V);
    return 2.0 * double(s.B) * double(s.H) * per_head;
}

// GLA decode step, memory-bound: state read + state write (2*K*V), q, k, g read (3*K), v read
// and o write (2*V), fp32.
inline double gla_step_bytes(const Shape &s) {
    return 4.0 * double(s.B) * double(s.H) * double(2 * s.K * s.V + 3 * s.K + 2 * s.V);
}

// The same step counted in flops (for the table's second column only): decay + rank-1 update
// (3 per state element) and o = S^T q (2 per state element).
inline double gla_step_flops(const Shape &s) {
    return 5.0 * double(s.B) * double(s.H) * double(s.K) * double(s.V);
}

// The scalar-decay family (linear_attn, retention, simple_gla), chunked: the same four products
// as GLA at the same reference chunk 64 (q S, k^T v, causal q k^T, attn v); the scalar gates'
// exponentials and cumsums are not counted.
inline double scalar_decay_flops(const Shape &s) {
    return gla_flops(s);
}

// Its decode step, memory-bound: state read + write (2*K*V), q and k read (2*K), v read and o
// write (2*V), and simple_gla's scalar gate g (1 per head), fp32.
inline double scalar_decay_step_bytes(const Shape &s, bool gate) {
    return 4.0 * double(s.B) * double(s.H) * double(2 * s.K * s.V + 2 * s.K + 2 * s.V + (gate ? 1 : 0));
}

// The same step in flops (second column only): decay + rank-1 update (3 per state element) and
// o = S^T q (2 per state element).
inline double scalar_decay_step_flops(const Shape &s) {
    return 5.0 * double(s.B) * double(s.H) * double(s.K) * double(s.V);
}

// Mamba-2 SSD's shape: x [B,T,H,P], Bm, Cm [B,T,G,N]; named B4_T4096_H32_P64_N128_G1 (step:
// B64_H32_P64_N128_G1).
struct SsdShape {
    int64_t B = 1, T = 1, H = 1, P = 64, N = 128, G = 1;
};

inline std::string ssd_shape_name(const SsdShape &s, bool step = false) {
    std::string name = step ? fmt::format("B{}", s.B) : fmt::format("B{}_T{}", s.B, s.T);
    return name + fmt::format("_H{}_P{}_N{}_G{}", s.H, s.P, s.N, s.G);
}

// SSD chunked, counted at the reference chunk 64 as the minimal work of the chunked algorithm
// (mamba_ssm's): per head the inter-chunk output C S (T*N*P MACs), the state update B^T (dt x)
// (T*N*P) and the intra-chunk (C B^T * decay) (dt x) (pairs*P); per group the scores C B^T
// (pairs*N: one per group, not per head). seqmix's block computes the scores per head, so for
// G < H it does more work than counted here. exp, cumsums, softplus and D x are not counted.
inline double ssd_flops(const SsdShape &s) {
    const double pairs = double(gla_intra_pairs(s.T, 64));
    return 2.0 * double(s.B) *
           (double(s.H) * (2.0 * double(s.T) * double(s.N) * double(s.P) + pairs * double(s.P)) +
            double(s.G) * pairs * double(s.N));
}

// Its decode step, memory-bound: state read + write (2*P*N per head), x read and y written (2*P)
// and dt (1) per head, Bm and Cm (2*N) per group, A and Dskip (2 per head, once), fp32.
inline double ssd_step_bytes(const SsdShape &s) {
    return 4.0 * (double(s.B) * (double(s.H) * double(2 * s.P * s.N + 2 * s.P + 1) + double(s.G) * double(2 * s.N)) +
                  2.0 * double(s.H));
}

// The same step in flops (second column only): decay + rank-1 update (3 per state element) and
// y = h C (2 per state element).
inline double ssd_step_flops(const SsdShape &s) {
    return 5.0 * double(s.B) * double(s.H) * double(s.P) * double(s.N);
}

// The delta-rule mixers and RWKV-7 (DPLR), counted as the chunked WY/UT algorithm at the fixed
// reference chunk C = 64 (generators/common/dplr.h), per chunk of c tokens, with P = c(c+1)/2
// causal pairs and Ps = c(c-1)/2 strict ones: L = a^T alpha (Ps*K), the two forward
// substitutions W (Ps*K) and U0 (2*Ps*V: the L and Lk terms), M = Aa^T W (c*K*K), kv (c*K*V),
// the state step M S (K*K*V), u = W S (c*K*V), o_inter (c*K*V), q^T alpha (P*K) and o_intra
// (P*V). RWKV-7's alpha (b) is not k: Lk (Ps*K), q^T k (P*K), and the second halves of kv
// (c*K*V) and o_intra (P*V) are separate. Exponentials and cumsums are not counted.
inline double dplr_flops(const Shape &s, bool alpha_is_not_k) {
    double macs = 0;
    const double K = double(s.K), V = double(s.V);
    for (int64_t t0 = 0; t0 < s.T; t0 += 64) {
        const double c = double(std::min<int64_t>(64, s.T - t0)), P = c * (c + 1) / 2, Ps = c * (c - 1) / 2;
        macs += Ps * K + Ps * K + 2 * Ps * V + c * K * K + c * K * V + K * K * V + c * K * V + c * K * V + P * K + P * V;
        if (alpha_is_not_k) macs += Ps * K + P * K + c * K * V + P * V;
    }
    return 2.0 * double(s.B) * double(s.H) * macs;
}

// DPLR decode step, memory-bound: state read + write (2*K*V), then per (b, h) the inputs and o:
// k_inputs of K floats, v_inputs of V floats (v, w, and o), scalar_inputs (beta, scalar g), fp32.
inline double dplr_step_bytes(const Shape &s, int64_t k_inputs, int64_t v_inputs, int64_t scalar_inputs) {
    return 4.0 * double(s.B) * double(s.H) *
           double(2 * s.K * s.V + k_inputs * s.K + (v_inputs + 1) * s.V + scalar_inputs);
}

// The step in flops (second column only): a^T S (2), decay + two rank-1 terms (5) and o (2) per
// state element.
inline double dplr_step_flops(const Shape &s) {
    return 9.0 * double(s.B) * double(s.H) * double(s.K) * double(s.V);
}

// ---- state-space mixers and decode attention (issue 8); fp32, memory-bound counts -------------

// Causal conv1d: x [B,T,D] read, y written, weight [D,W] and bias [D] read once.
struct ConvShape {
    int64_t B = 1, T = 1, D = 1, W = 4;
};
inline std::string conv_shape_name(const ConvShape &s, bool step = false) {
    return step ? fmt::format("B{}_D{}_W{}", s.B, s.D, s.W) : fmt::format("B{}_T{}_D{}_W{}", s.B, s.T, s.D, s.W);
}
inline double causal_conv1d_bytes(const ConvShape &s) {
    return 4.0 * (2.0 * double(s.B) * double(s.T) * double(s.D) + double(s.D) * double(s.W + 1));
}
// The step: state [B,D,W-1] read and written, x read, y written, weight and bias read.
inline double causal_conv1d_step_bytes(const ConvShape &s) {
    return 4.0 * (double(s.B) * double(s.D) * double(2 * (s.W - 1) + 2) + double(s.D) * double(s.W + 1));
}

// Selective scan: x, delta, z read and y written ([B,D,T] each), Bm and Cm ([B,G,N,T]) read,
// A [D,N], Dskip, delta_bias read; states ignored (T >> N). The S6 scan has no matmul form: its
// arithmetic is one exp and ~5 flops per (b, d, t, n) (flops, for the table's second column).
struct ScanShape {
    int64_t B = 1, D = 1, T = 1, N = 16, G = 1;
};
inline std::string scan_shape_name(const ScanShape &s, bool step = false) {
    return step ? fmt::format("B{}_D{}_N{}_G{}", s.B, s.D, s.N, s.G)
                : fmt::format("B{}_D{}_T{}_N{}_G{}", s.B, s.D, s.T, s.N, s.G);
}
inline double selective_scan_bytes(const ScanShape &s) {
    return 4.0 * (4.0 * double(s.B) * double(s.D) * double(s.T) + 2.0 * double(s.B) * double(s.G) * double(s.N) * double(s.T) +
                  double(s.D) * double(s.N + 2));
}
inline double selective_scan_flops(const ScanShape &s) {
    return 6.0 * double(s.B) * double(s.D) * double(s.T) * double(s.N);
}
// The step (selective_state_update): state [B,D,N] read and written, x, delta, z read, y written,
// Bm, Cm [B,G,N] read, A [D,N] read.
inline double selective_scan_step_bytes(const ScanShape &s) {
    return 4.0 * (2.0 * double(s.B) * double(s.D) * double(s.N) + 4.0 * double(s.B) * double(s.D) +
                  2.0 * double(s.B) * double(s.G) * double(s.N) + double(s.D) * double(s.N + 2));
}

// Decode attention: the visible KV cache read once (sum of lengths x Hkv x (K + V)), q read and o
// written; the partials are not counted (a few % at these shapes).
inline double decode_attention_bytes(const Shape &s, int64_t total_len, int64_t Tq) {
    return 4.0 * (double(total_len) * double(s.Hkv) * double(s.K + s.V) +
                  double(s.B) * double(Tq) * double(s.H) * double(s.K + s.V));
}

// ---- structured and dense token mixing (issue 9); fp32, compute-bound counts -------------------

// x, y [B,T,C].
struct MixShape {
    int64_t B = 1, T = 1, C = 1;
};
inline std::string mix_shape_name(const MixShape &s) {
    return fmt::format("B{}_T{}_C{}", s.B, s.T, s.C);
}
// Monarch: per line along the mixed axis, two block-diagonal passes over the padded length m*m,
// each m*m outputs of an m-term dot product: 2 * 2 * m^3 flops; lines = B*C (sequence axis) or
// B*T (channel axis).
inline double monarch_flops(const MixShape &s, int64_t m, bool sequence_axis) {
    const double lines = double(s.B) * double(sequence_axis ? s.C : s.T);
    return 4.0 * double(m) * double(m) * double(m) * lines;
}
// Token mixing: per (b, c) a matrix-vector product with W [T,T]: 2*T^2 flops, or with its lower
// triangle (causal): T*(T+1).
inline double token_mix_flops(const MixShape &s, bool causal) {
    const double per_line = causal ? double(s.T) * double(s.T + 1) : 2.0 * double(s.T) * double(s.T);
    return per_line * double(s.B) * double(s.C);
}

// long_conv: nominal FFT work of the convolution at FFT length n, whatever the form or variant
// runs: three real transforms per (b, d) (u forward, the filter forward, the inverse) at the
// usual 2.5 n log2 n flops each, and the complex product (6 flops per bin, n/2 bins).
inline double long_conv_flops(int64_t B, int64_t D, int64_t n) {
    return double(B) * double(D) * (3.0 * 2.5 * double(n) * std::log2(double(n)) + 3.0 * double(n));
}

}  // namespace seqmix::bench
