import Dispatch

// Matrix multiplication, C += A B, the work behind every fast convolution and Gram matrix.
//
// `matrixMultiplyNaive` is the definition. `matrixMultiply` computes the same thing fast, in the
// way of Goto and van de Geijn's "Anatomy of High-Performance Matrix Multiplication":
//  - A is packed into panels of 8 rows, B into panels of 48 columns and `depthBlock` rows, so
//    the micro-kernel (GEMMKernel.swift) reads both strictly in order;
//  - one packed panel of B (48 x 192 floats, 36 KB) stays in the level-1 cache while every
//    panel of A streams past it from the level-2 cache;
//  - the columns of C are shared out between threads (or, for the Gram matrix, where C is
//    small and the shared dimension huge, the depth is, each thread summing its own copy).

/// Where element (row, column) of a matrix lives: `base[rowOffset(row) + column * columnStride]`.
/// Row offsets are `row * rowStride`, or read from a table: a convolution's B matrix is the
/// padded input seen through nine shifted windows, one table entry per (channel, tap).
public struct MatrixLayout {
    public var base: UnsafePointer<Float>
    public var rowStride: Int
    public var columnStride: Int
    public var rowOffsets: UnsafePointer<Int>?

    public init(base: UnsafePointer<Float>, rowStride: Int, columnStride: Int = 1, rowOffsets: UnsafePointer<Int>? = nil) {
        self.base = base
        self.rowStride = rowStride
        self.columnStride = columnStride
        self.rowOffsets = rowOffsets
    }

    @inline(__always) func offset(row: Int) -> Int { rowOffsets?[row] ?? row * rowStride }
    @inline(__always) func element(_ row: Int, _ column: Int) -> Float { base[offset(row: row) + column * columnStride] }
}

/// The definition: C[i][j] += sum over k of A[i][k] * B[k][j], for an M x K A and a K x N B.
public func matrixMultiplyNaive(rows m: Int, columns n: Int, depth k: Int, a: MatrixLayout, b: MatrixLayout,
                                c: UnsafeMutablePointer<Float>, ldc: Int) {
    for i in 0..<m {
        for j in 0..<n {
            var sum: Float = 0
            for p in 0..<k { sum += a.element(i, p) * b.element(p, j) }
            c[i * ldc + j] += sum
        }
    }
}

/// A matrix packed for the micro-kernel: panels of 8 rows (the last padded with zero rows),
/// each stored column by column: panel p, depth index k, row r at `storage[(p * depth + k) * 8 + r]`.
/// Convolution weights are packed once when a layer is built.
public struct PackedPanels: Sendable {
    public let rows: Int
    public let depth: Int
    public let storage: [Float]

    public init(rows: Int, depth: Int, element: (Int, Int) -> Float) {
        self.rows = rows
        self.depth = depth
        let panels = (rows + kernelRows - 1) / kernelRows
        var storage = [Float](repeating: 0, count: panels * depth * kernelRows)
        for p in 0..<panels {
            for k in 0..<depth {
                for r in 0..<kernelRows where p * kernelRows + r < rows {
                    storage[(p * depth + k) * kernelRows + r] = element(p * kernelRows + r, k)
                }
            }
        }
        self.storage = storage
    }

    public init(_ matrix: MatrixLayout, rows: Int, depth: Int) {
        self.init(rows: rows, depth: depth) { matrix.element($0, $1) }
    }
}

/// Depth (K) per packed block of B: 192 rows of 48 floats fill most of a 48 KB L1 cache.
let depthBlock = 192

/// Copies B[k0..<k0+kc][n0..<n0+width] into `panel` as kc rows of 48, zero-filling the columns
/// past `width`.
@inline(__always)
func packPanelB(_ b: MatrixLayout, k0: Int, kc: Int, n0: Int, width: Int, into panel: UnsafeMutablePointer<Float>) {
    for k in 0..<kc {
        let source = b.base + b.offset(row: k0 + k) + n0 * b.columnStride
        let destination = panel + k * kernelColumns
        if b.columnStride == 1 && width == kernelColumns {
            for v in 0..<3 {
                UnsafeMutableRawPointer(destination + 16 * v).storeBytes(
                    of: UnsafeRawPointer(source + 16 * v).loadUnaligned(as: SIMD16<Float>.self), as: SIMD16<Float>.self)
            }
        } else {
            for j in 0..<width { destination[j] = source[j * b.columnStride] }
            for j in width..<kernelColumns { destination[j] = 0 }
        }
    }
}

