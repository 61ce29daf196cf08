import CVectorKernels

/// Which SIMD bodies the distance kernels (`CVectorKernels`) picked on this CPU at load time:
/// AVX-512F, else AVX2 with FMA, else portable C. Benchmarks print it beside their numbers, since
/// a distance-bound speed means little without knowing which one ran.
///
/// ```swift
/// print(DistanceKernel.active)   // "avx2+fma"
/// ```
public enum DistanceKernel {
    /// `"avx512f"`, `"avx2+fma"` or `"portable"`.
    public static var active: String { String(cString: kh_kernel_name()) }
}
