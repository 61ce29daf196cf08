#ifndef KOHYBRID_VECTOR_KERNELS_H
#define KOHYBRID_VECTOR_KERNELS_H
#include <stdint.h>
/// Inner product of two float vectors of length n.
float kh_dot(const float *a, const float *b, int64_t n);
#endif
