// seqmix::long_conv, long_conv_filter, long_conv_fft_length: validation and dispatch for the
// `long_conv` and `long_conv_filter` generators. An FFT bucket is named fft<n> (its schedule's
// `param n`, schedules/tools/fft_schedules.py); its spectrum comes from the long_conv_filter
// variant of the same target and bucket, which the runtime names (it is `explicit`).
#include <fmt/format.h>

#include <string>

#include "buffers.h"
#include "call.h"
#include "kernel_array.h"
#include "long_conv_plan.h"

namespace seqmix {
namespace detail {

int64_t fft_length_of(const VariantEntry &e) {
    const std::string bucket = e.bucket;
    if (bucket.rfind("fft", 0) != 0) return 0;
    return std::stoll(bucket.substr(3));
}

const VariantEntry &filter_variant(const char *fn, const VariantEntry &conv, const Device &device,
                                   const std::map<std::string, int64_t> &dims) {
    return select_variant(fn, "long_conv_filter", device, dims, std::string(conv.target) + "/" + conv.bucket);
}

void run_entry(const VariantEntry &e, CallContext &ctx, int status) {
    set_last_variant(e);
    check_status(status, ctx, e.symbol);
}

}  // namespace detail

namespace {

void check_filter_length(const detail::Checker &c) {
    if (c.dim("L") > c.dim("T")) {
        c.fail(fmt::format("kf has length L = {}, expected L <= T = {}", c.dim("L"), c.dim("T")));
    }
}

// A spectrum tensor [n/2+1, 2, D] for FFT length n.
void check_spectrum(const detail::Checker &c, const char *name, int64_t n) {
    if (c.dim("F") != n / 2 + 1 || c.dim("RI") != 2) {
        c.fail(fmt::format("{} has shape [{},{},{}], expected [{},2,{}] (n/2+1 bins of the FFT length n = {}, "
                           "real and imaginary parts, D channels)",
                           name, c.dim("F"), c.dim("RI"), c.dim("D"), n / 2 + 1, c.dim("D"), n));
    }
}

detail::CallContext context(const char *fn, const Device &device, const CallOptions &options) {
    detail::install_halide_hooks();
    detail::CallContext ctx;
    ctx.fn = fn;
    ctx.stream = options.stream;
    ctx.device = device.index;
    return ctx;
}

}  // namespace

void long_conv(const Tensor &u, const Tensor &kf, const Tensor &y, const std::optional<Tensor> &Dskip,
               const std::optional<Tensor> &gate, const LongConvOptions &options) {
    const char *fn = "seqmix::long_conv";
    detail::Checker c(fn);
    c.tensor("u", u, {"B", "D", "T"});
    c.tensor("kf", kf, {"D", "L"});
    check_filter_length(c);
    c.optional_tensor("Dskip", Dskip, {"D"});
    c.optional_tensor("gate", gate, {"B", "D", "T"});
    c.optional_tensor("kf_spectrum", options.kf_spectrum, {"F", "RI", "D"});
    c.tensor("y", y, {"B", "D", "T"}, true);
    c.no_overlap();

    detail::CallContext ctx = context(fn, c.device(), options);
    detail::ScopedFlushDenormals ftz;
    const detail::VariantEntry &e = detail::select_variant(fn, "long_conv", c.device(), c.dims(), options.variant);
    const int64_t n = detail::fft_length_of(e);
    if (options.kf_spectrum && n > 0) check_spectrum(c, "options.kf_spectrum", n);
    if (options.kf_spectrum && n == 0) {
        c.fail(fmt::format("options.kf_spectrum is given but variant {}/{} is the direct form (no spectrum): "
                           "long_conv_fft_length() is 0 for these shapes",
                           e.target, e.bucket));
    }
    detail::KernelBuffer bu(u, ctx, true), bk(kf, ctx, true), by(y, ctx, false);
    std::optional<detail::KernelBuffer> bd, bg, bs;
    std::optional<detail::KernelArray> spectrum;
    const std::vector<int64_t> spec_shape{n > 0 ? n / 2 + 1 : 1, 2, c.dim("D")};
    if (options.kf_spectrum) {
        bs.emplace(*options.kf_spectrum, ctx, true);
    } else {
        spectrum.emplace(spec_shape, c.device(), ctx);
        if (n > 0) {
            const detail::VariantEntry &f = detail::filter_variant(fn, e, c.device(), c.dims());
            detail::run_entry(f, ctx, detail::entry_point<detail::long_conv_filter_fn>(f)(&ctx, bk.get(), spectrum->get()));
        }
    }
    if (Dskip) {
        bd.emplace(*Dskip, ctx, true);
    } else {
        bd.emplace(std::vector<int64_t>{c.dim("D")}, c.device(), ctx, true);
    }
    if (gate) {
        bg.emplace(*gate, ctx, true);
    } else {
        bg.emplace(std::vector<int64_t>{c.dim("B"), c.dim("D"), c.dim("T")}, c.device(), ctx, true);
    }
    halide_buffer_t *spec = bs ? bs->get() : spectrum->get();
    detail::run_entry(e, ctx,
                      detail::entry_point<detail::long_conv_fn>(e)(&ctx, bu.get(), bk.get(), spec, bd->get(), bg->get(),
                                                                   gate ? 1 : 0, by.get()));
}

int64_t long_conv_fft_length(int64_t B, int64_t D, int64_t T, int64_t L, const Device &device,
                             const std::string &variant) {
    const std::map<std::string, int64_t> dims{{"B", B}, {"D", D}, {"T", T}, {"L", L}};
    return detail::fft_length_of(detail::select_variant("seqmix::long_conv_fft_length", "long_conv", device, dims, variant));
}

void long_conv_filter(const Tensor &kf, int64_t B, int64_t T, const Tensor &kf_spectrum, const CallOptions &options) {
    const char *fn = "seqmix::long_conv_filter";
    detail::Checker c(fn);
    c.tensor("kf", kf, {"D", "L"});
    if (T < c.dim("L")) c.fail(fmt::format("T = {}, expected T >= kf's length L = {}", T, c.dim("L")));
    if (B < 1) c.fail(fmt::format("B = {}, expected B >= 1", B));
    c.tensor("kf_spectrum", kf_spectrum, {"F", "RI", "D"}, true);
    c.no_overlap();
    std::map<std::string, int64_t> dims = c.dims();
    dims["T"] = T;
    dims["B"] = B;
    const detail::VariantEntry &e = detail::select_variant(fn, "long_conv", c.device(), dims, options.variant);
    const int64_t n = detail::fft_length_of(e);
    if (n == 0) {
        c.fail(fmt::format("variant {}/{} for T = {}, L = {} is the direct form: it has no spectrum", e.target,
                           e.bucket, T, c.dim("L")));
    }
    check_spectrum(c, "kf_spectrum", n);
    detail::CallContext ctx = context(fn, c.device(), options);
    detail::ScopedFlushDenormals ftz;
    detail::KernelBuffer bk(kf, ctx, true), bs(kf_spectrum, ctx, false);
    const detail::VariantEntry &f = detail::filter_variant(fn, e, c.device(), dims);
    detail::run_entry(f, ctx, detail::entry_point<detail::long_conv_filter_fn>(f)(&ctx, bk.get(), bs.get()));
}

}  // namespace seqmix
