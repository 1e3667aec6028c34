// The GEMM micro-kernel: the innermost loop of every fast convolution and Gram matrix.
//
// It multiplies an 8 x kc panel of A by a kc x 48 panel of B and adds the 8 x 48 result to C.
// The 24 partial sums (8 rows x 3 vectors of 16 floats) live in SIMD registers for the whole
// loop: each step loads 3 vectors of B, broadcasts 8 scalars of A, and does 24 fused
// multiply-adds, so the arithmetic units never wait for memory. (AVX-512 has 32 vector
// registers: 24 accumulators, 3 for B, 1 for the broadcast.) Both panels are packed
// contiguously by `GEMM.swift` so the loop reads memory strictly in order.
//
// The code is written out by hand, one line per accumulator, because that is what keeps every
// value in a register; `matrixMultiplyNaive` in GEMM.swift says the same thing in three loops.

/// Rows of A (and of C) per micro-kernel call.
let kernelRows = 8
/// Columns of B (and of C) per micro-kernel call: three 16-float vectors.
let kernelColumns = 48

/// C[0..<8, 0..<48] += A[0..<8, 0..<kc] * B[0..<kc, 0..<48], where `a` holds A packed as
/// kc groups of 8 (a column of the panel at a time) and `b` holds B packed as kc rows of 48.
@inline(__always)
func microKernel8x48(depth kc: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>, ldc: Int) {
    var c00 = SIMD16<Float>(); var c01 = SIMD16<Float>(); var c02 = SIMD16<Float>()
    var c10 = SIMD16<Float>(); var c11 = SIMD16<Float>(); var c12 = SIMD16<Float>()
    var c20 = SIMD16<Float>(); var c21 = SIMD16<Float>(); var c22 = SIMD16<Float>()
    var c30 = SIMD16<Float>(); var c31 = SIMD16<Float>(); var c32 = SIMD16<Float>()
    var c40 = SIMD16<Float>(); var c41 = SIMD16<Float>(); var c42 = SIMD16<Float>()
    var c50 = SIMD16<Float>(); var c51 = SIMD16<Float>(); var c52 = SIMD16<Float>()
    var c60 = SIMD16<Float>(); var c61 = SIMD16<Float>(); var c62 = SIMD16<Float>()
    var c70 = SIMD16<Float>(); var c71 = SIMD16<Float>(); var c72 = SIMD16<Float>()
    var pa = a, pb = b
    for _ in 0..<kc {
        let b0 = UnsafeRawPointer(pb + 0).loadUnaligned(as: SIMD16<Float>.self)
        let b1 = UnsafeRawPointer(pb + 16).loadUnaligned(as: SIMD16<Float>.self)
        let b2 = UnsafeRawPointer(pb + 32).loadUnaligned(as: SIMD16<Float>.self)
        let a0 = SIMD16<Float>(repeating: pa[0]); c00 = c00.addingProduct(a0, b0); c01 = c01.addingProduct(a0, b1); c02 = c02.addingProduct(a0, b2)
        let a1 = SIMD16<Float>(repeating: pa[1]); c10 = c10.addingProduct(a1, b0); c11 = c11.addingProduct(a1, b1); c12 = c12.addingProduct(a1, b2)
        let a2 = SIMD16<Float>(repeating: pa[2]); c20 = c20.addingProduct(a2, b0); c21 = c21.addingProduct(a2, b1); c22 = c22.addingProduct(a2, b2)
        let a3 = SIMD16<Float>(repeating: pa[3]); c30 = c30.addingProduct(a3, b0); c31 = c31.addingProduct(a3, b1); c32 = c32.addingProduct(a3, b2)
        let a4 = SIMD16<Float>(repeating: pa[4]); c40 = c40.addingProduct(a4, b0); c41 = c41.addingProduct(a4, b1); c42 = c42.addingProduct(a4, b2)
        let a5 = SIMD16<Float>(repeating: pa[5]); c50 = c50.addingProduct(a5, b0); c51 = c51.addingProduct(a5, b1); c52 = c52.addingProduct(a5, b2)
        let a6 = SIMD16<Float>(repeating: pa[6]); c60 = c60.addingProduct(a6, b0); c61 = c61.addingProduct(a6, b1); c62 = c62.addingProduct(a6, b2)
        let a7 = SIMD16<Float>(repeating: pa[7]); c70 = c70.addingProduct(a7, b0); c71 = c71.addingProduct(a7, b1); c72 = c72.addingProduct(a7, b2)
        pa += 8
        pb += 48
    }
    /// Adds one accumulator into C.
    @inline(__always) func add(_ value: SIMD16<Float>, _ row: Int, _ column: Int) {
        let p = UnsafeMutableRawPointer(c + row * ldc + column)
        p.storeBytes(of: p.loadUnaligned(as: SIMD16<Float>.self) + value, as: SIMD16<Float>.self)
    }
    add(c00, 0, 0); add(c01, 0, 16); add(c02, 0, 32)
    add(c10, 1, 0); add(c11, 1, 16); add(c12, 1, 32)
    add(c20, 2, 0); add(c21, 2, 16); add(c22, 2, 32)
    add(c30, 3, 0); add(c31, 3, 16); add(c32, 3, 32)
    add(c40, 4, 0); add(c41, 4, 16); add(c42, 4, 32)
    add(c50, 5, 0); add(c51, 5, 16); add(c52, 5, 32)
    add(c60, 6, 0); add(c61, 6, 16); add(c62, 6, 32)
    add(c70, 7, 0); add(c71, 7, 16); add(c72, 7, 32)
}
