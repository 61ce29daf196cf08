#ifndef KOHYBRID_VECTOR_KERNELS_H
#define KOHYBRID_VECTOR_KERNELS_H
#include <stddef.h>
#include <stdint.h>

// Distance kernels for KoHybridDense. Each one picks, once at load time, the widest body the CPU
// runs: AVX-512F, else AVX2+FMA, else portable C. The SIMD bodies are compiled per function with
// __attribute__((target(...))), so the package needs no unsafeFlags. Any length n works.

/// Inner product of two float vectors of length n.
float kh_dot(const float *a, const float *b, int64_t n);

/// Squared Euclidean distance of two float vectors of length n.
float kh_l2sq(const float *a, const float *b, int64_t n);

/// A distance kernel: (a, b, n) -> value.
typedef float (*kh_kernel)(const float *a, const float *b, int64_t n);

/// The body kh_dot / kh_l2sq dispatch to on this CPU, for hot loops that call it directly
/// (one indirect call, no per-call dispatch branch or wrapper frame). Same results as the wrappers.
kh_kernel kh_dot_kernel(void);
kh_kernel kh_l2sq_kernel(void);

/// The bodies in use on this CPU, for benchmark reports: "avx512f", "avx2+fma" or "portable".
const char *kh_kernel_name(void);

/// Hints the CPU to bring `bytes` bytes at p into cache (the HNSW search prefetches the next
/// neighbour's vector while it scores the current one).
static inline void kh_prefetch(const void *p, int64_t bytes) {
    const char *c = (const char *)p;
    for (int64_t i = 0; i < bytes; i += 64) __builtin_prefetch(c + i, 0, 3);
}

/// A test-and-set spin lock over one 32-bit word (0 = free). Guards one node's neighbour list
/// during a parallel HNSW build, where critical sections are a few hundred nanoseconds.
void kh_spin_lock(int32_t *word);
void kh_spin_unlock(int32_t *word);

/// A 64-bit checksum of `length` bytes (four independent multiply-xor lanes, so it runs at
/// memory speed). Used for the index files' integrity check, not for security.
uint64_t kh_checksum(const void *data, size_t length);

#endif
