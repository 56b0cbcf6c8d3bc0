// Candidate modules that misbehave, for the runner's isolation tests: each exports `candidate`
// with gla's AOT calling convention (runtime/src/kernel_types.h) and does one bad thing, chosen
// by the compile definition FIXTURE_KIND.
#include <HalideRuntime.h>

#include <cstdlib>
#include <cstring>

extern "C" int candidate(const void *, halide_buffer_t *, halide_buffer_t *, halide_buffer_t *, halide_buffer_t *,
                         halide_buffer_t *, float, halide_buffer_t *o, halide_buffer_t *final_state) {
#if FIXTURE_KIND == 0  // aborts, as Halide's default error handler does
    std::abort();
#elif FIXTURE_KIND == 1  // never returns
    for (volatile int spin = 0;; spin = spin + 1) {
    }
#elif FIXTURE_KIND == 2  // returns, but computes nothing right
    for (halide_buffer_t *b : {o, final_state}) {
        size_t n = 1;
        for (int d = 0; d < b->dimensions; d++) n *= static_cast<size_t>(b->dim[d].extent);
        std::memset(b->host, 0, n * sizeof(float));
    }
    return 0;
#else  // reports an error, as a pipeline with a failed bounds check does
    return -3;
#endif
}
