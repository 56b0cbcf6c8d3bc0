// Argument validation, in one place per argument kind. Every message names the function, the
// argument, the expected and the actual value, e.g.
//   seqmix::gla: k has shape [1,63,4,64], expected [1,63,4,K] with K == q's 128
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "seqmix/seqmix.h"

namespace seqmix::detail {

std::string to_string(DType t);
std::string to_string(const Device &d);
std::string shape_string(const std::vector<int64_t> &shape);

class Checker {
public:
    explicit Checker(const char *fn) : fn_(fn) {}

    // A tensor of the given layout, e.g. {"B", "T", "H", "K"}: of `dtype` (f32 unless said, e.g.
    // decode_attention's i32 lens), non-null, last dimension contiguous, positive strides, on the
    // same device as the first tensor checked. Symbols bind on first use; later tensors must agree.
    void tensor(const char *name, const Tensor &t, std::vector<std::string> layout, bool is_output = false,
                DType dtype = DType::f32);
    void optional_tensor(const char *name, const std::optional<Tensor> &t, std::vector<std::string> layout,
                         bool is_output = false);

    // A symbol the kernel sees that no checked shape names, for bucket conditions (a
    // time-invariant Bm [D,N] reaches selective_scan as G_Bm = D groups); a bound one is kept.
    void bind(const std::string &symbol, int64_t value, const std::string &by) {
        symbols_.emplace(symbol, Bound{value, by});
        values_.emplace(symbol, value);
    }
    int64_t dim(const std::string &symbol) const { return symbols_.at(symbol).value; }
    const std::map<std::string, int64_t> &dims() const { return values_; }
    const Device &device() const { return device_; }

    [[noreturn]] void fail(const std::string &msg) const;
    // Called once every tensor is checked: outputs overlapping any other tensor.
    void no_overlap() const;

private:
    struct Bound {
        int64_t value;
        std::string by;
    };
    struct Seen {
        std::string name;
        const Tensor *t;
        bool is_output;
    };
    const char *fn_;
    std::map<std::string, Bound> symbols_;
    std::map<std::string, int64_t> values_;
    std::vector<Seen> seen_;
    Device device_;
};

}  // namespace seqmix::detail
