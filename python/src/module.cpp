// seqmix._seqmix: the Python binding of the C++ runtime (seqmix/seqmix.h), nothing more.
//
// Every seqmix function is bound from its function pointer alone (def_op below): each
// `const Tensor &` parameter becomes an nb::ndarray (any framework that speaks DLPack or the
// buffer protocol, CPU or CUDA, viewed in place: no copies), each `const std::optional<Tensor> &`
// an ndarray or None, an int64_t a Python int, and the options struct its bound class; a returned
// struct (pararnn's ParaRnnInfo) its bound class. Names, output shapes and allocation live in the
// Python table (seqmix/_table.py); adding an op here is one def_op line.
#include <nanobind/nanobind.h>
#include <nanobind/ndarray.h>
#include <nanobind/stl/optional.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/vector.h>

#include <seqmix/seqmix.h>

#include "cuda_memory.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <new>
#include <cstdint>
#include <optional>
#include <tuple>
#include <utility>

namespace nb = nanobind;
using seqmix::Tensor;

namespace {

// Inputs may be read-only (JAX exports them so); the Python layer checks that outputs are writable.
using Array = nb::ndarray<nb::ro>;

seqmix::DType to_dtype(nb::dlpack::dtype d) {
    using nb::dlpack::dtype_code;
    const auto code = static_cast<dtype_code>(d.code);
    if (d.lanes == 1) {
        if (code == dtype_code::Float && d.bits == 32) return seqmix::DType::f32;
        if (code == dtype_code::Float && d.bits == 16) return seqmix::DType::f16;
        if (code == dtype_code::Float && d.bits == 64) return seqmix::DType::f64;
        if (code == dtype_code::Bfloat && d.bits == 16) return seqmix::DType::bf16;
        if (code == dtype_code::Int && d.bits == 32) return seqmix::DType::i32;
        if (code == dtype_code::Int && d.bits == 64) return seqmix::DType::i64;
    }
    throw seqmix::Error("seqmix: unsupported array dtype (DLPack code " + std::to_string(d.code) + ", " +
                        std::to_string(d.bits) + " bits, " + std::to_string(d.lanes) + " lanes)");
}

// A size-1 dimension is never stepped over, so its stride means nothing; frameworks report 0
// (numpy broadcasts) or anything. Normalising it to 1 keeps the runtime's stride rule about the
// strides that address memory.
void normalise_strides(Tensor &t) {
    for (size_t i = 0; i < t.shape.size(); i++) {
        if (t.shape[i] == 1) t.strides[i] = 1;
    }
}

Tensor to_tensor(const Array &a) {
    Tensor t;
    t.data = const_cast<void *>(a.data());
    t.dtype = to_dtype(a.dtype());
    t.shape.assign(a.shape_ptr(), a.shape_ptr() + a.ndim());
    t.strides.assign(a.stride_ptr(), a.stride_ptr() + a.ndim());
    normalise_strides(t);
    if (a.device_type() == nb::device::cuda::value) {
        t.device = seqmix::Device::cuda(a.device_id());
    } else if (a.device_type() != nb::device::cpu::value) {
        throw seqmix::Error("seqmix: arrays must be on the CPU or a CUDA device (DLPack device type " +
                            std::to_string(a.device_type()) + ")");
    }
    return t;
}

seqmix::DType buffer_dtype(const Py_buffer &b) {
    const char *f = b.format ? b.format : "B";
    if (*f == '<' || *f == '=' || *f == '@') f++;
    const std::string format(f);
    if (format == "f") return seqmix::DType::f32;
    if (format == "d") return seqmix::DType::f64;
    if (format == "e") return seqmix::DType::f16;
    if (format == "i" || (format == "l" && b.itemsize == 4)) return seqmix::DType::i32;
    if (format == "q" || (format == "l" && b.itemsize == 8)) return seqmix::DType::i64;
    throw seqmix::Error("seqmix: unsupported array dtype (buffer format '" + format + "')");
}

// One array argument viewed for the length of a call: by the buffer protocol where the object has
// it (numpy: a C-level struct read, ~10x cheaper than a DLPack capsule), else by DLPack through
// nb::ndarray (torch, JAX on GPU, CuPy). Nothing is copied either way.
class View {
public:
    View() = default;
    View(const View &) = delete;
    View &operator=(const View &) = delete;
    ~View() {
        if (has_buffer_) PyBuffer_Release(&buffer_);
    }

