// The C API: each entry converts its views, calls the C++ API and maps exceptions to status codes.
#include "seqmix/seqmix_c.h"

#include <cmath>
#include <string>

#include "seqmix/seqmix.h"

namespace {

thread_local std::string last_error;

seqmix::Tensor to_tensor(const char *name, const seqmix_tensor *t) {
    if (t == nullptr) throw seqmix::Error(std::string(name) + " is NULL");
    if (t->rank < 0 || t->rank > 8) {
        throw seqmix::Error(std::string(name) + " has rank " + std::to_string(t->rank) + ", expected 0..8");
    }
    seqmix::Device device{t->device_type == SEQMIX_CUDA ? seqmix::DeviceType::cuda : seqmix::DeviceType::cpu,
                          t->device_index};
    return seqmix::Tensor(t->data, static_cast<seqmix::DType>(t->dtype), {t->shape, t->shape + t->rank},
                          {t->strides, t->strides + t->rank}, device);
}

std::optional<seqmix::Tensor> to_optional(const char *name, const seqmix_tensor *t) {
    if (t == nullptr) return std::nullopt;
    return to_tensor(name, t);
}

template<typename Options>
Options to_options(const seqmix_options *o) {
    Options out;
    if (o == nullptr) return out;
    out.stream = o->stream;
    if (o->scale > 0 && std::isfinite(o->scale)) out.scale = o->scale;
    if (o->variant) out.variant = o->variant;
    return out;
}

template<typename F>
seqmix_status guarded(const char *fn, F &&f) {
    try {
        f();
        last_error.clear();
        return SEQMIX_OK;
    } catch (const seqmix::KernelError &e) {
        last_error = e.what();
        return SEQMIX_KERNEL_ERROR;
    } catch (const seqmix::Error &e) {
        last_error = e.what();
        return SEQMIX_INVALID_ARGUMENT;
    } catch (const std::exception &e) {
        last_error = std::string(fn) + ": " + e.what();
        return SEQMIX_INTERNAL_ERROR;
    }
}

}  // namespace

extern "C" {

const char *seqmix_last_error(void) { return last_error.c_str(); }

seqmix_status seqmix_attention(const seqmix_tensor *q, const seqmix_tensor *k, const seqmix_tensor *v,
                               const seqmix_tensor *o, const seqmix_tensor *lse, const seqmix_options *options) {
    return guarded("seqmix_attention", [&] {
        auto opt = to_options<seqmix::AttentionOptions>(options);
        if (options) {
            opt.causal = options->causal != 0;
            opt.window = options->window;
        }
        seqmix::attention(to_tensor("q", q), to_tensor("k", k), to_tensor("v", v), to_tensor("o", o),
                          to_optional("lse", lse), opt);
    });
}

seqmix_status seqmix_gla(const seqmix_tensor *q, const seqmix_tensor *k, const seqmix_tensor *v, const seqmix_tensor *g,
                         const seqmix_tensor *o, const seqmix_tensor *initial_state, const seqmix_tensor *final_state,
                         const seqmix_options *options) {
    return guarded("seqmix_gla", [&] {
        seqmix::gla(to_tensor("q", q), to_tensor("k", k), to_tensor("v", v), to_tensor("g", g), to_tensor("o", o),
                    to_optional("initial_state", initial_state), to_optional("final_state", final_state),
                    to_options<seqmix::GlaOptions>(options));
    });
}

seqmix_status seqmix_gla_step(const seqmix_tensor *q, const seqmix_tensor *k, const seqmix_tensor *v,
                              const seqmix_tensor *g, const seqmix_tensor *state, const seqmix_tensor *o,
                              const seqmix_tensor *new_state, const seqmix_options *options) {
    return guarded("seqmix_gla_step", [&] {
        seqmix::gla_step(to_tensor("q", q), to_tensor("k", k), to_tensor("v", v), to_tensor("g", g),
                         to_tensor("state", state), to_tensor("o", o), to_tensor("new_state", new_state),
                         to_options<seqmix::GlaOptions>(options));
    });
}

}  // extern "C"
