import Tensors
import VGG
import Optimisers

// The loss chapter 8's textures descend: images "constructed to match the style representation"
// of a painting (the article), with no content at all. Forward through the plain network, the
// style term of each chosen layer, and its gradient passed back to the pixels. The engine's
// `FastTextureSynthesisLoss` computes the same on the fast network; its tests compare the two.

/// The style terms of `layers` alone, and their gradient with respect to the image.
public struct TextureSynthesisLoss: ImageLoss {
    /// The network whose Gram matrices are matched.
    public var network: VGG
    /// The style layers whose terms are summed.
    public var layers: [String]
    /// How each layer's features are compared with the style's (one Gram matrix per layer).
    public var style: any StyleTerm
    /// style_weight, and how it is shared between the layers.
    public var weight: Float
    /// How the layers' terms weigh against each other.
    public var layerWeighting: StyleLayerWeighting

    /// The loss for a texture like `style` (3, H, W, preprocessed) on `layers`.
    public init(network: VGG, style: Tensor, layers: [String], weight: Float = 1, layerWeighting: StyleLayerWeighting = .equal) {
        self.network = network
        self.layers = layers
        self.style = GramMatrixTerm(targets: StyleRepresentation.of(style, network: network, layers: layers))
        self.weight = weight
        self.layerWeighting = layerWeighting
    }

    /// The loss at `image` (3, H, W, preprocessed), as its style part, and its gradient.
    public func evaluate(_ image: Tensor) -> (parts: LossParts, gradient: Tensor) {
        let outputs = network.forward(image, through: network.architecture.deepest(of: layers))
        var parts = LossParts()
        var gradients: [Int: Tensor] = [:]
        for layer in layers {
            let index = network.layerIndex(layer)!, features = outputs[index]
            let (loss, gradient) = style.evaluate(features: features, layer: layer,
                                                  weight: weight * layerWeighting.factor(maps: features.shape[0]))
            parts.style += loss
            gradients[index] = gradient
        }
        return (parts, network.backward(image: image, outputs: outputs, gradients: gradients))
    }
}
