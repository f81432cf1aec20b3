// The BLAS seam: the only file in the project that calls OpenBLAS.
//
// Convention (stated once): every matrix is row-major. `gemm` computes
//     C[M×N] = alpha · op(A) · op(B) + beta · C
// where op(A) is M×K (A is stored M×K, or K×M when `transA`), op(B) is K×N
// (B stored K×N, or N×K when `transB`). Leading dimensions are row strides in elements.
import CBLAS

/// Matrix layout of a `gemm` operand: as stored, or transposed.
public enum Transpose: Sendable {
    case none, transposed

    @usableFromInline var cblas: CBLAS_TRANSPOSE { self == .none ? CblasNoTrans : CblasTrans }
}

/// Row-major single-precision GEMM: C = alpha·op(A)·op(B) + beta·C (shapes in the file header).
@inlinable
public func gemm(
    _ transA: Transpose, _ transB: Transpose,
    m: Int, n: Int, k: Int,
    alpha: Float = 1,
    a: UnsafePointer<Float>, lda: Int,
    b: UnsafePointer<Float>, ldb: Int,
    beta: Float = 0,
    c: UnsafeMutablePointer<Float>, ldc: Int
) {
    cblas_sgemm(CblasRowMajor, transA.cblas, transB.cblas,
                Int32(m), Int32(n), Int32(k), alpha,
                a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
}

/// Row-major single-precision GEMV: y = alpha·op(A)·x + beta·y, A stored M×N.
@inlinable
public func gemv(
    _ transA: Transpose, m: Int, n: Int, alpha: Float = 1,
    a: UnsafePointer<Float>, lda: Int,
    x: UnsafePointer<Float>, beta: Float = 0,
    y: UnsafeMutablePointer<Float>
) {
    cblas_sgemv(CblasRowMajor, transA.cblas, Int32(m), Int32(n), alpha,
                a, Int32(lda), x, 1, beta, y, 1)
}

/// OpenBLAS threading and build facts.
public enum BLAS {
    /// Threads OpenBLAS uses for one call (process-wide setting).
    public static var threadCount: Int {
        get { Int(openblas_get_num_threads()) }
        set { openblas_set_num_threads(Int32(max(1, newValue))) }
    }

    /// Processors OpenBLAS sees.
    public static var processorCount: Int { Int(openblas_get_num_procs()) }

    /// OpenBLAS build configuration string (version, kernel, threading model).
    public static var configuration: String { String(cString: openblas_get_config()) }

    /// The CPU kernel family OpenBLAS selected at run time (e.g. "SkylakeX").
    public static var coreName: String { String(cString: openblas_get_corename()) }
}

extension BLAS {
    /// The OpenBLAS kernel to force on this CPU, or nil when OpenBLAS's own choice is fine.
    ///
    /// OpenBLAS 0.3.21 (Debian 12) does not know recent Xeons (e.g. family 6 model 207) and falls back
    /// to its SSE3 "Prescott" kernels, 5× slower than the AVX-512 ones. The kernel is chosen when the
    /// library loads, from `OPENBLAS_CORETYPE`, so executables re-launch themselves with it set
    /// (see `ProcessSetup` in the CLI). A value the user set is always respected.
    public static func preferredCoreType(cpuFlags: Set<String>, environment: [String: String]) -> String? {
        guard environment["OPENBLAS_CORETYPE"] == nil, coreName == "Prescott" else { return nil }
        if cpuFlags.contains("avx512f") && cpuFlags.contains("avx512bw") { return "SkylakeX" }
        if cpuFlags.contains("avx2") && cpuFlags.contains("fma") { return "Haswell" }
        return nil
    }
}
