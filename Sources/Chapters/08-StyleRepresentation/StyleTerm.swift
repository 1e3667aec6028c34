import Tensors

// What the style part of a loss asks of one layer: compare the picture's feature maps there with
// the style's, and say how the comparison changes with the maps. Chapter 8 compares one Gram
// matrix per layer (`GramMatrixTerm`); chapter 10's spatial control compares one per region of
// the picture (`RegionStyleTerm`), and plugs into the same losses through this protocol.

/// The style term of a loss at one layer.
public protocol StyleTerm {
    /// The term at `layer`, given the picture's feature maps there (C, H, W) and the layer's
    /// style weight, and its gradient with respect to those feature maps.
    func evaluate(features: Tensor, layer: String, weight: Float) -> (loss: Double, gradient: Tensor)
}

/// Chapter 8's style term: at each layer, E_l = weight * mean((G_l - A_l)^2) against one target
/// Gram matrix A_l (StyleLoss.swift).
public struct GramMatrixTerm: StyleTerm, Sendable {
    /// A_l for each style layer.
    public var targets: [String: Tensor]

    /// The term against these target Gram matrices, one per style layer.
    public init(targets: [String: Tensor]) { self.targets = targets }

    /// E_l at `layer` and its gradient with respect to the feature maps.
    public func evaluate(features: Tensor, layer: String, weight: Float) -> (loss: Double, gradient: Tensor) {
        guard let target = targets[layer] else { preconditionFailure("no target Gram matrix at \(layer)") }
        return (styleLossForward(features: features, target: target, weight: weight),
                styleLossBackward(features: features, target: target, weight: weight))
    }
}
