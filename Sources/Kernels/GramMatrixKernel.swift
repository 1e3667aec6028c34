// The Gram matrix of channels-last feature maps, as one matrix product. The plain twin, which
// reads like the definition, is `gramMatrixForward`/`gramMatrixBackward` in the module
// StyleRepresentation; tests check that they agree.
import Tensors

/// G = F^T F / (C H W) for channels-last F (positions x channels): the same matrix as
/// `gramMatrixForward` on the (C, H, W) tensor. The positions are split between threads.
public func gramMatrix(_ features: ChannelsLastMaps) -> Tensor {
    let c = features.channels, n = features.height * features.width
    var gram = Tensor(shape: [c, c])
    features.data.withUnsafeBufferPointer { f in
        gram.data.withUnsafeMutableBufferPointer { g in
            // A = F^T: row i is channel i, read down the positions (stride C).
            matrixMultiply(rows: c, columns: c, depth: n, a: StridedMatrix(base: f.baseAddress!, rowStride: 1, depthStride: c),
                           b: f.baseAddress!, ldb: c, c: g.baseAddress!, ldc: c, splitDepth: true)
        }
    }
    let scale = 1 / Float(c * n)
    for i in 0..<gram.count { gram.data[i] *= scale }
    return gram
}

/// dL/dF = F (dL/dG + dL/dG^T) / (C H W), as one matrix product (positions x channels).
public func gramMatrixBackward(dGram: Tensor, features: ChannelsLastMaps) -> ChannelsLastMaps {
    let c = features.channels, n = features.height * features.width
    let scale = 1 / Float(c * n)
    var symmetric = [Float](repeating: 0, count: c * c)
    for i in 0..<c {
        for j in 0..<c { symmetric[i * c + j] = (dGram[i, j] + dGram[j, i]) * scale }
    }
    var dFeatures = ChannelsLastMaps(uninitializedHeight: features.height, width: features.width, channels: c)
    features.data.withUnsafeBufferPointer { f in
        symmetric.withUnsafeBufferPointer { s in
            dFeatures.data.withUnsafeMutableBufferPointer { d in
                matrixMultiply(rows: n, columns: c, depth: c, a: StridedMatrix(base: f.baseAddress!, rowStride: c),
                               b: s.baseAddress!, ldb: c, c: d.baseAddress!, ldc: c, overwrite: true)
            }
        }
    }
    return dFeatures
}
