import Tensors
import Kernels
import VGG
import FastNetwork
import Optimisers
import ContentRepresentation

// The fast twins of chapter 7's pieces (Sources/Chapters/07-ContentRepresentation): the content
// loss of ContentLoss.swift on the feature maps the fast network computes (channels-last), and
// `FastContentReconstructionLoss`, the twin of the chapter's `ContentReconstructionLoss`. The
// fast style-transfer loss uses the same pieces.

extension ContentRepresentation {
    /// P_l for each content layer: the content photo's feature maps, as the fast network computes them.
    public static func targets(network: FastVGG, content: Tensor, layers: [String]) -> [String: ChannelsLastMaps] {
        guard !layers.isEmpty else { return [:] }
        let activations = network.forward(content, through: network.network.architecture.deepest(of: layers), keeping: Set(layers))
        var targets: [String: ChannelsLastMaps] = [:]
        for layer in layers { targets[layer] = activations[layer]! }
        return targets
    }
}

/// One layer's content term, content_weight * mean((F - P)^2), and its gradient at F, in one
/// pass. The mean over all C x H x W values does not depend on their order, so the
/// channels-last data are used as they are.
public func contentTerm(features: ChannelsLastMaps, target: ChannelsLastMaps, weight: Float) -> (loss: Double, gradient: ChannelsLastMaps) {
    precondition(features.data.count == target.data.count, "the features and the target have the same shape")
    let (loss, gradient) = meanSquaredErrorAndGradient(features.data, target: target.data, dLoss: weight)
    return (Double(weight) * loss,
            ChannelsLastMaps(height: features.height, width: features.width, channels: features.channels, data: gradient))
}

/// The fast twin of the chapter's `ContentReconstructionLoss`: the content terms of `layers`
/// alone, and the gradient with respect to the image.
public struct FastContentReconstructionLoss: ImageLoss {
    public var network: FastVGG
    public var layers: [String]
    public var targets: [String: ChannelsLastMaps]
    public var weight: Float

    /// The loss for reconstructing `content` (3, H, W, preprocessed) from its feature maps at `layers`.
    public init(network: FastVGG, content: Tensor, layers: [String], weight: Float = 1) {
        self.network = network
        self.layers = layers
        self.targets = ContentRepresentation.targets(network: network, content: content, layers: layers)
        self.weight = weight
    }

    /// The loss at `image` (3, H, W, preprocessed), as its content part, and its gradient.
    public func evaluate(_ image: Tensor) -> (parts: LossParts, gradient: Tensor) {
        let activations = network.forward(image, through: network.network.architecture.deepest(of: layers), keeping: Set(layers))
        var parts = LossParts()
        var gradients: [String: ChannelsLastMaps] = [:]
        for layer in layers {
            let (loss, gradient) = contentTerm(features: activations[layer]!, target: targets[layer]!, weight: weight)
            parts.content += loss
            gradients[layer] = gradient
        }
        return (parts, network.backward(activations, gradients: &gradients))
    }
}