    Tensor view(nb::handle h) {
        if (PyObject_CheckBuffer(h.ptr()) && PyObject_GetBuffer(h.ptr(), &buffer_, PyBUF_RECORDS_RO) == 0) {
            has_buffer_ = true;
            Tensor t;
            t.data = buffer_.buf;
            t.dtype = buffer_dtype(buffer_);
            t.shape.assign(buffer_.shape, buffer_.shape + buffer_.ndim);
            t.strides.resize(buffer_.ndim);
            for (int i = 0; i < buffer_.ndim; i++) {
                if (buffer_.strides[i] % buffer_.itemsize != 0) {
                    throw seqmix::Error("seqmix: an array has a stride that is not a multiple of its item size");
                }
                t.strides[i] = buffer_.strides[i] / buffer_.itemsize;
            }
            normalise_strides(t);
            return t;
        }
        PyErr_Clear();
        if (!nb::try_cast<Array>(h, array_)) {
            throw seqmix::Error(std::string("seqmix: a ") + Py_TYPE(h.ptr())->tp_name +
                                " is not an array (neither the buffer protocol nor DLPack)");
        }
        return to_tensor(array_);
    }

private:
    Py_buffer buffer_{};
    bool has_buffer_ = false;
    Array array_;
};

// Each C++ parameter from its Python argument: arrays through View (None for an absent optional
// one), the options struct as its bound class.
template <class Param> struct Convert {
    static const Param &apply(View &, nb::handle h) { return nb::cast<const Param &>(h); }
};
template <class Param> struct Convert<const Param &> : Convert<Param> {};
template <> struct Convert<const Tensor &> {
    static Tensor apply(View &v, nb::handle h) { return v.view(h); }
};
template <> struct Convert<const std::optional<Tensor> &> {
    static std::optional<Tensor> apply(View &v, nb::handle h) {
        if (h.is_none()) return std::nullopt;
        return v.view(h);
    }
};
template <> struct Convert<int64_t> {
    static int64_t apply(View &, nb::handle h) { return nb::cast<int64_t>(h); }
};

// Binds `fn` as `name(*arrays_in_cxx_order, options)` (positional: the Python table names them);
// the kernel runs without the GIL. Views live until after the call (their buffers are released
// with the GIL held again); what the function returns (void, or a struct) is returned.
template <class Result, class... Params> void def_op(nb::module_ &m, const char *name, Result (*fn)(Params...)) {
    m.def(name, [fn, name](nb::args args) -> Result {
        constexpr size_t n = sizeof...(Params);
        if (args.size() != n) {
            throw nb::type_error(("seqmix._seqmix." + std::string(name) + " takes " + std::to_string(n) +
                                  " arguments, got " + std::to_string(args.size())).c_str());
        }
        View views[n];
        size_t i = 0, j = 0;
        std::tuple<std::decay_t<decltype(Convert<Params>::apply(views[0], args[0]))>...> cxx{
            Convert<Params>::apply(views[i++], args[j++])...};
        nb::gil_scoped_release unlocked;
        return std::apply(fn, cxx);
    });
}

// An options struct with the fields every call shares (CallOptions) plus its own.
template <class Options> nb::class_<Options> def_options(nb::module_ &m, const char *name) {
    return nb::class_<Options>(m, name)
        .def(nb::init<>())
        .def_prop_rw(
            "stream", [](const Options &o) { return reinterpret_cast<uintptr_t>(o.stream); },
            [](Options &o, uintptr_t s) { o.stream = reinterpret_cast<void *>(s); },
            "cudaStream_t as an integer; 0 = the default stream")
        .def_rw("variant", &Options::variant, "force a variant, e.g. 'x86-64-avx2/default'; '' = dispatch");
}

// long_conv with LongConvOptions' one tensor, kf_spectrum, as a trailing optional parameter: the
// Python table's arrays are parameters, never options fields.
void long_conv_with_spectrum(const Tensor &u, const Tensor &kf, const Tensor &y, const std::optional<Tensor> &Dskip,
                             const std::optional<Tensor> &gate, const std::optional<Tensor> &kf_spectrum,
                             const seqmix::LongConvOptions &options) {
    seqmix::LongConvOptions with = options;
    with.kf_spectrum = kf_spectrum;
    seqmix::long_conv(u, kf, y, Dskip, gate, with);
}

// The measurement half of the binding-overhead benchmark (python/bench/overhead.py): the same
// gla_step call from a C++ loop, tensors converted once.
double cxx_gla_step_loop(const Array &q, const Array &k, const Array &v, const Array &g, const Array &state,
                         const Array &o, const Array &new_state, int64_t iterations) {
    const Tensor tq = to_tensor(q), tk = to_tensor(k), tv = to_tensor(v), tg = to_tensor(g);
    const Tensor ts = to_tensor(state), to = to_tensor(o), tn = to_tensor(new_state);
    const seqmix::GlaOptions options;
    nb::gil_scoped_release unlocked;
    const auto start = std::chrono::steady_clock::now();
    for (int64_t i = 0; i < iterations; i++) seqmix::gla_step(tq, tk, tv, tg, ts, to, tn, options);
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() /
           static_cast<double>(iterations);
}

// An uninitialised float32 array of seqmix-owned memory (CUDA: cuda_memory.h; CPU: 64-byte aligned
// host memory), for frameworks that lend no allocator (JAX). Returned as nanobind's array-API object,
// not as a bare DLPack capsule: the binding's own import of an output (View) consumes one capsule and
// the framework's from_dlpack another, and this object's __dlpack__ makes a fresh one each time (all
// sharing `owner`); __dlpack_device__ tells the framework where the memory is.
nb::ndarray<nb::array_api> empty_owned(const std::vector<size_t> &shape, bool cuda, int device) {
    size_t n = 1;
    for (size_t s : shape) n *= s;
    const size_t bytes = (std::max<size_t>(n * sizeof(float), 1) + 63) / 64 * 64;
    void *ptr = cuda ? seqmix_py::cuda_alloc(bytes, device) : std::aligned_alloc(64, bytes);
    if (!ptr) throw std::bad_alloc();
    struct Owned {
        void *ptr;
        bool cuda;
        int device;
    };
    nb::capsule owner(new Owned{ptr, cuda, device}, [](void *p) noexcept {
        auto *o = static_cast<Owned *>(p);
        if (o->cuda) {
            seqmix_py::cuda_free(o->ptr, o->device);
        } else {
            std::free(o->ptr);
        }
        delete o;
    });
    return nb::ndarray<nb::array_api>(ptr, shape.size(), shape.data(), owner, nullptr, nb::dtype<float>(),
                                      cuda ? nb::device::cuda::value : nb::device::cpu::value, device);
}

}  // namespace

