import Tensors

// Chapter 7, the content loss of one layer: how far the image's feature maps F are from P, the
// content photo's feature maps at the same layer, as
//
//     L_content = content_weight * mean((F_l - P_l)^2)      (the mean over all C x H x W values)
//
// Gatys et al. write it as a half sum of squares; neural-style's mean (used here, see
// docs/DESIGN.md) only rescales the weight.

/// features and target (C, H, W) -> the weighted content loss of one layer.
public func contentLossForward(features: Tensor, target: Tensor, weight: Float) -> Double {
    Double(weight) * meanSquaredErrorForward(features, target: target)
}

/// dL/dFeatures = content_weight * 2 (F - P) / N.
public func contentLossBackward(features: Tensor, target: Tensor, weight: Float) -> Tensor {
    meanSquaredErrorBackward(features, target: target, dLoss: weight)
}
