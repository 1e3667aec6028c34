import Parallel
import Dispatch

// Matrix multiplication, C += A B, the work behind every fast convolution and Gram matrix.
//
// `matrixMultiplyNaive` is the definition. `matrixMultiply` computes the same thing fast, in the
// way of Goto and van de Geijn's "Anatomy of High-Performance Matrix Multiplication":
//  - B is copied into panels of 64 columns and `depthBlock` rows (32 KB), which stay in the
//    level-1 cache while the micro-kernel (GEMMKernel.swift) sweeps every 6 rows of A past them;
//  - A is read in place through its strides, so a convolution's transformed input or a layer's
//    feature maps are used without another copy;
//  - with several threads, the rows of C are shared out, in runs taken by whichever thread is
//    free. (The Gram matrix, where C is small and the shared dimension huge, shares out the
//    depth instead: GramMatrixKernel.swift.)

/// A matrix read in place: element (row, p) is `base[row * rowStride + p * depthStride]`.
public struct StridedMatrix {
    public var base: UnsafePointer<Float>
    public var rowStride: Int
    public var depthStride: Int
    public init(base: UnsafePointer<Float>, rowStride: Int, depthStride: Int = 1) {
        self.base = base
        self.rowStride = rowStride
        self.depthStride = depthStride
    }
    @inline(__always) public func element(_ row: Int, _ p: Int) -> Float { base[row * rowStride + p * depthStride] }
}

/// The definition: C[i][j] += sum over p of A[i][p] * B[p][j], for an M x K A, a K x N row-major
/// B (row stride `ldb`) and an M x N row-major C (row stride `ldc`).
public func matrixMultiplyNaive(rows m: Int, columns n: Int, depth k: Int, a: StridedMatrix,
                                b: UnsafePointer<Float>, ldb: Int, c: UnsafeMutablePointer<Float>, ldc: Int) {
    for i in 0..<m {
        for j in 0..<n {
            var sum: Float = 0
            for p in 0..<k { sum += a.element(i, p) * b[p * ldb + j] }
            c[i * ldc + j] += sum
        }
    }
}

/// Depth (K) per packed block of B: 128 rows of 64 floats, 32 KB of a 48 KB L1 cache.
let depthBlock = 128

/// Copies B[k0..<k0+kc][n0..<n0+width] into `panel` as kc rows of 64, zero-filling the columns
/// past `width`.
@inline(__always)
func packPanel(_ b: UnsafePointer<Float>, ldb: Int, k0: Int, kc: Int, n0: Int, width: Int, into panel: UnsafeMutablePointer<Float>) {
    for p in 0..<kc {
        let source = b + (k0 + p) * ldb + n0
        let destination = panel + p * panelWidth
        if width == panelWidth {
            for v in 0..<4 {
                UnsafeMutableRawPointer(destination + 16 * v).storeBytes(
                    of: UnsafeRawPointer(source + 16 * v).loadUnaligned(as: SIMD16<Float>.self), as: SIMD16<Float>.self)
            }
        } else {
            for j in 0..<width { destination[j] = source[j] }
            for j in width..<panelWidth { destination[j] = 0 }
        }
    }
}

/// B copied once into the layout `multiplyBlock` reads: panels of 64 columns (the last one
/// zero-filled), each panel's K rows of 64 one after another. For a B used many times (a layer's
/// transformed kernels), packing it once saves copying it again at every call.
public func packColumnPanels(_ b: UnsafePointer<Float>, ldb: Int, depth k: Int, columns n: Int) -> [Float] {
    let panels = (n + panelWidth - 1) / panelWidth
    var packed = [Float](repeating: 0, count: panels * k * panelWidth)
    packed.withUnsafeMutableBufferPointer { out in
        for p in 0..<panels {
            packPanel(b, ldb: ldb, k0: 0, kc: k, n0: p * panelWidth, width: min(panelWidth, n - p * panelWidth),
                      into: out.baseAddress! + p * k * panelWidth)
        }
    }
    return packed
}