NB_MODULE(_seqmix, m) {
    m.doc() = "seqmix C++ runtime binding (use the seqmix package, not this module)";
    // torch keeps the registered custom ops (and through them seqmix's functions and default
    // options objects) alive past this module's teardown at interpreter exit; nanobind would
    // report those as leaks. The 10,000-call leak tests (tests/test_leak.py) watch real leaks.
    nb::set_leak_warnings(false);

    // seqmix.Error is a ValueError (bad arguments); KernelError is also a RuntimeError.
    static PyObject *error = PyErr_NewException("seqmix.Error", PyExc_ValueError, nullptr);
    nb::object kernel_bases = nb::make_tuple(nb::handle(error), nb::handle(PyExc_RuntimeError));
    static PyObject *kernel_error = PyErr_NewException("seqmix.KernelError", kernel_bases.ptr(), nullptr);
    m.attr("Error") = nb::handle(error);
    m.attr("KernelError") = nb::handle(kernel_error);
    nb::register_exception_translator([](const std::exception_ptr &p, void *) {
        try {
            std::rethrow_exception(p);
        } catch (const seqmix::KernelError &e) {
            PyErr_SetString(kernel_error, e.what());
        } catch (const seqmix::Error &e) {
            PyErr_SetString(error, e.what());
        }
    });

    nb::enum_<seqmix::Activation>(m, "Activation")
        .value("identity", seqmix::Activation::identity)
        .value("silu", seqmix::Activation::silu);
    nb::enum_<seqmix::MonarchAxis>(m, "MonarchAxis")
        .value("channel", seqmix::MonarchAxis::channel)
        .value("sequence", seqmix::MonarchAxis::sequence);
    nb::enum_<seqmix::RnnCell>(m, "RnnCell").value("gru", seqmix::RnnCell::gru).value("lstm", seqmix::RnnCell::lstm);
    nb::class_<seqmix::ParaRnnInfo>(m, "ParaRnnInfo", "what pararnn's solve did (seqmix::ParaRnnInfo)")
        .def_ro("iterations", &seqmix::ParaRnnInfo::iterations, "kernel calls (1 for the sequential form)")
        .def_ro("max_update", &seqmix::ParaRnnInfo::max_update, "max |d| of the last Newton iteration")
        .def_ro("converged", &seqmix::ParaRnnInfo::converged, "max_update < tol (always for the sequential form)")
        .def("__repr__", [](const seqmix::ParaRnnInfo &i) {
            return "ParaRnnInfo(iterations=" + std::to_string(i.iterations) + ", max_update=" +
                   std::to_string(i.max_update) + ", converged=" + (i.converged ? "True" : "False") + ")";
        });

    // ---- options structs: one line per struct-specific field ----
    using namespace seqmix;
    def_options<AttentionOptions>(m, "AttentionOptions")
        .def_rw("scale", &AttentionOptions::scale)
        .def_rw("causal", &AttentionOptions::causal)
        .def_rw("window", &AttentionOptions::window);
    def_options<DecodeAttentionOptions>(m, "DecodeAttentionOptions").def_rw("scale", &DecodeAttentionOptions::scale);
    def_options<GlaOptions>(m, "GlaOptions").def_rw("scale", &GlaOptions::scale);
    def_options<RecurrenceOptions>(m, "RecurrenceOptions").def_rw("scale", &RecurrenceOptions::scale);
    def_options<DeltaRuleOptions>(m, "DeltaRuleOptions")
        .def_rw("scale", &DeltaRuleOptions::scale)
        .def_rw("qk_l2norm", &DeltaRuleOptions::qk_l2norm);
    def_options<Rwkv7Options>(m, "Rwkv7Options").def_rw("scale", &Rwkv7Options::scale);
    def_options<SsdOptions>(m, "SsdOptions").def_rw("dt_softplus", &SsdOptions::dt_softplus);
    def_options<TokenMixOptions>(m, "TokenMixOptions").def_rw("causal", &TokenMixOptions::causal);
    def_options<CausalConv1dOptions>(m, "CausalConv1dOptions").def_rw("activation", &CausalConv1dOptions::activation);
    def_options<SelectiveScanOptions>(m, "SelectiveScanOptions")
        .def_rw("delta_softplus", &SelectiveScanOptions::delta_softplus);
    def_options<CallOptions>(m, "CallOptions");
    def_options<MonarchOptions>(m, "MonarchOptions").def_rw("axis", &MonarchOptions::axis);
    def_options<LongConvOptions>(m, "LongConvOptions");  // kf_spectrum: long_conv_with_spectrum
    def_options<LmuOptions>(m, "LmuOptions").def_rw("theta", &LmuOptions::theta);
    def_options<RnnOptions>(m, "RnnOptions");
    def_options<ParaRnnOptions>(m, "ParaRnnOptions")
        .def_rw("cell", &ParaRnnOptions::cell)
        .def_rw("max_iters", &ParaRnnOptions::max_iters)
        .def_rw("tol", &ParaRnnOptions::tol);

    // ---- the ops: one line each (argument order = the C++ declaration's) ----
    def_op(m, "attention", &seqmix::attention);
    def_op(m, "decode_attention", &seqmix::decode_attention);
    def_op(m, "gla", &seqmix::gla);
    def_op(m, "gla_step", &seqmix::gla_step);
    def_op(m, "gla_state", &seqmix::gla_state);
    def_op(m, "gla_decay", &seqmix::gla_decay);
    def_op(m, "linear_attn", &seqmix::linear_attn);
    def_op(m, "retention", &seqmix::retention);
    def_op(m, "simple_gla", &seqmix::simple_gla);
    def_op(m, "linear_attn_step", &seqmix::linear_attn_step);
    def_op(m, "retention_step", &seqmix::retention_step);
    def_op(m, "simple_gla_step", &seqmix::simple_gla_step);
    def_op(m, "delta_rule", &seqmix::delta_rule);
    def_op(m, "gated_delta_rule", &seqmix::gated_delta_rule);
    def_op(m, "kda", &seqmix::kda);
    def_op(m, "gated_delta_rule2", &seqmix::gated_delta_rule2);
    def_op(m, "delta_rule_step", &seqmix::delta_rule_step);
    def_op(m, "gated_delta_rule_step", &seqmix::gated_delta_rule_step);
    def_op(m, "kda_step", &seqmix::kda_step);
    def_op(m, "gated_delta_rule2_step", &seqmix::gated_delta_rule2_step);
    def_op(m, "rwkv7", &seqmix::rwkv7);
    def_op(m, "rwkv7_step", &seqmix::rwkv7_step);
    def_op(m, "ssd", &seqmix::ssd);
    def_op(m, "ssd_step", &seqmix::ssd_step);
    def_op(m, "ssd_bidirectional", &seqmix::ssd_bidirectional);
    def_op(m, "causal_conv1d", &seqmix::causal_conv1d);
    def_op(m, "causal_conv1d_step", &seqmix::causal_conv1d_step);
    def_op(m, "selective_scan", &seqmix::selective_scan);
    def_op(m, "selective_scan_step", &seqmix::selective_scan_step);
    def_op(m, "token_mix", &seqmix::token_mix);
    def_op(m, "gla_inter", &seqmix::gla_inter);
    def_op(m, "monarch", &seqmix::monarch);
    def_op(m, "long_conv", &long_conv_with_spectrum);
    def_op(m, "long_conv_filter", &seqmix::long_conv_filter);
    def_op(m, "lmu", &seqmix::lmu);
    def_op(m, "lmu_step", &seqmix::lmu_step);
    def_op(m, "lstm", &seqmix::lstm);
    def_op(m, "lstm_step", &seqmix::lstm_step);
    def_op(m, "gru", &seqmix::gru);
    def_op(m, "gru_step", &seqmix::gru_step);
    def_op(m, "pararnn", &seqmix::pararnn);
    m.def(
        "long_conv_fft_length",
        [](int64_t B, int64_t D, int64_t T, int64_t L, bool cuda, int index, const std::string &variant) {
            const seqmix::Device device = cuda ? seqmix::Device::cuda(index) : seqmix::Device::cpu();
            return seqmix::long_conv_fft_length(B, D, T, L, device, variant);
        },
        nb::arg("B"), nb::arg("D"), nb::arg("T"), nb::arg("L"), nb::arg("cuda"), nb::arg("index"), nb::arg("variant"));

    // ---- introspection ----
    m.def("last_variant", &seqmix::last_variant, "the variant the last call on this thread ran");
    m.def("cuda_available", &seqmix::cuda_available);
    m.def("version", [] { return std::string(seqmix::version()); });
    m.def("host_cache_stats", [] {
        const seqmix::HostCacheStats s = seqmix::host_cache_stats();
        nb::dict d;
        d["limit"] = s.limit;
        d["cached_bytes"] = s.cached_bytes;
        d["cached_blocks"] = s.cached_blocks;
        d["hits"] = s.hits;
        d["misses"] = s.misses;
        return d;
    });
    m.def("set_host_cache_limit", &seqmix::set_host_cache_limit, nb::arg("bytes"));
    m.def("empty_host_cache", &seqmix::empty_host_cache);
    m.def("variants", [] {
        nb::list out;
        for (const auto &v : seqmix::variants()) {
            nb::dict d;
            d["mixer"] = v.mixer;
            d["target"] = v.target;
            d["bucket"] = v.bucket;
            d["condition"] = v.condition;
            d["symbol"] = v.symbol;
            d["runnable"] = v.runnable;
            d["explicit_only"] = v.explicit_only;
            out.append(d);
        }
        return out;
    });
    m.def("_cxx_gla_step_loop", &cxx_gla_step_loop);
    m.def("_empty", &empty_owned, nb::arg("shape"), nb::arg("cuda"), nb::arg("device"),
          "seqmix-owned float32 memory (CPU or CUDA), exported by DLPack");
    m.def("_cuda_synchronize", &seqmix_py::cuda_synchronize, nb::call_guard<nb::gil_scoped_release>());
}
