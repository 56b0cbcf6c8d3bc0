// The calling conventions of the AOT kernels (what each generator's Inputs and Outputs compile
// to) and the entries of the generated variant table.
#pragma once

#include <HalideRuntime.h>

#include <cstdint>
#include <vector>

namespace seqmix::detail {

// Every target is built with `user_context`: the first argument is the CallContext.
using attention_fn = int(const void *, halide_buffer_t *q, halide_buffer_t *k, halide_buffer_t *v, float scale, int32_t causal,
                         int32_t window, halide_buffer_t *o, halide_buffer_t *lse);
using gla_fn = int(const void *, halide_buffer_t *q, halide_buffer_t *k, halide_buffer_t *v, halide_buffer_t *g,
                   halide_buffer_t *initial_state, float scale, halide_buffer_t *o, halide_buffer_t *final_state);
using gla_state_fn = int(const void *, halide_buffer_t *k, halide_buffer_t *v, halide_buffer_t *g,
                         halide_buffer_t *final_state, halide_buffer_t *decay);
using gla_decay_fn = int(const void *, halide_buffer_t *g, halide_buffer_t *decay);
using gla_inter_fn = int(const void *, halide_buffer_t *q, halide_buffer_t *g, halide_buffer_t *state,
                         halide_buffer_t *o_in, float scale, halide_buffer_t *o);
using gla_step_fn = int(const void *, halide_buffer_t *q, halide_buffer_t *k, halide_buffer_t *v, halide_buffer_t *g,
                        halide_buffer_t *state, float scale, halide_buffer_t *o, halide_buffer_t *new_state);
// The scalar-decay family (linear_attn, retention, simple_gla and their step forms). linear_attn
// and retention take no gate (it is 0 or a function of the head); simple_gla takes g [B,T,H].
using scalar_decay_fn = int(const void *, halide_buffer_t *q, halide_buffer_t *k, halide_buffer_t *v,
                            halide_buffer_t *initial_state, float scale, halide_buffer_t *o,
                            halide_buffer_t *final_state);
using scalar_decay_step_fn = int(const void *, halide_buffer_t *q, halide_buffer_t *k, halide_buffer_t *v,
                                 halide_buffer_t *state, float scale, halide_buffer_t *o, halide_buffer_t *new_state);
using linear_attn_fn = scalar_decay_fn;
using retention_fn = scalar_decay_fn;
using simple_gla_fn = gla_fn;
using linear_attn_step_fn = scalar_decay_step_fn;
using retention_step_fn = scalar_decay_step_fn;
using simple_gla_step_fn = gla_step_fn;
// Mamba-2 SSD (generators/ssd.cpp): absent Dskip / dt_bias / initial_state are passed as zeros.
using ssd_fn = int(const void *, halide_buffer_t *x, halide_buffer_t *dt, halide_buffer_t *A, halide_buffer_t *Bm,
                   halide_buffer_t *Cm, halide_buffer_t *Dskip, halide_buffer_t *dt_bias,
                   halide_buffer_t *initial_state, int32_t dt_softplus, halide_buffer_t *y,
                   halide_buffer_t *final_state);
using ssd_step_fn = int(const void *, halide_buffer_t *x, halide_buffer_t *dt, halide_buffer_t *A, halide_buffer_t *Bm,
                        halide_buffer_t *Cm, halide_buffer_t *Dskip, halide_buffer_t *dt_bias, halide_buffer_t *state,
                        int32_t dt_softplus, halide_buffer_t *y, halide_buffer_t *new_state);
using ssd_bidirectional_fn = int(const void *, halide_buffer_t *x, halide_buffer_t *dt_f, halide_buffer_t *Bm_f,
                                 halide_buffer_t *Cm_f, halide_buffer_t *dt_b, halide_buffer_t *Bm_b,
                                 halide_buffer_t *Cm_b, halide_buffer_t *A, halide_buffer_t *Dskip,
                                 halide_buffer_t *dt_bias, int32_t dt_softplus, halide_buffer_t *y);

// The delta-rule mixers and RWKV-7 (generators/delta.cpp): inputs in the API's order, then the
// state, scale, qk_l2norm (delta rules), then the outputs o and final_state / new_state.
using B_ = halide_buffer_t;
using delta_rule_fn = int(const void *, B_ *q, B_ *k, B_ *v, B_ *beta, B_ *initial_state, float scale, bool qk_l2norm,
                          B_ *o, B_ *final_state);
using gated_delta_rule_fn = int(const void *, B_ *q, B_ *k, B_ *v, B_ *g, B_ *beta, B_ *initial_state, float scale,
                                bool qk_l2norm, B_ *o, B_ *final_state);
using kda_fn = gated_delta_rule_fn;
using gated_delta_rule2_fn = int(const void *, B_ *q, B_ *k, B_ *v, B_ *g, B_ *b, B_ *w, B_ *initial_state,
                                 float scale, bool qk_l2norm, B_ *o, B_ *final_state);
using rwkv7_fn = int(const void *, B_ *r, B_ *w, B_ *k, B_ *v, B_ *a, B_ *b, B_ *initial_state, float scale, B_ *o,
                     B_ *final_state);
using delta_rule_step_fn = delta_rule_fn;
using gated_delta_rule_step_fn = gated_delta_rule_fn;
using kda_step_fn = gated_delta_rule_fn;
using gated_delta_rule2_step_fn = gated_delta_rule2_fn;
using rwkv7_step_fn = rwkv7_fn;

// State-space mixers and decode attention (issue 8). Flags are int32 (0 or 1).
using causal_conv1d_fn = int(const void *, halide_buffer_t *x, halide_buffer_t *weight, halide_buffer_t *bias,
                             halide_buffer_t *initial_state, int32_t silu, halide_buffer_t *y,
                             halide_buffer_t *final_state);
using causal_conv1d_step_fn = int(const void *, halide_buffer_t *x, halide_buffer_t *weight, halide_buffer_t *bias,
                                  halide_buffer_t *state, int32_t silu, halide_buffer_t *y, halide_buffer_t *new_state);
// long_conv (generators/long_conv.cpp): kf_spec from long_conv_filter (FFT buckets) or unused.
using long_conv_fn = int(const void *, halide_buffer_t *u, halide_buffer_t *kf, halide_buffer_t *kf_spec,
                         halide_buffer_t *Dskip, halide_buffer_t *gate, int32_t has_gate, halide_buffer_t *y);
using long_conv_filter_fn = int(const void *, halide_buffer_t *kf, halide_buffer_t *kf_spec);
// lmu, lmu_step (generators/lmu.cpp): the Legendre system's h, E, Abar, Bbar come from the runtime.
using lmu_fn = int(const void *, halide_buffer_t *u, halide_buffer_t *h, halide_buffer_t *h_spec, halide_buffer_t *E,
                   halide_buffer_t *initial_state, int32_t has_init, halide_buffer_t *m,
                   halide_buffer_t *final_state);
using lmu_step_fn = int(const void *, halide_buffer_t *u, halide_buffer_t *state, halide_buffer_t *Abar,
                        halide_buffer_t *Bbar, halide_buffer_t *new_state);
using selective_scan_fn = int(const void *, halide_buffer_t *x, halide_buffer_t *delta, halide_buffer_t *A,
                              halide_buffer_t *Bm, halide_buffer_t *Cm, halide_buffer_t *Dskip, halide_buffer_t *z,
                              halide_buffer_t *delta_bias, halide_buffer_t *initial_state, int32_t delta_softplus,
                              int32_t has_z, halide_buffer_t *y, halide_buffer_t *final_state);
using selective_scan_step_fn = int(const void *, halide_buffer_t *x, halide_buffer_t *delta, halide_buffer_t *A,
                                   halide_buffer_t *Bm, halide_buffer_t *Cm, halide_buffer_t *Dskip,
                                   halide_buffer_t *z, halide_buffer_t *delta_bias, halide_buffer_t *state,
                                   int32_t delta_softplus, int32_t has_z, halide_buffer_t *y,
                                   halide_buffer_t *new_state);
using decode_attention_fn = int(const void *, halide_buffer_t *q, halide_buffer_t *k, halide_buffer_t *v,
                                halide_buffer_t *lens, float scale, halide_buffer_t *o, halide_buffer_t *lse);

// Structured and dense token mixing (issue 9). monarch_seq has monarch's signature.
using monarch_fn = int(const void *, halide_buffer_t *x, halide_buffer_t *L, halide_buffer_t *R, halide_buffer_t *y);
using monarch_seq_fn = monarch_fn;
using token_mix_fn = int(const void *, halide_buffer_t *x, halide_buffer_t *W, halide_buffer_t *bias, int32_t causal,
                         halide_buffer_t *y);
// Nonlinear RNNs (issue 9). lstm and gru are ONE time step (the runtime loops over T); pararnn
// is one Newton iteration or the whole sequential scan, by bucket (generators/pararnn.cpp).
using lstm_fn = int(const void *, B_ *G, B_ *R, B_ *bias, B_ *h_prev, B_ *c_prev, B_ *h_out, B_ *c_out);
using gru_fn = int(const void *, B_ *G, B_ *R, B_ *bias, B_ *h_prev, B_ *h_out);
using pararnn_fn = int(const void *, B_ *G, B_ *Rd, B_ *bias, B_ *h0, B_ *c0, B_ *h_cur, B_ *c_cur, int32_t cell,
                       B_ *h_next, B_ *c_next, B_ *final_h, B_ *final_c, B_ *err);

using AnyFn = void (*)();

struct VariantEntry {
    const char *mixer;      // generator name
    const char *target;     // target dir (schedules/<target>/)
    const char *bucket;     // "default" or the bucket's name
    const char *condition;  // the bucket's `when` condition, "" for default
    bool dispatched;        // false for an `explicit` variant: run only when options.variant names it
    int chunk;              // its schedule's `chunk` param (0: none), for the int32 check of Call::run
    const char *symbol;     // AOT entry point
    AnyFn fn;
};

// Generated in the build tree (generated/variant_table.cpp.in): buckets before default, CPU
// targets most specific first, CUDA newest first.
const std::vector<VariantEntry> &variant_table();

}  // namespace seqmix::detail