/// The single-threaded heart of `matrixMultiply`: C[rows][0..<N] += A[rows][depths] B[depths][0..<N]
/// for the rows [rowStart, rowEnd) and the depths [depthStart, depthEnd). With `overwrite`,
/// C = A B: the first block of the depth stores instead of adding, so C may hold anything.
/// B is either row-major (`b`, `ldb`) and packed here block by block, or `packedB`, made by
/// `packColumnPanels` for a K of `packedDepth`. `kernel` is the micro-kernel's shape: a 64-column
/// one takes each panel whole, a 16-column one in four slices.
public func multiplyBlock(a: StridedMatrix, b: UnsafePointer<Float>?, ldb: Int, columns n: Int,
                          c: UnsafeMutablePointer<Float>, ldc: Int,
                          rowStart: Int, rowEnd: Int, depthStart: Int, depthEnd: Int, overwrite: Bool = false,
                          packedB: UnsafePointer<Float>? = nil, packedDepth: Int = 0, kernel: MicroKernelShape = .selected) {
    let scratchPanel = UnsafeMutablePointer<Float>.allocate(capacity: depthBlock * panelWidth)
    let tile = UnsafeMutablePointer<Float>.allocate(capacity: kernelRows * panelWidth)
    let edgeRows = UnsafeMutablePointer<Float>.allocate(capacity: kernelRows * depthBlock)
    defer { scratchPanel.deallocate(); tile.deallocate(); edgeRows.deallocate() }
    let columns = kernel.columns
    var n0 = 0
    while n0 < n {
        let width = min(panelWidth, n - n0)
        var k0 = depthStart
        while k0 < depthEnd {
            let kc = min(depthBlock, depthEnd - k0)
            let panel: UnsafePointer<Float>
            if let packedB {
                panel = packedB + ((n0 / panelWidth) * packedDepth + k0) * panelWidth
            } else if ldb == panelWidth && width == panelWidth {
                // Rows of exactly 64 floats, one after another, are already a packed panel.
                panel = b! + k0 * panelWidth
            } else {
                packPanel(b!, ldb: ldb, k0: k0, kc: kc, n0: n0, width: width, into: scratchPanel)
                panel = UnsafePointer(scratchPanel)
            }
            let first = overwrite && k0 == depthStart
            var m0 = rowStart
            while m0 < rowEnd {
                let height = min(kernelRows, rowEnd - m0)
                var source = a.base + m0 * a.rowStride + k0 * a.depthStride, rowStride = a.rowStride, depthStride = a.depthStride
                if height < kernelRows {
                    // The last rows: missing rows of A are zero rows in a small copy.
                    edgeRows.initialize(repeating: 0, count: kernelRows * kc)
                    for r in 0..<height {
                        for q in 0..<kc { edgeRows[r * kc + q] = source[r * a.rowStride + q * a.depthStride] }
                    }
                    source = UnsafePointer(edgeRows)
                    rowStride = kc
                    depthStride = 1
                }
                var j0 = 0
                while j0 < width {
                    let target = c + m0 * ldc + n0 + j0
                    if height == kernelRows && j0 + columns <= width {
                        kernel.multiply(depth: kc, a: source, rowStride: rowStride, depthStride: depthStride,
                                        b: panel + j0, bStride: panelWidth, c: target, ldc: ldc, overwrite: first)
                    } else {
                        // An edge tile: the part of C that exists is copied into a scratch tile,
                        // the kernel adds to it as it would to C (so every element is summed in
                        // the same order wherever its row and column fall), and it is copied back.
                        let existing = min(columns, width - j0)
                        if !first {
                            tile.initialize(repeating: 0, count: kernelRows * columns)
                            for r in 0..<height {
                                for j in 0..<existing { tile[r * columns + j] = target[r * ldc + j] }
                            }
                        }
                        kernel.multiply(depth: kc, a: source, rowStride: rowStride, depthStride: depthStride,
                                        b: panel + j0, bStride: panelWidth, c: tile, ldc: columns, overwrite: first)
                        for r in 0..<height {
                            for j in 0..<existing { target[r * ldc + j] = tile[r * columns + j] }
                        }
                    }
                    j0 += columns
                }
                m0 += height
            }
            k0 += kc
        }
        n0 += width
    }
}

/// C += A B, fast. A is M x K (read in place), B is K x N row-major, C is M x N row-major.
/// With `overwrite`, C = A B and may hold anything beforehand.
public func matrixMultiply(rows m: Int, columns n: Int, depth k: Int, a: StridedMatrix,
                           b: UnsafePointer<Float>, ldb: Int, c: UnsafeMutablePointer<Float>, ldc: Int,
                           overwrite: Bool = false, threads: Int = kernelThreads, kernel: MicroKernelShape = .selected) {
    if m == 0 || n == 0 || k == 0 { return }
    // B packed once for all threads; each thread's rows are taken a chunk at a time, the
    // chunk's rows of A and of C small enough (about 256 KB together) to stay in the
    // level-2 cache while every panel of B passes by.
    let packed = packColumnPanels(b, ldb: ldb, depth: k, columns: n)
    let chunkRows = max(kernelRows, min(1020, (1 << 16) / (k + n)) / kernelRows * kernelRows)
    let blocks = (m + kernelRows - 1) / kernelRows
    let workers = parallelPieces(blocks, perThread: 4, threads: threads)
    packed.withUnsafeBufferPointer { packed in
        parallelFor(workers) { t in
            let start = blocks * t / workers * kernelRows
            let end = min(m, blocks * (t + 1) / workers * kernelRows)
            for chunkStart in stride(from: start, to: end, by: chunkRows) {
                multiplyBlock(a: a, b: nil, ldb: ldb, columns: n, c: c, ldc: ldc,
                              rowStart: chunkStart, rowEnd: min(end, chunkStart + chunkRows), depthStart: 0, depthEnd: k,
                              overwrite: overwrite, packedB: packed.baseAddress!, packedDepth: k, kernel: kernel)
            }
        }
    }
}
