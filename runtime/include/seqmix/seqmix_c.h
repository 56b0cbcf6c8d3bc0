/* seqmix C API: mirrors seqmix.h with status codes and a thread-local last-error message. */
#ifndef SEQMIX_C_H
#define SEQMIX_C_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#ifndef SEQMIX_C_API
#define SEQMIX_C_API __attribute__((visibility("default")))
#endif

typedef enum { SEQMIX_OK = 0, SEQMIX_INVALID_ARGUMENT = 1, SEQMIX_KERNEL_ERROR = 2, SEQMIX_INTERNAL_ERROR = 3 } seqmix_status;
typedef enum { SEQMIX_F32 = 0, SEQMIX_F16 = 1, SEQMIX_BF16 = 2, SEQMIX_F64 = 3, SEQMIX_I32 = 4, SEQMIX_I64 = 5 } seqmix_dtype;
typedef enum { SEQMIX_CPU = 0, SEQMIX_CUDA = 1 } seqmix_device_type;

/* A non-owning strided view; strides count elements. At most 8 dimensions. */
typedef struct {
    void *data;
    seqmix_dtype dtype;
    int32_t rank;
    int64_t shape[8];
    int64_t strides[8];
    seqmix_device_type device_type;
    int32_t device_index;
} seqmix_tensor;

/* Shared options; `scale` <= 0 or NaN selects the default 1/sqrt(K). `variant` may be NULL.
   A NULL options pointer means the C++ defaults (causal attention, no window). */
typedef struct {
    void *stream;
    float scale;
    int32_t causal;  /* attention only */
    int64_t window;  /* attention only; 0: none */
    const char *variant;
} seqmix_options;

/* The message of the last failed call on this thread ("" if none). */
SEQMIX_C_API const char *seqmix_last_error(void);

/* Optional tensors may be NULL. */
SEQMIX_C_API seqmix_status seqmix_attention(const seqmix_tensor *q, const seqmix_tensor *k, const seqmix_tensor *v,
                               const seqmix_tensor *o, const seqmix_tensor *lse, const seqmix_options *options);
SEQMIX_C_API seqmix_status seqmix_gla(const seqmix_tensor *q, const seqmix_tensor *k, const seqmix_tensor *v, const seqmix_tensor *g,
                         const seqmix_tensor *o, const seqmix_tensor *initial_state, const seqmix_tensor *final_state,
                         const seqmix_options *options);
SEQMIX_C_API seqmix_status seqmix_gla_step(const seqmix_tensor *q, const seqmix_tensor *k, const seqmix_tensor *v,
                              const seqmix_tensor *g, const seqmix_tensor *state, const seqmix_tensor *o,
                              const seqmix_tensor *new_state, const seqmix_options *options);

#ifdef __cplusplus
}
#endif

#endif /* SEQMIX_C_H */
