// seqmix-bench: CPU peers measured in the same run. gla_recurrent is the token-by-token GLA
// loop that ggml's gated linear attention op runs (state update, then read-out, per token),
// in plain C++ vectorised by the compiler, heads spread over all cores.
#pragma once

#include <cstdint>

namespace seqmix::bench {

// q, k, g [B,T,H,K], v [B,T,H,V] -> o [B,T,H,V]; state_in [B,H,K,V] (nullptr: zeros),
// state_out [B,H,K,V] (nullptr: not written). S_t = Diag(exp(g_t)) S_{t-1} + k_t v_t^T,
// o_t = scale * S_t^T q_t.
void gla_recurrent(const float *q, const float *k, const float *v, const float *g, const float *state_in,
                   float *state_out, float *o, int64_t B, int64_t T, int64_t H, int64_t K, int64_t V, float scale,
                   int threads);

// The oneDNN-class LSTM (H = 1, peers_rnn.cpp): per token an OpenBLAS sgemm of h_{t-1} [B,Hd]
// by R [Hd,4*Hd], then the cell. G [B,T,4*Hd], bias [4*Hd] -> y [B,T,Hd], from zero states.
void lstm_gemm(const float *G, const float *R, const float *bias, float *y, int64_t B, int64_t T, int64_t Hd);

}  // namespace seqmix::bench
