// seqmix: sequence-mixer kernels, compiled ahead of time from Halide pipelines.
//
// Every function takes non-owning tensor views (pointer, dtype, shape, strides, device) for its
// inputs and for the outputs the caller allocated, validates all of them, and runs the variant
// chosen for (device, dtype, shape bucket). Shapes follow flash-linear-attention's
// sequence-major convention (see MIXERS.md): B batch, T sequence, H heads, K key dim, V value dim.
// The last dimension of every tensor must be contiguous (stride 1); other strides may be any
// positive value. Nothing is copied: CUDA tensors are device pointers owned by the caller, and
// the kernels run on the stream given in the options.
//
// Every failure (bad argument, missing variant, CUDA error) throws seqmix::Error.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

// Everything declared here is exported from libseqmix; the rest of the library is hidden.
#if defined(_WIN32)
#define SEQMIX_API
#else
#define SEQMIX_API __attribute__((visibility("default")))
#endif

namespace seqmix {

enum class DType { f32, f16, bf16, f64, i32, i64 };
enum class DeviceType { cpu, cuda };

struct Device {
    DeviceType type = DeviceType::cpu;
    int index = 0;  // CUDA ordinal; ignored for CPU
    static Device cpu() { return {}; }
    static Device cuda(int index = 0) { return {DeviceType::cuda, index}; }
};

// A non-owning view of a strided tensor. Strides count elements, not bytes.
struct SEQMIX_API Tensor {
    void *data = nullptr;
    DType dtype = DType::f32;
    std::vector<int64_t> shape;
    std::vector<int64_t> strides;
    Device device;

