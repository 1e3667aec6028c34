// The GEMM micro-kernels: the innermost loop of every fast convolution and Gram matrix.
//
// A micro-kernel multiplies a 6 x kc block of A by a kc-row slice of a packed panel of B and
// adds the 6-row result to C. Its partial sums stay in SIMD registers for the whole loop: each
// step loads a row of the B slice, broadcasts 6 numbers of A, and does one fused multiply-add
// per accumulator, so the arithmetic units never wait for memory. That only works if the
// accumulators, the B vectors and a broadcast all fit in the register file, so the shape of
// the block depends on the machine (MicroKernelShape.swift chooses one, once, from the CPU):
//
//   register file          shape   accumulators                    + B + broadcast
//   AVX-512: 32 x 16 fl.   6 x 64  6 rows x 4 SIMD16 = 24 registers   4 + 1 = 29 of 32
//   AVX2:    16 x 8 fl.    6 x 16  6 rows x 2 SIMD8  = 12 registers   2 + 1 = 15 of 16
//   NEON:    32 x 4 fl.    6 x 16  6 rows x 4 SIMD4  = 24 registers   4 + 1 = 29 of 32
//   anything else          6 x 16  plain loops, left to the compiler
//
// (The AVX-512 shape on an AVX2 machine would need 48 of its 16 registers and spill on every
// step; that is why there is more than one.) The AVX-512 and NEON kernels are one generic
// function, `microKernel6x4Vectors`, at two vector widths; AVX2's has two vectors per row.
//
// B is packed by GEMM.swift in panels 64 columns wide, read strictly in order; a 16-column
// kernel reads its slice of the panel, `panelWidth` floats apart from one depth to the next.
// A is read where it lies, `rowStride` apart between rows and `depthStride` apart along the
// shared dimension, which covers every caller without copying.
//
// The code is written out by hand, one line per accumulator, because that is what keeps every
// value in a register; `microKernelPlain` and `matrixMultiplyNaive` say the same in loops.

/// Rows of A (and of C) per micro-kernel call, for every shape.
let kernelRows = 6
/// Columns of a packed panel of B: the widest shape's columns (4 x 16). Narrower shapes take
/// the panel 16 columns at a time.
let panelWidth = 64

