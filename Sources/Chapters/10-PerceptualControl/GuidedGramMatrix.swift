// The Gram matrix of one region of a picture: Gatys, Ecker, Bethge, Hertzmann and Shechtman,
// "Controlling Perceptual Factors in Neural Style Transfer" (2017), section 4: chapter 8's Gram
// matrix (GramMatrix.swift) restricted to a region. A guide m, one value per position of the
// layer (1 inside the region, 0 outside, between at its edges once shrunk to a deep layer's
// grid), weights every feature map before the product, so only what happens inside the region is
// counted:
//
//     G = (F o m) (F o m)^T / (C sum_p m_p^2)
//
// With m = 1 everywhere this is the Gram matrix of GramMatrix.swift (sum m^2 = H W). Dividing by
// the region's own size, sum m^2, instead of the whole picture's, makes a small region's Gram
// matrix as large as a big one's, so that a style's sky can be matched by a picture's sky of
// another size. The fast twin is `guidedGramMatrix` in Kernels (GramMatrixKernel.swift).
import Tensors

/// features (C, H, W) and a guide of H * W values -> the region's Gram matrix (C, C). The
/// guide must not vanish (sum m^2 > 0).
public func guidedGramMatrixForward(_ features: Tensor, guide: [Float]) -> Tensor {
    let c = features.shape[0], n = features.shape[1] * features.shape[2]
    precondition(guide.count == n, "one guide value per position")
    let size = guide.reduce(0) { $0 + $1 * $1 }
    precondition(size > 0, "the region vanishes at this layer")
    var gram = Tensor(shape: [c, c])
    for i in 0..<c {
        for j in 0..<c {
            var sum: Float = 0
            for p in 0..<n { sum += features.data[i * n + p] * guide[p] * features.data[j * n + p] * guide[p] }
            gram[i, j] = sum / (Float(c) * size)
        }
    }
    return gram
}

/// dL/dF = m o ((dL/dG + dL/dG^T) (F o m)) / (C sum m^2): the plain Gram matrix's gradient for the
/// guided maps F o m, passed back through the product with m.
public func guidedGramMatrixBackward(dGram: Tensor, features: Tensor, guide: [Float]) -> Tensor {
    let c = features.shape[0], n = features.shape[1] * features.shape[2]
    let size = guide.reduce(0) { $0 + $1 * $1 }
    var dFeatures = Tensor(shape: features.shape)
    for i in 0..<c {
        for j in 0..<c {
            let s = (dGram[i, j] + dGram[j, i]) / (Float(c) * size)
            for p in 0..<n { dFeatures.data[i * n + p] += s * features.data[j * n + p] * guide[p] * guide[p] }
        }
    }
    return dFeatures
}
