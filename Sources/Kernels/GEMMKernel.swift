// The GEMM micro-kernel: the innermost loop of every fast convolution and Gram matrix.
//
// It multiplies a 6 x kc block of A by a kc x 64 panel of B and adds the 6 x 64 result to C.
// The 24 partial sums (6 rows x 4 vectors of 16 floats) stay in SIMD registers for the whole
// loop: each step loads 4 vectors of B, broadcasts 6 numbers of A, and does 24 fused
// multiply-adds, so the arithmetic units never wait for memory. (AVX-512 has 32 vector
// registers: 24 accumulators, 4 for B, 1 for the broadcast.) B is packed by GEMM.swift so it
// is read strictly in order; A is read where it lies, `rowStride` apart between rows and
// `depthStride` apart along the shared dimension, which covers every caller without copying.
//
// The code is written out by hand, one line per accumulator, because that is what keeps every
// value in a register; `matrixMultiplyNaive` in GEMM.swift says the same thing in three loops.

/// Rows of A (and of C) per micro-kernel call.
let kernelRows = 6
/// Columns of B (and of C) per micro-kernel call: four 16-float vectors.
let kernelColumns = 64

/// C[0..<6, 0..<64] += A[0..<6, 0..<kc] * B[0..<kc, 0..<64]. Row r of A at depth p is
/// `a[r * rowStride + p * depthStride]`; `b` holds B packed as kc rows of 64. With `overwrite`,
/// C = A B instead.
@inline(__always)
func microKernel6x64(depth kc: Int, a: UnsafePointer<Float>, rowStride: Int, depthStride: Int,
                     b: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>, ldc: Int, overwrite: Bool = false) {
    var c00 = SIMD16<Float>(); var c01 = SIMD16<Float>(); var c02 = SIMD16<Float>(); var c03 = SIMD16<Float>()
    var c10 = SIMD16<Float>(); var c11 = SIMD16<Float>(); var c12 = SIMD16<Float>(); var c13 = SIMD16<Float>()
    var c20 = SIMD16<Float>(); var c21 = SIMD16<Float>(); var c22 = SIMD16<Float>(); var c23 = SIMD16<Float>()
    var c30 = SIMD16<Float>(); var c31 = SIMD16<Float>(); var c32 = SIMD16<Float>(); var c33 = SIMD16<Float>()
    var c40 = SIMD16<Float>(); var c41 = SIMD16<Float>(); var c42 = SIMD16<Float>(); var c43 = SIMD16<Float>()
    var c50 = SIMD16<Float>(); var c51 = SIMD16<Float>(); var c52 = SIMD16<Float>(); var c53 = SIMD16<Float>()
    let a0 = a, a1 = a + 1 * rowStride, a2 = a + 2 * rowStride, a3 = a + 3 * rowStride, a4 = a + 4 * rowStride, a5 = a + 5 * rowStride
    var p = 0, pb = b
    for _ in 0..<kc {
        let b0 = UnsafeRawPointer(pb + 0).loadUnaligned(as: SIMD16<Float>.self)
        let b1 = UnsafeRawPointer(pb + 16).loadUnaligned(as: SIMD16<Float>.self)
        let b2 = UnsafeRawPointer(pb + 32).loadUnaligned(as: SIMD16<Float>.self)
        let b3 = UnsafeRawPointer(pb + 48).loadUnaligned(as: SIMD16<Float>.self)
        let x0 = SIMD16<Float>(repeating: a0[p]); c00 = c00.addingProduct(x0, b0); c01 = c01.addingProduct(x0, b1); c02 = c02.addingProduct(x0, b2); c03 = c03.addingProduct(x0, b3)
        let x1 = SIMD16<Float>(repeating: a1[p]); c10 = c10.addingProduct(x1, b0); c11 = c11.addingProduct(x1, b1); c12 = c12.addingProduct(x1, b2); c13 = c13.addingProduct(x1, b3)
        let x2 = SIMD16<Float>(repeating: a2[p]); c20 = c20.addingProduct(x2, b0); c21 = c21.addingProduct(x2, b1); c22 = c22.addingProduct(x2, b2); c23 = c23.addingProduct(x2, b3)
        let x3 = SIMD16<Float>(repeating: a3[p]); c30 = c30.addingProduct(x3, b0); c31 = c31.addingProduct(x3, b1); c32 = c32.addingProduct(x3, b2); c33 = c33.addingProduct(x3, b3)
        let x4 = SIMD16<Float>(repeating: a4[p]); c40 = c40.addingProduct(x4, b0); c41 = c41.addingProduct(x4, b1); c42 = c42.addingProduct(x4, b2); c43 = c43.addingProduct(x4, b3)
        let x5 = SIMD16<Float>(repeating: a5[p]); c50 = c50.addingProduct(x5, b0); c51 = c51.addingProduct(x5, b1); c52 = c52.addingProduct(x5, b2); c53 = c53.addingProduct(x5, b3)
        p += depthStride
        pb += 64
    }
    /// Adds one accumulator into C (or, with `overwrite`, stores it, so C need not be zeroed first).
    @inline(__always) func add(_ value: SIMD16<Float>, _ row: Int, _ column: Int) {
        let q = UnsafeMutableRawPointer(c + row * ldc + column)
        q.storeBytes(of: overwrite ? value : q.loadUnaligned(as: SIMD16<Float>.self) + value, as: SIMD16<Float>.self)
    }
    add(c00, 0, 0); add(c01, 0, 16); add(c02, 0, 32); add(c03, 0, 48)
    add(c10, 1, 0); add(c11, 1, 16); add(c12, 1, 32); add(c13, 1, 48)
    add(c20, 2, 0); add(c21, 2, 16); add(c22, 2, 32); add(c23, 2, 48)
    add(c30, 3, 0); add(c31, 3, 16); add(c32, 3, 32); add(c33, 3, 48)
    add(c40, 4, 0); add(c41, 4, 16); add(c42, 4, 32); add(c43, 4, 48)
    add(c50, 5, 0); add(c51, 5, 16); add(c52, 5, 32); add(c53, 5, 48)
}