/// C[0..<6, 0..<4 V.scalarCount] += A[0..<6, 0..<kc] * B[0..<kc, same columns]: 24 accumulators
/// of four vectors per row. Row r of A at depth p is `a[r * rowStride + p * depthStride]`; row p
/// of B starts at `b + p * bStride`. With `overwrite`, C = A B instead.
/// SIMD16 makes the AVX-512 kernel (6 x 64), SIMD4 the NEON one (6 x 16).
@inline(__always)
func microKernel6x4Vectors<V: SIMD>(_: V.Type, depth kc: Int, a: UnsafePointer<Float>, rowStride: Int, depthStride: Int,
                                     b: UnsafePointer<Float>, bStride: Int, c: UnsafeMutablePointer<Float>, ldc: Int,
                                     overwrite: Bool) where V.Scalar == Float {
    let w = V.scalarCount
    var c00 = V(), c01 = V(), c02 = V(), c03 = V()
    var c10 = V(), c11 = V(), c12 = V(), c13 = V()
    var c20 = V(), c21 = V(), c22 = V(), c23 = V()
    var c30 = V(), c31 = V(), c32 = V(), c33 = V()
    var c40 = V(), c41 = V(), c42 = V(), c43 = V()
    var c50 = V(), c51 = V(), c52 = V(), c53 = V()
    let a0 = a, a1 = a + 1 * rowStride, a2 = a + 2 * rowStride, a3 = a + 3 * rowStride, a4 = a + 4 * rowStride, a5 = a + 5 * rowStride
    var p = 0, pb = b
    for _ in 0..<kc {
        let b0 = UnsafeRawPointer(pb).loadUnaligned(as: V.self)
        let b1 = UnsafeRawPointer(pb + w).loadUnaligned(as: V.self)
        let b2 = UnsafeRawPointer(pb + 2 * w).loadUnaligned(as: V.self)
        let b3 = UnsafeRawPointer(pb + 3 * w).loadUnaligned(as: V.self)
        let x0 = V(repeating: a0[p]); c00 = c00.addingProduct(x0, b0); c01 = c01.addingProduct(x0, b1); c02 = c02.addingProduct(x0, b2); c03 = c03.addingProduct(x0, b3)
        let x1 = V(repeating: a1[p]); c10 = c10.addingProduct(x1, b0); c11 = c11.addingProduct(x1, b1); c12 = c12.addingProduct(x1, b2); c13 = c13.addingProduct(x1, b3)
        let x2 = V(repeating: a2[p]); c20 = c20.addingProduct(x2, b0); c21 = c21.addingProduct(x2, b1); c22 = c22.addingProduct(x2, b2); c23 = c23.addingProduct(x2, b3)
        let x3 = V(repeating: a3[p]); c30 = c30.addingProduct(x3, b0); c31 = c31.addingProduct(x3, b1); c32 = c32.addingProduct(x3, b2); c33 = c33.addingProduct(x3, b3)
        let x4 = V(repeating: a4[p]); c40 = c40.addingProduct(x4, b0); c41 = c41.addingProduct(x4, b1); c42 = c42.addingProduct(x4, b2); c43 = c43.addingProduct(x4, b3)
        let x5 = V(repeating: a5[p]); c50 = c50.addingProduct(x5, b0); c51 = c51.addingProduct(x5, b1); c52 = c52.addingProduct(x5, b2); c53 = c53.addingProduct(x5, b3)
        p += depthStride
        pb += bStride
    }
    /// Adds one accumulator into C (or, with `overwrite`, stores it, so C need not be zeroed first).
    @inline(__always) func add(_ value: V, _ row: Int, _ vector: Int) {
        let q = UnsafeMutableRawPointer(c + row * ldc + vector * w)
        q.storeBytes(of: overwrite ? value : q.loadUnaligned(as: V.self) + value, as: V.self)
    }
    add(c00, 0, 0); add(c01, 0, 1); add(c02, 0, 2); add(c03, 0, 3)
    add(c10, 1, 0); add(c11, 1, 1); add(c12, 1, 2); add(c13, 1, 3)
    add(c20, 2, 0); add(c21, 2, 1); add(c22, 2, 2); add(c23, 2, 3)
    add(c30, 3, 0); add(c31, 3, 1); add(c32, 3, 2); add(c33, 3, 3)
    add(c40, 4, 0); add(c41, 4, 1); add(c42, 4, 2); add(c43, 4, 3)
    add(c50, 5, 0); add(c51, 5, 1); add(c52, 5, 2); add(c53, 5, 3)
}

