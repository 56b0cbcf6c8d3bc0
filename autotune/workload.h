// A workload is (mixer, shape): what a candidate computes and how the runner calls it. One Kernel
// per mixer knows the mixer's AOT calling convention (runtime/src/kernel_types.h), draws its
// random inputs, computes the float64 reference (tests/reference/, linked, not copied) and
// compares outputs. Only raw halide_buffer_t is used: the runner links no Halide library, so it
// stays small enough for a GPU bundle.
#pragma once

#include <HalideRuntime.h>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace seqmix::tune {

// Shape symbols as the schedule language names them (B T S H K V ...).
using Shape = std::map<std::string, int64_t>;

// "NAME=VALUE,..." with positive integer values (an option's argument: --shape, --fix); throws
// std::invalid_argument naming `option` and the bad part, with `example` as the form to follow.
std::map<std::string, int64_t> parse_assignments(const std::string &text, const std::string &option,
                                                 const std::string &example);
// "B=4,T=4096,H=16,K=64,V=64" -> Shape.
Shape parse_shape(const std::string &text);
// Readable key, fla's style: B4_T4096_H16_K64_V64 (symbols in the order B T S H K V, then the rest).
std::string shape_key(const Shape &shape);

// A float32 tensor with its halide_buffer_t (dims innermost first: [B,T,H,K] is (K, H, T, B)).
struct Tensor {
    std::vector<float> data;
    std::vector<int64_t> shape;  // row-major, outermost first
    halide_buffer_t buf{};
    std::vector<halide_dimension_t> dims;
    explicit Tensor(std::vector<int64_t> shape_rm);
    Tensor(const Tensor &) = delete;
    Tensor &operator=(const Tensor &) = delete;
};

struct ErrorStats {
    double rel_rms = 0, max_abs = 0, tol_rel_rms = 0;
    int64_t nonfinite = 0;  // elements whose finiteness disagrees with the reference
    bool ok() const { return nonfinite == 0 && rel_rms <= tol_rel_rms; }
};

class Kernel {
public:
    virtual ~Kernel() = default;
    // The AOT entry point's calling convention; `fn` is the dlsym'ed function.
    virtual int call(void *fn, const void *user_context) = 0;
    // The float64 reference of every output, in outputs() order.
    virtual std::vector<std::vector<double>> reference() const = 0;
    std::vector<Tensor *> inputs() { return raw(inputs_); }
    std::vector<Tensor *> outputs() { return raw(outputs_); }
    const std::vector<std::string> &output_names() const { return output_names_; }
    // Worst output against `ref` (the tolerance grows with the longest reduction, as in tests/).
    std::vector<ErrorStats> check(const std::vector<std::vector<double>> &ref);
    // Floating-point operations of one call (the math's count, for GFLOP/s in reports).
    double flops = 0;

protected:
    Tensor &add_input(std::vector<int64_t> shape_rm);
    Tensor &add_output(const std::string &name, std::vector<int64_t> shape_rm);
    double base_tol_ = 5e-5;   // rel-RMS at n <= 64 (tests/support/metrics.h, fp32_tolerance)
    int64_t reduction_ = 64;   // the longest accumulation (S keys, T tokens of state)

private:
    static std::vector<Tensor *> raw(std::vector<std::unique_ptr<Tensor>> &v);
    std::vector<std::unique_ptr<Tensor>> inputs_, outputs_;
    std::vector<std::string> output_names_;
};

// The kernels of the mixers seqmix-tune knows; throws std::invalid_argument for another name or
// a shape that lacks a symbol the mixer needs.
std::unique_ptr<Kernel> make_kernel(const std::string &mixer, const Shape &shape, uint64_t seed);
std::vector<std::string> tunable_mixers();

}  // namespace seqmix::tune
