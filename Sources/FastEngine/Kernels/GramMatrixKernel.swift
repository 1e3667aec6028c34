// The Gram matrix of channels-last feature maps, as one matrix product. The plain twin, which
// reads like the definition, is `gramMatrixForward`/`gramMatrixBackward` in the module
// StyleRepresentation; tests check that they agree.
import Parallel
import Tensors

/// G = F^T F / (C H W) for channels-last F (positions x channels): the same matrix as
/// `gramMatrixForward` on the (C, H, W) tensor. The positions are split into parts
/// (`gramParts`, fixed by the number of positions alone, never by the threads), each summed into
/// its own copy of G by whichever thread takes it, and the copies added in order: the same bits
/// on any number of threads. G is symmetric, so only the micro-kernel blocks that reach the
/// diagonal or lie above it are multiplied, and the rest copied.
///
/// Both factors are F, read in blocks of `depthBlock` positions. For each block, the rows of
/// F^T (the channels) are first copied into panels of 6 (`kernelRows`) channels, each panel's
/// positions one after another, so that the micro-kernel reads 6 neighbouring floats per
/// position from one small contiguous panel instead of a float every C from the whole map; the
/// copy is made once per block and read by every 64-column panel of G.
public func gramMatrix(_ features: ChannelsLastMaps, kernel: MicroKernelShape = .selected) -> Tensor {
    let c = features.channels, n = features.height * features.width
    var gram = Tensor(shape: [c, c])
    if c == 0 || n == 0 { return gram }
    let workers = gramParts(positions: n)
    let partials = UnsafeMutablePointer<Float>.allocate(capacity: workers * c * c)
    partials.initialize(repeating: 0, count: workers * c * c)
    defer { partials.deallocate() }
    features.data.withUnsafeBufferPointer { f in
        parallelFor(workers) { t in
            gramUpperTriangle(f.baseAddress!, channels: c, positions: n * t / workers..<n * (t + 1) / workers,
                              into: partials + t * c * c, kernel: kernel)
        }
    }
    let scale = 1 / Float(c * n)
    gram.data.withUnsafeMutableBufferPointer { g in
        for i in 0..<c {
            for j in i..<c {
                var sum: Float = 0
                for t in 0..<workers { sum += partials[t * c * c + i * c + j] }
                g[i * c + j] = sum * scale
                g[j * c + i] = sum * scale
            }
        }
    }
    return gram
}

/// The parts a Gram matrix's positions are summed in: one per block of `depthBlock` positions,
/// at most `maxGramParts`. A function of the size alone, so that how the sum is cut, and so its
/// rounding, is the same whatever the number of threads.
func gramParts(positions n: Int) -> Int { max(1, min(maxGramParts, (n + depthBlock - 1) / depthBlock)) }

/// Enough parts for 8 threads to share a large map; each part holds a C x C matrix of its own.
let maxGramParts = 8

/// One part's share of the Gram matrix: g[i][j] += sum over the positions p of F[p][i] F[p][j],
/// at least for j >= i (entries below the diagonal may hold partial sums or nothing).
func gramUpperTriangle(_ f: UnsafePointer<Float>, channels c: Int, positions: Range<Int>,
                       into g: UnsafeMutablePointer<Float>, kernel: MicroKernelShape) {
    let rowPanels = (c + kernelRows - 1) / kernelRows
    let columns = kernel.columns
    let packedRows = UnsafeMutablePointer<Float>.allocate(capacity: rowPanels * depthBlock * kernelRows + 8)
    let columnPanel = UnsafeMutablePointer<Float>.allocate(capacity: depthBlock * panelWidth)
    let tile = UnsafeMutablePointer<Float>.allocate(capacity: kernelRows * panelWidth)
    defer { packedRows.deallocate(); columnPanel.deallocate(); tile.deallocate() }
    var k0 = positions.lowerBound
    while k0 < positions.upperBound {
        let kc = min(depthBlock, positions.upperBound - k0)
        // The rows of F^T for these positions, 6 channels at a time (missing channels zero).
        for r in 0..<rowPanels {
            let panel = packedRows + r * kc * kernelRows
            let first = r * kernelRows, count = min(kernelRows, c - first)
            if first + 8 <= c {
                // 8 floats copied where 6 are wanted: the 2 extra are overwritten by the next
                // position's copy, or land in the slack after the last panel.
                for q in 0..<kc {
                    UnsafeMutableRawPointer(panel + q * kernelRows).storeBytes(
                        of: UnsafeRawPointer(f + (k0 + q) * c + first).loadUnaligned(as: SIMD8<Float>.self), as: SIMD8<Float>.self)
                }
            } else {
                for q in 0..<kc {
                    let source = f + (k0 + q) * c + first
                    for i in 0..<count { panel[q * kernelRows + i] = source[i] }
                    for i in count..<kernelRows { panel[q * kernelRows + i] = 0 }
                }
            }
        }
        var n0 = 0
        while n0 < c {
            let width = min(panelWidth, c - n0)
            let b: UnsafePointer<Float>
            if c == panelWidth {
                b = f + k0 * c   // rows of exactly 64 channels are a packed panel already
            } else {
                packPanel(f, ldb: c, k0: k0, kc: kc, n0: n0, width: width, into: columnPanel)
                b = UnsafePointer(columnPanel)
            }
            // Only the row panels that reach this column panel's last column.
            for r in 0..<min(rowPanels, (n0 + width + kernelRows - 1) / kernelRows) {
                let m0 = r * kernelRows, height = min(kernelRows, c - m0)
                let a = UnsafePointer(packedRows + r * kc * kernelRows)
                var j0 = max(0, (m0 - n0) / columns * columns)
                while j0 < width {
                    let target = g + m0 * c + n0 + j0
                    if height == kernelRows && j0 + columns <= width {
                        kernel.multiply(depth: kc, a: a, rowStride: 1, depthStride: kernelRows,
                                        b: b + j0, bStride: panelWidth, c: target, ldc: c, overwrite: false)
                    } else {
                        kernel.multiply(depth: kc, a: a, rowStride: 1, depthStride: kernelRows,
                                        b: b + j0, bStride: panelWidth, c: tile, ldc: columns, overwrite: true)
                        for i in 0..<height {
                            for j in 0..<min(columns, width - j0) { target[i * c + j] += tile[i * columns + j] }
                        }
                    }
                    j0 += columns
                }
            }
            n0 += width
        }
        k0 += kc
    }
}