/// The AVX2 kernel, 6 x 16: 12 accumulators of two SIMD8 per row, which with two B vectors and
/// a broadcast use 15 of AVX2's 16 registers (the classic shape of BLIS and OpenBLAS on Haswell).
/// Same arguments as `microKernel6x4Vectors`.
@inline(__always)
func microKernel6x16AVX2(depth kc: Int, a: UnsafePointer<Float>, rowStride: Int, depthStride: Int,
                         b: UnsafePointer<Float>, bStride: Int, c: UnsafeMutablePointer<Float>, ldc: Int, overwrite: Bool) {
    typealias V = SIMD8<Float>
    var c00 = V(), c01 = V()
    var c10 = V(), c11 = V()
    var c20 = V(), c21 = V()
    var c30 = V(), c31 = V()
    var c40 = V(), c41 = V()
    var c50 = V(), c51 = V()
    let a0 = a, a1 = a + 1 * rowStride, a2 = a + 2 * rowStride, a3 = a + 3 * rowStride, a4 = a + 4 * rowStride, a5 = a + 5 * rowStride
    var p = 0, pb = b
    for _ in 0..<kc {
        let b0 = UnsafeRawPointer(pb).loadUnaligned(as: V.self)
        let b1 = UnsafeRawPointer(pb + 8).loadUnaligned(as: V.self)
        let x0 = V(repeating: a0[p]); c00 = c00.addingProduct(x0, b0); c01 = c01.addingProduct(x0, b1)
        let x1 = V(repeating: a1[p]); c10 = c10.addingProduct(x1, b0); c11 = c11.addingProduct(x1, b1)
        let x2 = V(repeating: a2[p]); c20 = c20.addingProduct(x2, b0); c21 = c21.addingProduct(x2, b1)
        let x3 = V(repeating: a3[p]); c30 = c30.addingProduct(x3, b0); c31 = c31.addingProduct(x3, b1)
        let x4 = V(repeating: a4[p]); c40 = c40.addingProduct(x4, b0); c41 = c41.addingProduct(x4, b1)
        let x5 = V(repeating: a5[p]); c50 = c50.addingProduct(x5, b0); c51 = c51.addingProduct(x5, b1)
        p += depthStride
        pb += bStride
    }
    @inline(__always) func add(_ value: V, _ row: Int, _ column: Int) {
        let q = UnsafeMutableRawPointer(c + row * ldc + column)
        q.storeBytes(of: overwrite ? value : q.loadUnaligned(as: V.self) + value, as: V.self)
    }
    add(c00, 0, 0); add(c01, 0, 8)
    add(c10, 1, 0); add(c11, 1, 8)
    add(c20, 2, 0); add(c21, 2, 8)
    add(c30, 3, 0); add(c31, 3, 8)
    add(c40, 4, 0); add(c41, 4, 8)
    add(c50, 5, 0); add(c51, 5, 8)
}

/// The plain fallback, 6 x 16, for a machine with none of the above: the same block in loops,
/// its 96 partial sums in a local array. Same arguments as `microKernel6x4Vectors`.
@inline(__always)
func microKernelPlain(depth kc: Int, a: UnsafePointer<Float>, rowStride: Int, depthStride: Int,
                      b: UnsafePointer<Float>, bStride: Int, c: UnsafeMutablePointer<Float>, ldc: Int, overwrite: Bool) {
    var sums = (0..<(kernelRows * 16)).map { _ in Float(0) }
    for p in 0..<kc {
        for r in 0..<kernelRows {
            let x = a[r * rowStride + p * depthStride]
            for j in 0..<16 { sums[r * 16 + j] += x * b[p * bStride + j] }
        }
    }
    for r in 0..<kernelRows {
        for j in 0..<16 { c[r * ldc + j] = overwrite ? sums[r * 16 + j] : c[r * ldc + j] + sums[r * 16 + j] }
    }
}

extension MicroKernelShape {
    /// C[0..<6, 0..<columns] += A B (or = with `overwrite`) with this shape's kernel.
    @inline(__always)
    func multiply(depth kc: Int, a: UnsafePointer<Float>, rowStride: Int, depthStride: Int,
                  b: UnsafePointer<Float>, bStride: Int, c: UnsafeMutablePointer<Float>, ldc: Int, overwrite: Bool) {
        switch self {
        case .avx512:
            microKernel6x4Vectors(SIMD16<Float>.self, depth: kc, a: a, rowStride: rowStride, depthStride: depthStride,
                                  b: b, bStride: bStride, c: c, ldc: ldc, overwrite: overwrite)
        case .avx2:
            microKernel6x16AVX2(depth: kc, a: a, rowStride: rowStride, depthStride: depthStride,
                                b: b, bStride: bStride, c: c, ldc: ldc, overwrite: overwrite)
        case .neon:
            microKernel6x4Vectors(SIMD4<Float>.self, depth: kc, a: a, rowStride: rowStride, depthStride: depthStride,
                                  b: b, bStride: bStride, c: c, ldc: ldc, overwrite: overwrite)
        case .plain:
            microKernelPlain(depth: kc, a: a, rowStride: rowStride, depthStride: depthStride,
                             b: b, bStride: bStride, c: c, ldc: ldc, overwrite: overwrite)
        }
    }
}
