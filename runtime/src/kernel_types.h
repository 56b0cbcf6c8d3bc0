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
using gla_step_fn = int(const void *, halide_buffer_t *q, halide_buffer_t *k, halide_buffer_t *v, halide_buffer_t *g,
                        halide_buffer_t *state, float scale, halide_buffer_t *o, halide_buffer_t *new_state);

using AnyFn = void (*)();

struct VariantEntry {
    const char *mixer;      // generator name
    const char *target;     // target dir (schedules/<target>/)
    const char *bucket;     // "default" or the bucket's name
    const char *condition;  // the bucket's `when` condition, "" for default
    bool dispatched;        // false for an `explicit` variant: run only when options.variant names it
    const char *symbol;     // AOT entry point
    AnyFn fn;
};

// Generated in the build tree (generated/variant_table.cpp.in): buckets before default, CPU
// targets most specific first, CUDA newest first.
const std::vector<VariantEntry> &variant_table();

}  // namespace seqmix::detail
