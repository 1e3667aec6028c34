import Tensors
import Kernels
import VGG
import FastNetwork
import Optimisers
import StyleRepresentation

// The fast twin of chapter 8's `TextureSynthesisLoss` (Sources/Chapters/08-StyleRepresentation):
// the Gram-matrix style terms of FastGramMatrixTerm.swift alone, on the fast network.

/// The fast twin of the chapter's `TextureSynthesisLoss`: the style terms of `layers` alone (no
/// content), and the gradient with respect to the image.
public struct FastTextureSynthesisLoss: ImageLoss {
    public var network: FastVGG
    public var layers: [String]
    public var targets: [String: Tensor]
    /// style_weight, and how it is shared between the layers.
    public var weight: Float
    public var layerWeighting: StyleLayerWeighting

    /// The loss for a texture like `style` (3, H, W, preprocessed) on `layers`.
    public init(network: FastVGG, style: Tensor, layers: [String], weight: Float = 1, layerWeighting: StyleLayerWeighting = .equal) {
        self.network = network
        self.layers = layers
        self.targets = StyleRepresentation.targets(network: network, styles: [style], blend: [1], layers: layers)
        self.weight = weight
        self.layerWeighting = layerWeighting
    }

    /// The loss at `image` (3, H, W, preprocessed), as its style part, and its gradient.
    public func evaluate(_ image: Tensor) -> (parts: LossParts, gradient: Tensor) {
        let activations = network.forward(image, through: network.network.architecture.deepest(of: layers), keeping: Set(layers))
        var parts = LossParts()
        var gradients: [String: ChannelsLastMaps] = [:]
        var factors: [String: GramGradientFactor] = [:]
        for layer in layers {
            let features = activations[layer]!
            let (loss, factor) = styleTerm(features: features, target: targets[layer]!,
                                           weight: weight * layerWeighting.factor(maps: features.channels), times: network.stageTimes)
            parts.style += loss
            factors[layer] = factor
        }
        return (parts, network.backward(activations, gradients: &gradients, gramGradients: &factors))
    }
}
