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
        let c = dGram.shape[0]
        precondition(dGram.shape == [c, c], "dL/dG is C x C")
        let scale = 1 / Float(c * positions)
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