/// The Gram matrix's gradient as the one matrix it multiplies: dL/dF = F S, with
/// S = (dL/dG + dL/dG^T) / (C H W). Kept as S, the product can be taken where F is read
/// anyway: inside the input gradient of the convolution above the layer
/// (`WinogradConvolution3x3.backwardInput(addingFeaturesTimes:)`), while F's rows are in cache,
/// instead of in a pass of its own that writes a whole map and reads it back.
public struct GramGradientFactor: Sendable {
    /// C, the number of feature maps.
    public let channels: Int
    /// S, C x C row-major.
    public let matrix: [Float]
    /// S in the panels the micro-kernels read (`packColumnPanels`), for the fused product.
    let packed: [Float]

    /// S for dL/dG over the features of a layer with `positions` (H W) positions.
    public init(dGram: Tensor, positions: Int) {
        self.init(dGram: dGram, size: Float(positions))
    }

    /// S for a Gram matrix normalised by C times `size` (H W, or a region's sum of squared
    /// guide values).
    public init(dGram: Tensor, size: Float) {
        let c = dGram.shape[0]
        precondition(dGram.shape == [c, c], "dL/dG is C x C")
        let scale = 1 / (Float(c) * size)
        var symmetric = [Float](repeating: 0, count: c * c)
        dGram.data.withUnsafeBufferPointer { d in
            for i in 0..<c {
                for j in 0..<c { symmetric[i * c + j] = (d[i * c + j] + d[j * c + i]) * scale }
            }
        }
        channels = c
        matrix = symmetric
        packed = symmetric.withUnsafeBufferPointer { packColumnPanels($0.baseAddress!, ldb: c, depth: c, columns: c) }
    }

    /// F S, the gradient at the features itself (positions x channels).
    public func applied(to features: ChannelsLastMaps, kernel: MicroKernelShape = .selected) -> ChannelsLastMaps {
        let c = features.channels, n = features.height * features.width
        precondition(c == channels, "S is \(channels) x \(channels); the features have \(c) channels")
        var dFeatures = ChannelsLastMaps(uninitializedHeight: features.height, width: features.width, channels: c)
        features.data.withUnsafeBufferPointer { f in
            matrix.withUnsafeBufferPointer { s in
                dFeatures.data.withUnsafeMutableBufferPointer { d in
                    matrixMultiply(rows: n, columns: c, depth: c, a: StridedMatrix(base: f.baseAddress!, rowStride: c),
                                   b: s.baseAddress!, ldb: c, c: d.baseAddress!, ldc: c, overwrite: true, kernel: kernel)
                }
            }
        }
        return dFeatures
    }
}

/// dL/dF = F (dL/dG + dL/dG^T) / (C H W), as one matrix product (positions x channels).
public func gramMatrixBackward(dGram: Tensor, features: ChannelsLastMaps, kernel: MicroKernelShape = .selected) -> ChannelsLastMaps {
    GramGradientFactor(dGram: dGram, positions: features.height * features.width).applied(to: features, kernel: kernel)
}

// ---- Guided Gram matrices (GuidedGramMatrix.swift in StyleRepresentation is the plain twin).

/// F o m: each position's channels times the guide's value there.
public func guided(_ features: ChannelsLastMaps, by guide: [Float]) -> ChannelsLastMaps {
    let c = features.channels, n = features.height * features.width
    precondition(guide.count == n, "one guide value per position")
    var result = features
    result.data.withUnsafeMutableBufferPointer { d in
        for p in 0..<n where guide[p] != 1 {
            for k in 0..<c { d[p * c + k] *= guide[p] }
        }
    }
    return result
}

/// A region's Gram matrix, (F o m)(F o m)^T / (C sum m^2), as one matrix product.
public func guidedGramMatrix(_ features: ChannelsLastMaps, guide: [Float], kernel: MicroKernelShape = .selected) -> Tensor {
    let size = guide.reduce(0) { $0 + $1 * $1 }
    precondition(size > 0, "the guide vanishes at this layer")
    var gram = gramMatrix(guided(features, by: guide), kernel: kernel)
    let rescale = Float(features.height * features.width) / size   // from / (C H W) to / (C sum m^2)
    for i in gram.data.indices { gram.data[i] *= rescale }
    return gram
}

/// Its gradient: m o ((F o m) S), S = (dL/dG + dL/dG^T) / (C sum m^2).
public func guidedGramMatrixBackward(dGram: Tensor, features: ChannelsLastMaps, guide: [Float],
                                     kernel: MicroKernelShape = .selected) -> ChannelsLastMaps {
    let factor = GramGradientFactor(dGram: dGram, size: guide.reduce(0) { $0 + $1 * $1 })
    return guided(factor.applied(to: guided(features, by: guide), kernel: kernel), by: guide)
}
