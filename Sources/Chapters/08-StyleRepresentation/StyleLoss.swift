import Tensors

// Chapter 8, the style loss of one layer: how far the Gram matrix G of the image's feature maps
// is from A, the Gram matrix of the style image's, as
//
//     E_l = style_weight * mean((G_l - A_l)^2)        (the mean over the C_l x C_l entries)
//
// Gatys et al. sum such terms over several layers, shallow to deep (relu1_1 ... relu5_1): the
// shallow ones hold colours and fine texture, the deep ones larger patterns.

/// features (C, H, W), target Gram (C, C) -> the weighted style loss of one layer.
public func styleLossForward(features: Tensor, target: Tensor, weight: Float) -> Double {
    Double(weight) * meanSquaredErrorForward(gramMatrixForward(features), target: target)
}

/// dE/dFeatures: the loss's gradient with respect to the Gram matrix, passed back through it.
public func styleLossBackward(features: Tensor, target: Tensor, weight: Float) -> Tensor {
    let dGram = meanSquaredErrorBackward(gramMatrixForward(features), target: target, dLoss: weight)
    return gramMatrixBackward(dGram: dGram, features: features)
}