    Tensor() = default;
    Tensor(void *data, DType dtype, std::vector<int64_t> shape, std::vector<int64_t> strides, Device device = {});
    // Row-major contiguous view (the last dimension varies fastest).
    static Tensor contiguous(void *data, DType dtype, std::vector<int64_t> shape, Device device = {});
    static Tensor contiguous(float *data, std::vector<int64_t> shape, Device device = {}) {
        return contiguous(data, DType::f32, std::move(shape), device);
    }
    static Tensor contiguous(const float *data, std::vector<int64_t> shape, Device device = {}) {
        return contiguous(const_cast<float *>(data), DType::f32, std::move(shape), device);
    }
    int64_t numel() const;
    int rank() const { return static_cast<int>(shape.size()); }
};

// Bad arguments, no usable variant.
class SEQMIX_API Error : public std::runtime_error {
public:
    explicit Error(const std::string &what) : std::runtime_error(what) {}
};

// A kernel that was launched and failed (CUDA errors, out of memory), with Halide's message.
class SEQMIX_API KernelError : public Error {
public:
    using Error::Error;
};

// Options every call shares.
struct CallOptions {
    void *stream = nullptr;  // cudaStream_t / CUstream for CUDA tensors; nullptr = the default stream
    // "" lets the dispatcher choose. Otherwise "<target>/<bucket>" (e.g. "x86-64-avx2/default",
    // "cuda-sm90/long") forces that variant; Error if it was not built, cannot run here, or its
    // bucket condition does not hold for these shapes.
    std::string variant;
};

// ---- causal / non-causal softmax attention (FlashAttention) ----------------------------------
// q [B,T,H,K], k [B,S,Hkv,K], v [B,S,Hkv,V]  ->  o [B,T,H,V], lse [B,H,T] (optional).
// Query head h reads kv head h / (H / Hkv). Causal aligns the ends: key s is allowed for query t
// when s <= t + (S - T); a sliding window W > 0 also requires s > t + (S - T) - W.
struct AttentionOptions : CallOptions {
    std::optional<float> scale;  // default 1/sqrt(K)
    bool causal = true;
    int64_t window = 0;          // 0: no window
};
SEQMIX_API void attention(const Tensor &q, const Tensor &k, const Tensor &v, const Tensor &o,
               const std::optional<Tensor> &lse = std::nullopt, const AttentionOptions &options = {});

// ---- Gated Linear Attention ------------------------------------------------------------------
// S_t = Diag(exp(g_t)) S_{t-1} + k_t v_t^T,  o_t = scale * S_t^T q_t.
// q, k, g [B,T,H,K], v [B,T,H,V] -> o [B,T,H,V]; initial_state, final_state [B,H,K,V] (optional).
struct GlaOptions : CallOptions {
    std::optional<float> scale;  // default 1/sqrt(K)
};
SEQMIX_API void gla(const Tensor &q, const Tensor &k, const Tensor &v, const Tensor &g, const Tensor &o,
         const std::optional<Tensor> &initial_state = std::nullopt,
         const std::optional<Tensor> &final_state = std::nullopt, const GlaOptions &options = {});

// One decode step: q, k, g [B,H,K], v [B,H,V], state [B,H,K,V] -> o [B,H,V], new_state [B,H,K,V].
// state and new_state must not overlap.
SEQMIX_API void gla_step(const Tensor &q, const Tensor &k, const Tensor &v, const Tensor &g, const Tensor &state,
              const Tensor &o, const Tensor &new_state, const GlaOptions &options = {});

// The state side of gla alone, from a zero state: k, g [B,T,H,K], v [B,T,H,V] -> final_state
// [B,H,K,V] (gla's final_state with no initial_state) and decay [B,H,K] = exp(sum_t g_t), so that
// a state S entering the sequence leaves it as Diag(decay) S + final_state. Cheaper than gla: no
// outputs. The building block of sequence parallelism (seqmix/dist.h).
SEQMIX_API void gla_state(const Tensor &k, const Tensor &v, const Tensor &g, const Tensor &final_state,
                          const Tensor &decay, const GlaOptions &options = {});

// The two other pieces of a one-pass sequence-parallel gla (LASP-2; seqmix/dist.h uses them):
// gla_decay: g [B,T,H,K] -> decay [B,H,K] = exp(sum_t g_t), the sequence's transition.
// gla_inter: o [B,T,H,V] += scale * (q_t * exp(sum_{s<=t} g_s))^T state, what a state [B,H,K,V]
// entering the sequence adds to its outputs: gla from `state` == gla from zero, then gla_inter.
// g may also be [B,T,H,1], one gate per head broadcast over K (the scalar-decay family; gla_decay
// then gives [B,H,1]). o is read and written; it must not overlap q, g or state.
SEQMIX_API void gla_decay(const Tensor &g, const Tensor &decay, const GlaOptions &options = {});
SEQMIX_API void gla_inter(const Tensor &q, const Tensor &g, const Tensor &state, const Tensor &o,
                          const GlaOptions &options = {});

// ---- scalar-decay linear recurrences: linear attention, retention, simple GLA ----------------
// S_t = a_t S_{t-1} + k_t v_t^T,  o_t = scale * S_t^T q_t, with the decay a_t per (token, head):
//   linear_attn: a_t = 1;  retention: a_t = gamma_h = 1 - 2^(-5-h);  simple_gla: a_t = exp(g_t).
// q, k [B,T,H,K], v [B,T,H,V], g [B,T,H] (log gates <= 0) -> o [B,T,H,V];
// initial_state, final_state [B,H,K,V] (optional).
struct RecurrenceOptions : CallOptions {
    std::optional<float> scale;  // default 1/sqrt(K)
};
SEQMIX_API void linear_attn(const Tensor &q, const Tensor &k, const Tensor &v, const Tensor &o,
                            const std::optional<Tensor> &initial_state = std::nullopt,
                            const std::optional<Tensor> &final_state = std::nullopt,
                            const RecurrenceOptions &options = {});
SEQMIX_API void retention(const Tensor &q, const Tensor &k, const Tensor &v, const Tensor &o,
                          const std::optional<Tensor> &initial_state = std::nullopt,
                          const std::optional<Tensor> &final_state = std::nullopt,
                          const RecurrenceOptions &options = {});
SEQMIX_API void simple_gla(const Tensor &q, const Tensor &k, const Tensor &v, const Tensor &g, const Tensor &o,
                           const std::optional<Tensor> &initial_state = std::nullopt,
                           const std::optional<Tensor> &final_state = std::nullopt,
                           const RecurrenceOptions &options = {});

// One decode step: q, k [B,H,K], v [B,H,V], g [B,H], state [B,H,K,V] -> o [B,H,V],
// new_state [B,H,K,V]. state and new_state must not overlap.
SEQMIX_API void linear_attn_step(const Tensor &q, const Tensor &k, const Tensor &v, const Tensor &state,
                                 const Tensor &o, const Tensor &new_state, const RecurrenceOptions &options = {});
SEQMIX_API void retention_step(const Tensor &q, const Tensor &k, const Tensor &v, const Tensor &state,
                               const Tensor &o, const Tensor &new_state, const RecurrenceOptions &options = {});
SEQMIX_API void simple_gla_step(const Tensor &q, const Tensor &k, const Tensor &v, const Tensor &g,
                                const Tensor &state, const Tensor &o, const Tensor &new_state,
                                const RecurrenceOptions &options = {});
// ---- delta-rule mixers and RWKV-7 (diagonal-plus-rank-one recurrences) ------------------------
// MIXERS.md, "Linear recurrences"; state S [K,V] per head, o_t = scale * S_t^T q_t:
//   delta_rule         S_t = (I - beta_t k_t k_t^T) S_{t-1} + beta_t k_t v_t^T
//   gated_delta_rule   S_t = exp(g_t) (I - beta_t k_t k_t^T) S_{t-1} + beta_t k_t v_t^T
//   kda                S_t = (I - beta_t k_t k_t^T) Diag(exp(g_t)) S_{t-1} + beta_t k_t v_t^T
//   gated_delta_rule2  S_t = (I - k_t (b_t * k_t)^T) Diag(exp(g_t)) S_{t-1} + k_t (w_t * v_t)^T
// q, k [B,T,H,K], v [B,T,H,V], beta [B,T,H] (in (0,1)), g: [B,T,H] (gated_delta_rule) or [B,T,H,K]
// (kda, gated_delta_rule2) log gates <= 0, erase gate b [B,T,H,K], write gate w [B,T,H,V]
// -> o [B,T,H,V]; initial_state, final_state [B,H,K,V] (optional).
// The chunked kernels use the WY / UT-transform form; the _step forms take one token ([B,H,*]
// tensors, g [B,H] or [B,H,K], beta [B,H]) and a state [B,H,K,V] -> o [B,H,V], new_state
// [B,H,K,V] (state and new_state must not overlap).
struct DeltaRuleOptions : CallOptions {
    std::optional<float> scale;  // default 1/sqrt(K)
    bool qk_l2norm = false;      // normalise q and k inside the kernel: x / sqrt(sum x^2 + 1e-6)
};
SEQMIX_API void delta_rule(const Tensor &q, const Tensor &k, const Tensor &v, const Tensor &beta, const Tensor &o,
                           const std::optional<Tensor> &initial_state = std::nullopt,
                           const std::optional<Tensor> &final_state = std::nullopt,
                           const DeltaRuleOptions &options = {});
SEQMIX_API void gated_delta_rule(const Tensor &q, const Tensor &k, const Tensor &v, const Tensor &g,
                                 const Tensor &beta, const Tensor &o,
                                 const std::optional<Tensor> &initial_state = std::nullopt,
                                 const std::optional<Tensor> &final_state = std::nullopt,
                                 const DeltaRuleOptions &options = {});
SEQMIX_API void kda(const Tensor &q, const Tensor &k, const Tensor &v, const Tensor &g, const Tensor &beta,
                    const Tensor &o, const std::optional<Tensor> &initial_state = std::nullopt,
                    const std::optional<Tensor> &final_state = std::nullopt, const DeltaRuleOptions &options = {});
SEQMIX_API void gated_delta_rule2(const Tensor &q, const Tensor &k, const Tensor &v, const Tensor &g, const Tensor &b,
                                  const Tensor &w, const Tensor &o,
                                  const std::optional<Tensor> &initial_state = std::nullopt,
                                  const std::optional<Tensor> &final_state = std::nullopt,
                                  const DeltaRuleOptions &options = {});
SEQMIX_API void delta_rule_step(const Tensor &q, const Tensor &k, const Tensor &v, const Tensor &beta,
                                const Tensor &state, const Tensor &o, const Tensor &new_state,
                                const DeltaRuleOptions &options = {});
SEQMIX_API void gated_delta_rule_step(const Tensor &q, const Tensor &k, const Tensor &v, const Tensor &g,
                                      const Tensor &beta, const Tensor &state, const Tensor &o,
                                      const Tensor &new_state, const DeltaRuleOptions &options = {});
SEQMIX_API void kda_step(const Tensor &q, const Tensor &k, const Tensor &v, const Tensor &g, const Tensor &beta,
                         const Tensor &state, const Tensor &o, const Tensor &new_state,
                         const DeltaRuleOptions &options = {});
SEQMIX_API void gated_delta_rule2_step(const Tensor &q, const Tensor &k, const Tensor &v, const Tensor &g,
                                       const Tensor &b, const Tensor &w, const Tensor &state, const Tensor &o,
                                       const Tensor &new_state, const DeltaRuleOptions &options = {});

// RWKV-7 in the [K,V] state convention: S_t = Diag(exp(w_t)) S_{t-1} + b_t (a_t^T S_{t-1}) + k_t v_t^T,
// o_t = scale * S_t^T r_t. r, w (log decay < 0), k, a, b [B,T,H,K], v [B,T,H,V] -> o [B,T,H,V];
// step: [B,H,*] tensors and state [B,H,K,V].
struct Rwkv7Options : CallOptions {
    std::optional<float> scale;  // default 1
};
SEQMIX_API void rwkv7(const Tensor &r, const Tensor &w, const Tensor &k, const Tensor &v, const Tensor &a,
                      const Tensor &b, const Tensor &o, const std::optional<Tensor> &initial_state = std::nullopt,
                      const std::optional<Tensor> &final_state = std::nullopt, const Rwkv7Options &options = {});
SEQMIX_API void rwkv7_step(const Tensor &r, const Tensor &w, const Tensor &k, const Tensor &v, const Tensor &a,
                           const Tensor &b, const Tensor &state, const Tensor &o, const Tensor &new_state,
                           const Rwkv7Options &options = {});

// ---- Mamba-2 SSD (state-space duality), its decode step and the bidirectional (Hydra) form ---
// x [B,T,H,P], dt [B,T,H], A [H] (negative), Bm, Cm [B,T,G,N] (head h uses group h / (H/G),
// H % G == 0), Dskip [H], dt_bias [H] (absent: 0), states [B,H,P,N] (absent initial: zeros):
//   dt' = dt + dt_bias (softplus(dt + dt_bias) with options.dt_softplus),
//   h_t = exp(dt'_t A) h_{t-1} + dt'_t x_t Bm_t^T,  y_t = h_t Cm_t + Dskip x_t  -> y [B,T,H,P].
struct SsdOptions : CallOptions {
    bool dt_softplus = false;
};
SEQMIX_API void ssd(const Tensor &x, const Tensor &dt, const Tensor &A, const Tensor &Bm, const Tensor &Cm,
                    const Tensor &y, const std::optional<Tensor> &Dskip = std::nullopt,
                    const std::optional<Tensor> &dt_bias = std::nullopt,
                    const std::optional<Tensor> &initial_state = std::nullopt,
                    const std::optional<Tensor> &final_state = std::nullopt, const SsdOptions &options = {});

// One decode step: x [B,H,P], dt [B,H], Bm, Cm [B,G,N], state [B,H,P,N] -> y [B,H,P],
// new_state [B,H,P,N]. state and new_state must not overlap.
SEQMIX_API void ssd_step(const Tensor &x, const Tensor &dt, const Tensor &A, const Tensor &Bm, const Tensor &Cm,
                         const Tensor &state, const Tensor &y, const Tensor &new_state,
                         const std::optional<Tensor> &Dskip = std::nullopt,
                         const std::optional<Tensor> &dt_bias = std::nullopt, const SsdOptions &options = {});

// Bidirectional SSD (Hydra): y = shift(SS_f(x)) + flip(shift(SS_b(flip(x)))) + Dskip x, where
// SS_f, SS_b are SSD without D from zero states, SS_f with (dt_f, Bm_f, Cm_f) and SS_b with
// (dt_b, Bm_b, Cm_b) indexed in flipped order (dt_b[:, s] goes with x[:, T-1-s]); shift(y)_t =
// y_{t-1}, shift(y)_0 = 0. Shapes as ssd's; A, Dskip, dt_bias and dt_softplus shared.
SEQMIX_API void ssd_bidirectional(const Tensor &x, const Tensor &dt_f, const Tensor &Bm_f, const Tensor &Cm_f,
                                  const Tensor &dt_b, const Tensor &Bm_b, const Tensor &Cm_b, const Tensor &A,
                                  const Tensor &y, const std::optional<Tensor> &Dskip = std::nullopt,
                                  const std::optional<Tensor> &dt_bias = std::nullopt,
                                  const SsdOptions &options = {});

// ---- state-space models and decode attention (MIXERS.md "State-space models", "decode attention") --
// Causal depthwise conv1d (mamba's causal_conv1d, fla's ShortConvolution), sequence-major:
//   y[b,t,d] = act(bias[d] + sum_{j<W} weight[d,j] * x[b, t-(W-1)+j, d]),  W = 2..4,
// x before t = 0 read from initial_state [B,D,W-1] (zeros if absent); final_state [B,D,W-1] gets
// the last W-1 inputs. x, y [B,T,D], weight [D,W], bias [D].
enum class Activation { identity, silu };
struct CausalConv1dOptions : CallOptions {
    Activation activation = Activation::identity;
};
SEQMIX_API void causal_conv1d(const Tensor &x, const Tensor &weight, const Tensor &y,
                              const std::optional<Tensor> &bias = std::nullopt,
                              const std::optional<Tensor> &initial_state = std::nullopt,
                              const std::optional<Tensor> &final_state = std::nullopt,
                              const CausalConv1dOptions &options = {});
// One decode token: x [B,D], state [B,D,W-1] (oldest first) -> y [B,D], new_state [B,D,W-1]
// (shifted by one, x appended). state and new_state must not overlap.
SEQMIX_API void causal_conv1d_step(const Tensor &x, const Tensor &weight, const Tensor &state, const Tensor &y,
                                   const Tensor &new_state, const std::optional<Tensor> &bias = std::nullopt,
                                   const CausalConv1dOptions &options = {});

// Mamba (S6) selective scan, channel-major as mamba_ssm's selective_scan_fn:
//   dt = softplus(delta + delta_bias) (or delta + delta_bias), h_t = exp(dt_t A) h_{t-1} + dt_t Bm_t x_t,
//   y_t = Cm_t . h_t + Dskip x_t, then y *= silu(z) when z is given.
// x, delta, z, y [B,D,T]; A [D,N]; Bm, Cm each either [D,N] (time-invariant) or [B,G,N,T]
// (selective, channel d uses group d / (D/G), D % G == 0); Dskip, delta_bias [D] (zeros if
// absent); initial_state, final_state [B,D,N] (zeros / not written if absent).
struct SelectiveScanOptions : CallOptions {
    bool delta_softplus = false;
};
SEQMIX_API void selective_scan(const Tensor &x, const Tensor &delta, const Tensor &A, const Tensor &Bm,
                               const Tensor &Cm, const Tensor &y, const std::optional<Tensor> &Dskip = std::nullopt,
                               const std::optional<Tensor> &z = std::nullopt,
                               const std::optional<Tensor> &delta_bias = std::nullopt,
                               const std::optional<Tensor> &initial_state = std::nullopt,
                               const std::optional<Tensor> &final_state = std::nullopt,
                               const SelectiveScanOptions &options = {});
// One decode token (mamba's selective_state_update): x, delta, z, y [B,D]; Bm, Cm [D,N] or
// [B,G,N]; state, new_state [B,D,N] (must not overlap).
SEQMIX_API void selective_scan_step(const Tensor &x, const Tensor &delta, const Tensor &A, const Tensor &Bm,
                                    const Tensor &Cm, const Tensor &state, const Tensor &y, const Tensor &new_state,
                                    const std::optional<Tensor> &Dskip = std::nullopt,
                                    const std::optional<Tensor> &z = std::nullopt,
                                    const std::optional<Tensor> &delta_bias = std::nullopt,
                                    const SelectiveScanOptions &options = {});

// Decode attention (split-K / flash-decoding): q [B,Tq,H,K] (Tq = 1..8 new tokens), a padded KV
// cache k [B,Lmax,Hkv,K], v [B,Lmax,Hkv,V] with lens [B] (i32, on q's device) valid entries per
// sequence, the new tokens being the last Tq of them: query i of sequence b sits at position
// lens[b] - Tq + i and sees keys l <= that position. -> o [B,Tq,H,V], lse [B,H,Tq] (optional).
// GQA: query head h reads kv head h / (H / Hkv). A query with no visible key (lens[b] < Tq)
// gets o = 0, lse = -inf. lens outside [0, Lmax] are clamped into it (device values are not read
// by the host).
struct DecodeAttentionOptions : CallOptions {
    std::optional<float> scale;  // default 1/sqrt(K)
};
SEQMIX_API void decode_attention(const Tensor &q, const Tensor &k, const Tensor &v, const Tensor &lens,
                                 const Tensor &o, const std::optional<Tensor> &lse = std::nullopt,
                                 const DecodeAttentionOptions &options = {});

// ---- structured and dense token mixing (MIXERS.md "Convolutions and structured matrices") ----
// Monarch mixer: y = P L P R x along one axis of x [B,T,C] (every other index fixed), n = C
// (channel axis) or T (sequence axis, non-causal as M2-BERT). R and L [m,m,m] are m dense m x m
// blocks (block, row, column) of block-diagonal matrices, P the [m,m] transpose permutation
// (entry k*m + i <-> i*m + k): y[l*m + i] = sum_k L[i,l,k] sum_j R[k,i,j] x[k*m + j].
// m = ceil(sqrt(n)); when n < m*m, x is padded with zeros to m*m and y keeps the first n entries.
// y [B,T,C] must not overlap x.
enum class MonarchAxis { channel, sequence };
struct MonarchOptions : CallOptions {
    MonarchAxis axis = MonarchAxis::channel;
};
SEQMIX_API void monarch(const Tensor &x, const Tensor &L, const Tensor &R, const Tensor &y,
                        const MonarchOptions &options = {});

// Dense token mixing (MLP-Mixer, TSMixer): y[b,t,c] = bias[t] + sum_s W[t,s] x[b,s,c] for x, y
// [B,T,C], W [T,T], bias [T] (zeros if absent). causal: only s <= t (W's upper triangle is not
// read). A GEMM per batch row.
struct TokenMixOptions : CallOptions {
    bool causal = false;
};
SEQMIX_API void token_mix(const Tensor &x, const Tensor &W, const Tensor &y,
                          const std::optional<Tensor> &bias = std::nullopt, const TokenMixOptions &options = {});

// ---- long convolutions: long_conv (H3, Hyena, FlashFFTConv), LMU memory ----------------------
// u, y [B,D,T]; kf [D,L] with 1 <= L <= T; Dskip [D] (zeros if absent); gate [B,D,T] multiplies
// the output when given (H3/Hyena's output gating):
//   y[b,d,t] = (sum_{s <= min(t, L-1)} kf[d,s] u[b,d,t-s] + Dskip[d] u[b,d,t]) * gate[b,d,t]
// Dispatch picks the form per shape bucket: the direct sum (short filters) or an FFT of a fixed
// length n >= T + L - 1 (long_conv@fft<n>), whose first step transforms the filter. To reuse the
// filter's spectrum across calls with the same kf and T, make it once with long_conv_filter and
// pass it as options.kf_spectrum.
struct LongConvOptions : CallOptions {
    std::optional<Tensor> kf_spectrum;  // [n/2+1, 2, D] from long_conv_filter, n = long_conv_fft_length
};
SEQMIX_API void long_conv(const Tensor &u, const Tensor &kf, const Tensor &y,
                          const std::optional<Tensor> &Dskip = std::nullopt,
                          const std::optional<Tensor> &gate = std::nullopt, const LongConvOptions &options = {});
// The FFT length n the variant dispatched for these shapes uses (0: the direct form, no spectrum).
SEQMIX_API int64_t long_conv_fft_length(int64_t B, int64_t D, int64_t T, int64_t L,
                                        const Device &device = Device::cpu(), const std::string &variant = "");
// kf_spectrum [n/2+1, 2, D] (bin, real/imaginary, channel) of kf [D,L] for long_conv at sequence
// length T and batch B (n = long_conv_fft_length(B, D, T, L, ...) > 0, else Error).
SEQMIX_API void long_conv_filter(const Tensor &kf, int64_t B, int64_t T, const Tensor &kf_spectrum,
                                 const CallOptions &options = {});

// LMU memory of order d over a window of theta steps: u [B,T,C] -> m [B,T,C,d],
// m_t = Abar m_{t-1} + Bbar u_t (the Legendre system discretised by zero-order hold, dt = 1);
// initial_state / final_state [B,C,d] (zeros / not written if absent). `lmu` is the parallel form
// (a long convolution with the impulse response Abar^t Bbar), `lmu_step` one token:
// u [B,C], state, new_state [B,C,d] (new_state = m of that token).
struct LmuOptions : CallOptions {
    double theta = 0;  // the window in steps; > 0
};
SEQMIX_API void lmu(const Tensor &u, const Tensor &m, const std::optional<Tensor> &initial_state = std::nullopt,
                    const std::optional<Tensor> &final_state = std::nullopt, const LmuOptions &options = {});
SEQMIX_API void lmu_step(const Tensor &u, const Tensor &state, const Tensor &new_state, const LmuOptions &options = {});

// ---- nonlinear RNNs (MIXERS.md "Nonlinear RNNs") -------------------------------------------------
// LSTM with head-wise block-diagonal recurrence (FlashRNN; H = 1 is the classic LSTM):
//   (i, f, z, o) = G_t + h_{t-1} R + bias,  c_t = sig(f) c_{t-1} + sig(i) tanh(z),  h_t = sig(o) tanh(c_t)
// per head. G [B,T,H,4*Hd] are the precomputed input projections, gates in the order (i, f, z, o)
// (gate g of unit j at g*Hd + j); R [H,Hd,4*Hd]; bias [H,4*Hd] (zeros if absent); y [B,T,H,Hd]
// gets every h_t; initial_h, initial_c [B,H,Hd] (zeros if absent), final_h, final_c [B,H,Hd]
// (not written if absent). Sequential over T: one kernel per token (its GEMM over B and heads).
struct RnnOptions : CallOptions {};
SEQMIX_API void lstm(const Tensor &G, const Tensor &R, const Tensor &y, const std::optional<Tensor> &bias = std::nullopt,
                     const std::optional<Tensor> &initial_h = std::nullopt,
                     const std::optional<Tensor> &initial_c = std::nullopt,
                     const std::optional<Tensor> &final_h = std::nullopt,
                     const std::optional<Tensor> &final_c = std::nullopt, const RnnOptions &options = {});
// One token: G [B,H,4*Hd], states h, c [B,H,Hd] -> h_out, c_out [B,H,Hd] (no overlaps).
SEQMIX_API void lstm_step(const Tensor &G, const Tensor &R, const Tensor &h, const Tensor &c, const Tensor &h_out,
                          const Tensor &c_out, const std::optional<Tensor> &bias = std::nullopt,
                          const RnnOptions &options = {});
// GRU, PyTorch/cuDNN convention, head-wise: G [B,T,H,3*Hd] gates (r, u, n) with the input bias
// folded in, R [H,Hd,3*Hd], bias = the recurrent bias bh [H,3*Hd] (zeros if absent):
//   r = sig(G_r + h R_r + bh_r), u = sig(G_u + h R_u + bh_u), n = tanh(G_n + r * (h R_n + bh_n)),
//   h_t = (1 - u) * n + u * h_{t-1}.   y [B,T,H,Hd]; initial_h, final_h [B,H,Hd].
SEQMIX_API void gru(const Tensor &G, const Tensor &R, const Tensor &y, const std::optional<Tensor> &bias = std::nullopt,
                    const std::optional<Tensor> &initial_h = std::nullopt,
                    const std::optional<Tensor> &final_h = std::nullopt, const RnnOptions &options = {});
SEQMIX_API void gru_step(const Tensor &G, const Tensor &R, const Tensor &h, const Tensor &h_out,
                         const std::optional<Tensor> &bias = std::nullopt, const RnnOptions &options = {});

// ParaRNN: a GRU or LSTM cell with DIAGONAL recurrent weights Rd [H,Hd,ng] (ng = 3 for GRU,
// 4 for LSTM; gate g of unit j reads Rd[h,j,g] * h_{t-1}[j] where the dense cells read h R),
// solved for all steps at once by Newton's method: each iteration a linear recurrence solved by
// a chunked parallel scan, from h = c = 0, until max|update| < tol or max_iters; or, where the
// shape bucket says it is faster (measured), by the sequential scan (one "iteration"). Cells
// as above: G [B,T,H,ng*Hd]; bias [H,ng*Hd] (GRU: bh; LSTM: added to G); y [B,T,H,Hd];
// initial_c / final_c only for the LSTM. options.variant "<target>/newton" forces the Newton form.
enum class RnnCell { gru, lstm };
struct ParaRnnOptions : CallOptions {
    RnnCell cell = RnnCell::gru;
    int max_iters = 100;  // Newton iterations at most (one more may run to land the result in y)
    float tol = 1e-5f;    // stop when max |h_next - h| (and |c_next - c|) < tol
};
struct ParaRnnInfo {
    int iterations = 0;        // kernel calls (1 for the sequential form)
    float max_update = 0.0f;   // max |d| of the last iteration
    bool converged = false;    // max_update < tol (always true for the sequential form)
};
SEQMIX_API ParaRnnInfo pararnn(const Tensor &G, const Tensor &Rd, const Tensor &y,
                               const std::optional<Tensor> &bias = std::nullopt,
                               const std::optional<Tensor> &initial_h = std::nullopt,
                               const std::optional<Tensor> &initial_c = std::nullopt,
                               const std::optional<Tensor> &final_h = std::nullopt,
                               const std::optional<Tensor> &final_c = std::nullopt,
                               const ParaRnnOptions &options = {});

// ---- introspection ---------------------------------------------------------------------------
// One built AOT variant: seqmix_<mixer>_<target>_<bucket>.
struct VariantInfo {
    std::string mixer;      // "gla"
    std::string target;     // target dir: "x86-64-avx512", "x86-64-avx2", "x86-64", "cuda-sm90", "cuda-sm80"
    std::string bucket;     // "default" or the bucket name
    std::string condition;  // the bucket's `when` condition ("" for default)
    std::string symbol;     // the AOT entry point
    bool runnable = false;  // this host can run it (CPU features / CUDA device present)
    // Built but never picked by dispatch: runs only when options.variant names it (the
    // autoscheduler baselines; a schedule file that says `explicit`).
    bool explicit_only = false;
};
SEQMIX_API std::vector<VariantInfo> variants();

// The variant the last call on this thread ran, as "<target>/<bucket>", e.g. "x86-64-avx512/long".
SEQMIX_API std::string last_variant();

// Whether this process can run CUDA variants (driver present, a device visible).
SEQMIX_API bool cuda_available();

SEQMIX_API const char *version();

// ---- host memory -----------------------------------------------------------------------------
// CPU kernels allocate their intermediate stages (megabytes each at long T) at every call. Blocks
// of 1 MiB or more are kept after a call for the next one with (nearly) the same sizes, instead
// of going back to the OS and being page-faulted in again, up to a limit on the idle bytes:
// SEQMIX_HOST_CACHE_MB in the environment (read once, at the first CPU kernel's allocation or the
// first call of the functions below, whichever comes first), else 1 GiB; 0 disables it.
struct HostCacheStats {
    size_t limit = 0;          // bytes the cache may hold idle
    size_t cached_bytes = 0;   // idle bytes held now
    size_t cached_blocks = 0;
    size_t hits = 0;           // requests served from the cache (since the process started)
    size_t misses = 0;         // cacheable requests that went to the system allocator
};
SEQMIX_API HostCacheStats host_cache_stats();
// Sets the limit; idle blocks over it are released at once (0 releases every one).
SEQMIX_API void set_host_cache_limit(size_t bytes);
// Releases every idle block; the limit stays.
SEQMIX_API void empty_host_cache();

}  // namespace seqmix
