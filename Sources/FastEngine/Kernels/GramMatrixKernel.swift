// The Gram matrix of channels-last feature maps, as one matrix product. The plain twin, which
// reads like the definition, is `gramMatrixForward`/`gramMatrixBackward` in the module
// StyleRepresentation; tests check that they agree.
import Tensors

/// G = F^T F / (C H W) for channels-last F (positions x channels): the same matrix as
/// `gramMatrixForward` on the (C, H, W) tensor. The positions are split between threads. G is
/// symmetric, so only the blocks on and above its diagonal are multiplied, and the rest copied.
public func gramMatrix(_ features: ChannelsLastMaps, kernel: MicroKernelShape = .selected) -> Tensor {
    let c = features.channels, n = features.height * features.width
    var gram = Tensor(shape: [c, c])
    features.data.withUnsafeBufferPointer { f in
        gram.data.withUnsafeMutableBufferPointer { g in
            // A = F^T: row i is channel i, read down the positions (stride C).
            matrixMultiply(rows: c, columns: c, depth: n, a: StridedMatrix(base: f.baseAddress!, rowStride: 1, depthStride: c),
                           b: f.baseAddress!, ldb: c, c: g.baseAddress!, ldc: c, splitDepth: true,
                           kernel: kernel, upperTriangle: true)
            let scale = 1 / Float(c * n)
            for i in 0..<c {
                for j in i..<c {
                    let value = g[i * c + j] * scale
                    g[i * c + j] = value
                    g[j * c + i] = value
                }
            }
        }
    }
    return gram
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
    precondition(size > 0, "the region vanishes at this layer")
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
