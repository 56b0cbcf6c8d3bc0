// float64 references for the nonlinear RNNs (MIXERS.md, "Nonlinear RNNs"), the sequential cells
// line by line: head-wise LSTM (gates i, f, z, o) and GRU (r, u, n; PyTorch convention).
// ParaRNN's diagonal cells are these cells with a diagonal R (diagonal_to_dense).
// Layouts row-major as the API's: G [B,T,H,ng*Hd], R [H,Hd,ng*Hd], bias [H,ng*Hd] (empty: zeros),
// states [B,H,Hd] (empty: zeros), y [B,T,H,Hd].
#pragma once

#include <cstdint>
#include <vector>

namespace seqmix::ref {

struct RnnResult {
    std::vector<double> y;        // [B,T,H,Hd]
    std::vector<double> final_h;  // [B,H,Hd]
    std::vector<double> final_c;  // [B,H,Hd] (LSTM)
};

RnnResult lstm_ref(const std::vector<double> &G, const std::vector<double> &R, const std::vector<double> &bias,
                   const std::vector<double> &h0, const std::vector<double> &c0, int64_t B, int64_t T, int64_t H,
                   int64_t Hd);

RnnResult gru_ref(const std::vector<double> &G, const std::vector<double> &R, const std::vector<double> &bh,
                  const std::vector<double> &h0, int64_t B, int64_t T, int64_t H, int64_t Hd);

// Rd [H,Hd,ng] -> the dense [H,Hd,ng*Hd] with R[h][k][g*Hd + j] = (k == j) * Rd[h][j][g].
std::vector<double> diagonal_to_dense(const std::vector<double> &Rd, int64_t H, int64_t Hd, int64_t ng);

}  // namespace seqmix::ref