/// C[0..<M][0..<N] += A B with A packed, for the columns [columnStart, columnEnd) and depth
/// [depthStart, depthEnd): the single-threaded heart of `matrixMultiply`.
func multiplyBlock(a: PackedPanels, b: MatrixLayout, c: UnsafeMutablePointer<Float>, ldc: Int,
                   columnStart: Int, columnEnd: Int, depthStart: Int, depthEnd: Int) {
    let panel = UnsafeMutablePointer<Float>.allocate(capacity: depthBlock * kernelColumns)
    let tile = UnsafeMutablePointer<Float>.allocate(capacity: kernelRows * kernelColumns)
    defer { panel.deallocate(); tile.deallocate() }
    let rowPanels = (a.rows + kernelRows - 1) / kernelRows
    a.storage.withUnsafeBufferPointer { packedA in
        var n0 = columnStart
        while n0 < columnEnd {
            let width = min(kernelColumns, columnEnd - n0)
            var k0 = depthStart
            while k0 < depthEnd {
                let kc = min(depthBlock, depthEnd - k0)
                packPanelB(b, k0: k0, kc: kc, n0: n0, width: width, into: panel)
                for p in 0..<rowPanels {
                    let aPanel = packedA.baseAddress! + (p * a.depth + k0) * kernelRows
                    let m0 = p * kernelRows
                    let height = min(kernelRows, a.rows - m0)
                    if height == kernelRows && width == kernelColumns {
                        microKernel8x48(depth: kc, a: aPanel, b: panel, c: c + m0 * ldc + n0, ldc: ldc)
                    } else {
                        // An edge tile: compute into a scratch tile, add the part that exists.
                        tile.initialize(repeating: 0, count: kernelRows * kernelColumns)
                        microKernel8x48(depth: kc, a: aPanel, b: panel, c: tile, ldc: kernelColumns)
                        for r in 0..<height {
                            for j in 0..<width { c[(m0 + r) * ldc + n0 + j] += tile[r * kernelColumns + j] }
                        }
                    }
                }
                k0 += kc
            }
            n0 += width
        }
    }
}

/// C += A B, fast: `a` is packed (M x K), `b` is any layout (K x N), C is M x N with row
/// stride `ldc`. With `splitDepth`, threads divide K instead of N (for small M and N).
public func matrixMultiply(a: PackedPanels, b: MatrixLayout, columns n: Int, c: UnsafeMutablePointer<Float>, ldc: Int,
                           splitDepth: Bool = false, threads: Int = kernelThreads) {
    let m = a.rows, k = a.depth
    if m == 0 || n == 0 || k == 0 { return }
    if !splitDepth {
        // Whole 48-column panels per thread, as evenly as possible.
        let panels = (n + kernelColumns - 1) / kernelColumns
        let workers = min(threads, panels)
        DispatchQueue.concurrentPerform(iterations: workers) { t in
            let start = panels * t / workers * kernelColumns
            let end = min(n, panels * (t + 1) / workers * kernelColumns)
            if start < end {
                multiplyBlock(a: a, b: b, c: c, ldc: ldc, columnStart: start, columnEnd: end, depthStart: 0, depthEnd: k)
            }
        }
        return
    }
    let workers = min(threads, (k + depthBlock - 1) / depthBlock)
    let partials = UnsafeMutablePointer<Float>.allocate(capacity: workers * m * n)
    partials.initialize(repeating: 0, count: workers * m * n)
    defer { partials.deallocate() }
    DispatchQueue.concurrentPerform(iterations: workers) { t in
        let start = k * t / workers, end = k * (t + 1) / workers
        multiplyBlock(a: a, b: b, c: partials + t * m * n, ldc: n, columnStart: 0, columnEnd: n, depthStart: start, depthEnd: end)
    }
    for t in 0..<workers {
        for i in 0..<m {
            for j in 0..<n { c[i * ldc + j] += partials[t * m * n + i * n + j] }
        }
    }
}
