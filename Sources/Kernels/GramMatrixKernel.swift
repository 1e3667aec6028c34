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

/// dL/dF = F (dL/dG + dL/dG^T) / (C H W), as one matrix product (positions x channels).
public func gramMatrixBackward(dGram: Tensor, features: ChannelsLastMaps, kernel: MicroKernelShape = .selected) -> ChannelsLastMaps {
    let c = features.channels, n = features.height * features.width
    let scale = 1 / Float(c * n)
    var symmetric = [Float](repeating: 0, count: c * c)
    dGram.data.withUnsafeBufferPointer { d in
        for i in 0..<c {
            for j in 0..<c { symmetric[i * c + j] = (d[i * c + j] + d[j * c + i]) * scale }
        }
    }
    var dFeatures = ChannelsLastMaps(uninitializedHeight: features.height, width: features.width, channels: c)
    features.data.withUnsafeBufferPointer { f in
        symmetric.withUnsafeBufferPointer { s in
            dFeatures.data.withUnsafeMutableBufferPointer { d in
                matrixMultiply(rows: n, columns: c, depth: c, a: StridedMatrix(base: f.baseAddress!, rowStride: c),
                               b: s.baseAddress!, ldb: c, c: d.baseAddress!, ldc: c, overwrite: true, kernel: kernel)
            }
        }
    }
    return dFeatures
}
