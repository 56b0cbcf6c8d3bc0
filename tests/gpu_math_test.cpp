// generators/common/gpu_math.h: `exp_approx` turns the exps of CUDA kernels, and only those, into
// the SFU's ex2.approx. Compiled here for a CUDA target (no GPU needed): the PTX embedded in the
// object shows which exp each kernel got.
#include "common/gpu_math.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

namespace {

using namespace Halide;

// Host stage h = exp(in) (x86 code), then the CUDA kernel f = exp(h); returns the kernel's PTX.
std::string ptx_of(bool approx) {
    ImageParam in(Float(32), 1, "in");
    Var x("x"), xo("xo"), xi("xi");
    Func h("h"), f("f");
    h(x) = exp(in(x));
    f(x) = exp(h(x)) * 2.0f;
    h.compute_root();
    f.gpu_tile(x, xo, xi, 64);
    Pipeline p(f);
    if (approx) p.add_custom_lowering_pass(new seqmix::ExpToEx2Approx);
    const std::string name = "gpu_math_test_" + std::to_string(approx) + ".o";
    const std::string obj = (std::filesystem::temp_directory_path() / name).string();
    p.compile_to_object(obj, {in}, "f", Target("x86-64-linux-cuda-cuda_capability_86"));
    std::ifstream file(obj, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
    std::filesystem::remove(obj);
    const size_t begin = bytes.find(".version");
    if (begin == std::string::npos) return "";
    return bytes.substr(begin, bytes.find('\0', begin) - begin);
}

size_t count(const std::string &text, const std::string &what) {
    size_t n = 0;
    for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
    return n;
}

TEST(ExpToEx2Approx, KernelExpsBecomeEx2AndHostCodeCompiles) {
    const std::string ptx = ptx_of(true);
    ASSERT_FALSE(ptx.empty());
    EXPECT_EQ(count(ptx, "ex2.approx.f32"), 1u);  // f's one exp; h's is host code
    // Halide's own expansion subtracts multiples of ln(2) split in two: -0.693145752 is BF317200.
    EXPECT_EQ(count(ptx, "BF317200"), 0u);
}

TEST(ExpToEx2Approx, WithoutThePassKernelsKeepHalidesExp) {
    const std::string ptx = ptx_of(false);
    ASSERT_FALSE(ptx.empty());
    EXPECT_EQ(count(ptx, "ex2.approx"), 0u);
    EXPECT_EQ(count(ptx, "BF317200"), 1u);
}

}  // namespace
