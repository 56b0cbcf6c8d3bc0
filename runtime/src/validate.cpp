#include "validate.h"

#include <algorithm>

#include <fmt/format.h>

#include "cuda_driver.h"

namespace seqmix::detail {

std::string to_string(DType t) {
    switch (t) {
    case DType::f32: return "f32";
    case DType::f16: return "f16";
    case DType::bf16: return "bf16";
    case DType::f64: return "f64";
    case DType::i32: return "i32";
    case DType::i64: return "i64";
    }
    return "unknown";
}

std::string to_string(const Device &d) {
    return d.type == DeviceType::cpu ? "cpu" : fmt::format("cuda:{}", d.index);
}

std::string shape_string(const std::vector<int64_t> &shape) {
    return fmt::format("[{}]", fmt::join(shape, ","));
}

void Checker::fail(const std::string &msg) const {
    throw Error(fmt::format("{}: {}", fn_, msg));
}

void Checker::optional_tensor(const char *name, const std::optional<Tensor> &t, std::vector<std::string> layout,
                              bool is_output) {
    if (t) tensor(name, *t, std::move(layout), is_output);
}

void Checker::tensor(const char *name, const Tensor &t, std::vector<std::string> layout, bool is_output, DType dtype) {
    const std::string layout_str = fmt::format("[{}]", fmt::join(layout, ","));
    if (t.data == nullptr) fail(fmt::format("{} is null", name));
    if (t.rank() != static_cast<int>(layout.size())) {
        fail(fmt::format("{} has rank {}, expected {} ({})", name, t.rank(), layout.size(), layout_str));
    }
    if (t.strides.size() != t.shape.size()) {
        fail(fmt::format("{} has {} strides for {} dimensions", name, t.strides.size(), t.shape.size()));
    }
    if (t.dtype != dtype) {
        fail(fmt::format("{} has dtype {}, expected {}", name, to_string(t.dtype), to_string(dtype)));
    }

    // Device: all tensors of a call live on one device.
    if (seen_.empty()) {
        device_ = t.device;
    } else if (t.device.type != device_.type || (t.device.type == DeviceType::cuda && t.device.index != device_.index)) {
        fail(fmt::format("{} is on {} but {} is on {}", name, to_string(t.device), seen_.front().name,
                         to_string(device_)));
    }
    if (t.device.type == DeviceType::cuda) {
#ifndef SEQMIX_HAS_CUDA
        fail(fmt::format("{} is on {}, but this libseqmix was built without CUDA (SEQMIX_CUDA=OFF)", name,
                         to_string(t.device)));
#else
        if (!cuda::available()) {
            fail(fmt::format("{} is on {}, but CUDA is not usable here: {}", name, to_string(t.device),
                             cuda::last_error()));
        }
        if (t.device.index < 0 || t.device.index >= cuda::device_count()) {
            fail(fmt::format("{} is on {}, but this host has {} CUDA device(s)", name, to_string(t.device),
                             cuda::device_count()));
        }
        if (!cuda::is_device_pointer(t.data)) {
            fail(fmt::format("{} is marked {} but its pointer is not CUDA device memory", name, to_string(t.device)));
        }
#endif
    }

    // Shape: bind or compare each symbol.
    for (size_t i = 0; i < layout.size(); i++) {
        if (t.shape[i] < 1) {
            fail(fmt::format("{} has shape {}: {} must be >= 1", name, shape_string(t.shape), layout[i]));
        }
        auto it = symbols_.find(layout[i]);
        if (it == symbols_.end()) {
            symbols_[layout[i]] = {t.shape[i], name};
            values_[layout[i]] = t.shape[i];
        } else if (it->second.value != t.shape[i]) {
            std::vector<std::string> expected;
            for (size_t j = 0; j < layout.size(); j++) {
                auto b = symbols_.find(layout[j]);
                expected.push_back(j == i || b == symbols_.end() ? layout[j] : std::to_string(b->second.value));
            }
            fail(fmt::format("{} has shape {}, expected [{}] with {} == {}'s {}", name, shape_string(t.shape),
                             fmt::join(expected, ","), layout[i], it->second.by, it->second.value));
        }
    }

    // Strides: the last dimension contiguous, the others positive (no hidden copies).
    if (t.strides.back() != 1) {
        fail(fmt::format("{} has stride {} in its last dimension, expected 1 (contiguous)", name, t.strides.back()));
    }
    for (size_t i = 0; i + 1 < t.strides.size(); i++) {
        if (t.strides[i] < 1) {
            fail(fmt::format("{} has stride {} in dimension {} ({}), expected a positive stride", name, t.strides[i], i,
                             layout[i]));
        }
    }
    // Halide indexes with 32-bit offsets.
    int64_t span = 1;
    for (size_t i = 0; i < t.shape.size(); i++) span += (t.shape[i] - 1) * t.strides[i];
    if (span > INT32_MAX) {
        fail(fmt::format("{} spans {} elements, more than the 2^31 - 1 a kernel can address", name, span));
    }
    seen_.push_back({name, &t, is_output});
}

namespace {
struct Range {
    uintptr_t lo, hi;  // bytes [lo, hi)
};
Range byte_range(const Tensor &t) {
    int64_t last = 0;
    for (size_t i = 0; i < t.shape.size(); i++) last += (t.shape[i] - 1) * t.strides[i];
    auto base = reinterpret_cast<uintptr_t>(t.data);
    return {base, base + static_cast<uintptr_t>(last + 1) * 4};  // f32 and i32 alike
}
}  // namespace

void Checker::no_overlap() const {
    // Output against input first: that is the mistake to name when a buffer overlaps both.
    for (bool against_outputs : {false, true}) {
        for (size_t i = 0; i < seen_.size(); i++) {
            if (!seen_[i].is_output) continue;
            Range a = byte_range(*seen_[i].t);
            for (size_t j = 0; j < seen_.size(); j++) {
                if (i == j || seen_[j].is_output != against_outputs || (against_outputs && j < i)) continue;
                Range b = byte_range(*seen_[j].t);
                if (a.lo < b.hi && b.lo < a.hi) fail(fmt::format("{} overlaps {}", seen_[i].name, seen_[j].name));
            }
        }
    }
}

}  // namespace seqmix::detail
