import Tensors
import Kernels
import Optimisers

// The terms of the loss that look at the pixels themselves, not at features: chapter 9's total
// variation, and any a later chapter adds. The fast loss (FastStyleTransferLoss.swift) adds each
// one's loss to its part of `LossParts` and its gradient into the image's, whole or in tiles
// alike: they are cheap and need no network.

/// A term of the loss on the image's pixels alone.
public protocol PixelTerm: Sendable {
    /// Which part of the loss it is reported as.
    var part: WritableKeyPath<LossParts, Double> { get }
    /// The term at `image` (3, H, W, preprocessed), its gradient added into `gradient` (the image's shape).
    func evaluate(_ image: Tensor, addingGradientInto gradient: inout Tensor) -> Double
}

/// The fast twin of chapter 9's total variation (TotalVariation.swift), loss and gradient in one
/// pass (Kernels' `totalVariationAddingGradient`).
public struct FastTotalVariation: PixelTerm {
    /// tv_weight.
    public var weight: Float

    /// Total variation with this weight.
    public init(weight: Float) { self.weight = weight }

    public var part: WritableKeyPath<LossParts, Double> { \.totalVariation }

    public func evaluate(_ image: Tensor, addingGradientInto gradient: inout Tensor) -> Double {
        totalVariationAddingGradient(image.data, channels: image.shape[0], height: image.shape[1], width: image.shape[2],
                                     weight: weight, into: &gradient.data)
    }
}
