// The Gram matrix: the style representation of Gatys et al. For feature maps F of one layer,
// reshaped to C rows of H*W values, G = F F^T / (C H W). Entry G[i][j] is how much feature
// maps i and j are active together, summed over all positions, so it keeps which features
// co-occur and forgets where they occur. The normalisation by C H W is neural-style's (see
// docs/DESIGN.md). The fast twin, on channels-last maps, is GramMatrixKernel.swift in Kernels.
import Tensors

/// features (C, H, W) -> Gram matrix (C, C).
public func gramMatrixForward(_ features: Tensor) -> Tensor {
    let c = features.shape[0], n = features.shape[1] * features.shape[2]
    let scale = 1 / Float(c * n)
    var gram = Tensor(shape: [c, c])
    for i in 0..<c {
        for j in 0..<c {
            var sum: Float = 0
            for p in 0..<n { sum += features.data[i * n + p] * features.data[j * n + p] }
            gram[i, j] = sum * scale
        }
    }
    return gram
}

/// G depends on F twice (row i and row j), so dL/dF = (dL/dG + dL/dG^T) F / (C H W).
public func gramMatrixBackward(dGram: Tensor, features: Tensor) -> Tensor {
    let c = features.shape[0], n = features.shape[1] * features.shape[2]
    let scale = 1 / Float(c * n)
    var dFeatures = Tensor(shape: features.shape)
    for i in 0..<c {
        for j in 0..<c {
            let s = (dGram[i, j] + dGram[j, i]) * scale
            for p in 0..<n { dFeatures.data[i * n + p] += s * features.data[j * n + p] }
        }
    }
    return dFeatures
}
