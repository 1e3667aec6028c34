import Tensors
import VGG
import Optimisers

// The loss chapter 7's reconstructions descend: "images whose feature maps at a chosen
// convolution layer match the corresponding feature maps of a given content image" (the
// article). Forward through the plain network, the content loss of ContentLoss.swift at each
// chosen layer, and its gradient passed back to the pixels. The engine's
// `FastContentReconstructionLoss` computes the same on the fast network; its tests compare the two.

/// The content terms of `layers` alone, and their gradient with respect to the image.
public struct ContentReconstructionLoss: ImageLoss {
    /// The network whose feature maps are compared.
    public var network: VGG
    /// The layers whose content terms are summed.
    public var layers: [String]
    /// P_l, the content image's feature maps (C, H, W) at each layer.
    public var targets: [String: Tensor]
    /// The content weight of each layer's term.
    public var weight: Float

    /// The loss for reconstructing `content` (3, H, W, preprocessed) from its feature maps at `layers`.
    public init(network: VGG, content: Tensor, layers: [String], weight: Float = 1) {
        self.network = network
        self.layers = layers
        self.weight = weight
        let outputs = network.forward(content, through: network.architecture.deepest(of: layers))
        targets = Dictionary(uniqueKeysWithValues: layers.map { ($0, outputs[network.layerIndex($0)!]) })
    }

    /// The loss at `image` (3, H, W, preprocessed), as its content part, and its gradient.
    public func evaluate(_ image: Tensor) -> (parts: LossParts, gradient: Tensor) {
        let outputs = network.forward(image, through: network.architecture.deepest(of: layers))
        var parts = LossParts()
        var gradients: [Int: Tensor] = [:]
        for layer in layers {
            let index = network.layerIndex(layer)!
            parts.content += contentLossForward(features: outputs[index], target: targets[layer]!, weight: weight)
            gradients[index] = contentLossBackward(features: outputs[index], target: targets[layer]!, weight: weight)
        }
        return (parts, network.backward(image: image, outputs: outputs, gradients: gradients))
    }
}
