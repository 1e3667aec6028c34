import Tensors
import VGG

// The loss of "A Neural Algorithm of Artistic Style", with the exact conventions of
// jcjohnson/neural-style (DESIGN.md section 3), and its gradient with respect to the pixels.
//
//   content: content_weight * mean((F_l(x) - F_l(c))^2)        for each content layer l
//   style:   style_weight * mean((G_l(x) - A_l)^2)             for each style layer l,
//            G_l = F_l F_l^T / (C_l H_l W_l)
//   tv:      tv_weight * 0.5 * sum of squared neighbour differences of the image
//   total = content + style + tv

public struct StyleTransferWeights: Sendable {
    public var content: Float = 5
    public var style: Float = 100
    public var totalVariation: Float = 1e-3
    public init(content: Float = 5, style: Float = 100, totalVariation: Float = 1e-3) {
        self.content = content
        self.style = style
        self.totalVariation = totalVariation
    }
}

/// One evaluation's parts, in Double.
public struct LossParts: Sendable {
    public var content: Double = 0
    public var style: Double = 0
    public var totalVariation: Double = 0
    public var total: Double { content + style + totalVariation }
}

public struct StyleTransferLoss {
    public var network: VGG19
    public var contentLayers: [String]
    public var styleLayers: [String]
    public var weights: StyleTransferWeights
    /// F_l(c) for each content layer (channels-last, as the network computes them).
    public var contentTargets: [String: FeatureMaps]
    /// A_l for each style layer.
    public var styleTargets: [String: Tensor]

    public static let defaultContentLayers = ["relu4_2"]
    public static let defaultStyleLayers = ["relu1_1", "relu2_1", "relu3_1", "relu4_1", "relu5_1"]

    public init(network: VGG19, contentLayers: [String], styleLayers: [String], weights: StyleTransferWeights,
                contentTargets: [String: FeatureMaps], styleTargets: [String: Tensor]) {
        self.network = network
        self.contentLayers = contentLayers
        self.styleLayers = styleLayers
        self.weights = weights
        self.contentTargets = contentTargets
        self.styleTargets = styleTargets
    }

    /// The deepest layer any loss needs: the forward pass stops there.
    public var deepestLayer: String {
        (contentLayers + styleLayers).max { VGG19.layerIndex($0)! < VGG19.layerIndex($1)! }!
    }

    /// Targets from a content image and style images (blend weights normalised to sum to 1).
    public static func targets(network: VGG19, content: Tensor, styles: [Tensor], blend: [Float],
                               contentLayers: [String], styleLayers: [String]) -> (content: [String: FeatureMaps], style: [String: Tensor]) {
        let contentActivations = network.forward(content, through: (contentLayers.max { VGG19.layerIndex($0)! < VGG19.layerIndex($1)! })!,
                                                 keeping: Set(contentLayers))
        var contentTargets: [String: FeatureMaps] = [:]
        for layer in contentLayers { contentTargets[layer] = contentActivations[layer]! }
        var styleTargets: [String: Tensor] = [:]
        let total = blend.reduce(0, +)
        let deepest = styleLayers.max { VGG19.layerIndex($0)! < VGG19.layerIndex($1)! }!
        for (style, weight) in zip(styles, blend) {
            let activations = network.forward(style, through: deepest, keeping: Set(styleLayers))
            for layer in styleLayers {
                let gram = gramMatrix(activations[layer]!)
                var sum = styleTargets[layer] ?? Tensor(shape: gram.shape)
                for i in 0..<gram.count { sum.data[i] += gram.data[i] * weight / total }
                styleTargets[layer] = sum
            }
        }
        return (contentTargets, styleTargets)
    }

    /// The loss at `image` (3, H, W, preprocessed) and its gradient with respect to the image.
    public func evaluate(_ image: Tensor, timings: ConvolutionTimings? = nil) -> (parts: LossParts, gradient: Tensor) {
        let activations = network.forward(image, through: deepestLayer, keeping: Set(contentLayers + styleLayers), timings: timings)
        var parts = LossParts()
        var gradients: [String: FeatureMaps] = [:]
        func add(_ layer: String, _ g: FeatureMaps) {
            if var existing = gradients[layer] {
                for i in 0..<g.count { existing.data[i] += g.data[i] }
                gradients[layer] = existing
            } else {
                gradients[layer] = g
            }
        }
        for layer in contentLayers {
            let features = activations[layer]!, target = contentTargets[layer]!
            // The mean over all C*H*W elements does not depend on their order, so the loss and
            // its gradient are computed on the channels-last data as they are.
            let f = Tensor(shape: [features.count], data: features.data), t = Tensor(shape: [target.count], data: target.data)
            parts.content += Double(weights.content) * meanSquaredErrorForward(f, target: t)
            let gradient = meanSquaredErrorBackward(f, target: t, dLoss: weights.content)
            add(layer, FeatureMaps(height: features.height, width: features.width, channels: features.channels, data: gradient.data))
        }
        for layer in styleLayers {
            let features = activations[layer]!, target = styleTargets[layer]!
            let gram = gramMatrix(features)
            parts.style += Double(weights.style) * meanSquaredErrorForward(gram, target: target)
            let dGram = meanSquaredErrorBackward(gram, target: target, dLoss: weights.style)
            add(layer, gramMatrixBackward(dGram: dGram, features: features))
        }
        var gradient = network.backward(activations, gradients: &gradients, timings: timings)
        if weights.totalVariation != 0 {
            parts.totalVariation = Double(weights.totalVariation) * totalVariationForward(image)
            let tv = totalVariationBackward(image, dLoss: weights.totalVariation)
            for i in 0..<gradient.count { gradient.data[i] += tv.data[i] }
        }
        return (parts, gradient)
    }
}
