// Scratch tensors a call owns for its duration (the LSTM cell state between steps, ParaRNN's
// Newton iterates): host memory, or device memory released when the call ends.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include <optional>

#include "buffers.h"
#include "seqmix/seqmix.h"

namespace seqmix::detail {

class Scratch {
public:
    // A contiguous f32 tensor of `shape` on `device`, uninitialised (every user writes it before
    // reading it); throws Error naming `fn` if it cannot be allocated. CUDA scratch is ordered on
    // `stream` (the call's), allocation and release both.
    Scratch(const char *fn, std::vector<int64_t> shape, const Device &device, void *stream);
    ~Scratch();
    Scratch(const Scratch &) = delete;
    Scratch &operator=(const Scratch &) = delete;
    const Tensor &tensor() const { return t_; }

private:
    std::unique_ptr<float[]> host_;
    Tensor t_;
    void *stream_ = nullptr;
};

// The view of x at index `index` of dimension `dim`, that dimension removed (a token of a
// [B,T,...] tensor: select(x, 1, t)).
Tensor select(const Tensor &x, int dim, int64_t index);

// An optional input as a kernel buffer, or zeros of `shape` when absent (emplaced: a
// KernelBuffer does not move).
void input_or_zeros(std::optional<KernelBuffer> &b, const std::optional<Tensor> &t, const std::vector<int64_t> &shape,
                    const Device &device, CallContext &ctx);

}  // namespace seqmix::detail
