import Tensors
import Kernels
import VGG
import FastNetwork
import Optimisers
import StyleRepresentation
import PerceptualControl

// The fast twins of chapter 8's pieces (Sources/Chapters/08-StyleRepresentation): the style loss
// of StyleLoss.swift with the Gram matrix as a matrix product on the fast network's
// channels-last maps, and `FastTextureSynthesisLoss`, the twin of the chapter's
// `TextureSynthesisLoss`. The fast style-transfer loss uses the same pieces.

extension StyleRepresentation {
    /// A_l for each style layer: the Gram matrices of the style images' feature maps, blended with
    /// weights that are normalised to sum to 1. A layer named in `sources` (scale control, chapter
    /// 10) takes its target from that one style image alone instead of the blend.
    public static func targets(network: FastVGG, styles: [Tensor], blend: [Float], layers: [String],
                               sources: [String: Int] = [:]) -> [String: Tensor] {
        guard !styles.isEmpty, !layers.isEmpty else { return [:] }
        return targets(grams: styles.map { gramMatrices(network: network, image: $0, layers: layers) }, blend: blend, sources: sources)
    }

    /// One image's Gram matrices at `layers`, on the fast network.
    public static func gramMatrices(network: FastVGG, image: Tensor, layers: [String]) -> [String: Tensor] {
        let activations = network.forward(image, through: network.network.architecture.deepest(of: layers), keeping: Set(layers))
        return Dictionary(uniqueKeysWithValues: layers.map { ($0, gramMatrix(activations[$0]!)) })
    }
}

/// One layer's style term, style_weight * mean((G - A)^2), and its gradient as the factor S of
/// dL/dF = F S, which the network applies inside the convolution above the layer
/// (`FastVGG.backward(_:gradients:gramGradients:)`). `times`, if given, tallies the Gram
/// matrices' and the loss's seconds apart.
public func styleTerm(features: ChannelsLastMaps, target: Tensor, weight: Float,
                      times: StageTimes? = nil) -> (loss: Double, gradient: GramGradientFactor) {
    let gram = times.measure(.gramMatrices) { gramMatrix(features) }
    precondition(gram.shape == target.shape, "the target is a Gram matrix of as many feature maps as the layer has")
    let (loss, dGram) = times.measure(.losses) {
        let (loss, gradient) = meanSquaredErrorAndGradient(gram.data, target: target.data, dLoss: weight)
        return (Double(weight) * loss, Tensor(shape: gram.shape, data: gradient))
    }
    let factor = times.measure(.gramMatrices) { GramGradientFactor(dGram: dGram, positions: features.height * features.width) }
    return (loss, factor)
}

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
