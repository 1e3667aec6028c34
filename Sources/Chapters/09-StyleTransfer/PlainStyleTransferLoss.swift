import Optimisers
import Tensors
import VGG
import ContentRepresentation
import StyleRepresentation

/// The style-transfer loss and its gradient, written with the plain operations only: VGG's
/// plain forward pass, the content loss of chapter 7, the style loss of chapter 8, total
/// variation, and the plain backward pass to the pixels. It reads like the article and is the
/// reference `StyleTransferLoss` (the fast path) is tested against.
public struct PlainStyleTransferLoss {
    public var network: VGG
    public var contentLayers: [String]
    public var styleLayers: [String]
    public var weights: StyleTransferWeights
    /// P_l, the content photo's feature maps (C, H, W) at each content layer.
    public var contentTargets: [String: Tensor]
    /// A_l, the style's Gram matrix (C, C) at each style layer.
    public var styleTargets: [String: Tensor]
    /// With spatial control (chapter 10), each region's own style term instead.
    public var regions: StyleRegions? = nil

    /// Targets from a content image and style images (3, H, W, preprocessed), the styles' Gram
    /// matrices blended with `blend` (normalised to sum to 1).
    public init(network: VGG, content: Tensor, styles: [Tensor], blend: [Float],
                contentLayers: [String], styleLayers: [String], weights: StyleTransferWeights) {
        self.network = network
        self.contentLayers = contentLayers
        self.styleLayers = styleLayers
        self.weights = weights
        let contentOutputs = contentLayers.isEmpty ? [] : network.plainForward(content, through: network.architecture.deepest(of: contentLayers))
        contentTargets = Dictionary(uniqueKeysWithValues: contentLayers.map { ($0, contentOutputs[network.layerIndex($0)!]) })
        styleTargets = StyleRepresentation.blend(styles.map { StyleRepresentation.of($0, network: network, layers: styleLayers) },
                                                 weights: blend)
    }

    /// The loss at `image` (3, H, W, preprocessed) and its gradient with respect to the image.
    public func evaluate(_ image: Tensor) -> (parts: LossParts, gradient: Tensor) {
        let outputs = network.plainForward(image, through: network.architecture.deepest(of: contentLayers + styleLayers))
        var parts = LossParts()
        // dLoss/d(output of layer n), for every layer a loss looks at.
        var gradients: [Int: Tensor] = [:]
        func add(_ index: Int, _ g: Tensor) {
            if var sum = gradients[index] {
                for i in 0..<g.count { sum.data[i] += g.data[i] }
                gradients[index] = sum
            } else {
                gradients[index] = g
            }
        }
        for layer in contentLayers {
            let index = network.layerIndex(layer)!, target = contentTargets[layer]!
            parts.content += contentLossForward(features: outputs[index], target: target, weight: weights.content)
            add(index, contentLossBackward(features: outputs[index], target: target, weight: weights.content))
        }
        if let regions {
            for layer in styleLayers {
                // Spatial control: per region, weight * mean((G_r - A_r)^2) with the guided Gram matrix.
                let index = network.layerIndex(layer)!, features = outputs[index], c = features.shape[0]
                let weight = weights.style(maps: c)
                let guides = regions.guides(at: layer, architecture: network.architecture, height: image.shape[1], width: image.shape[2])
                for (region, guide) in guides.enumerated() where guide.contains(where: { $0 > 0 }) {
                    let gram = guidedGramMatrixForward(features, guide: guide), target = regions.targets[layer]![region]
                    var sum = 0.0
                    var dGram = Tensor(shape: gram.shape)
                    for i in 0..<gram.count {
                        let difference = gram.data[i] - target.data[i]
                        sum += Double(difference) * Double(difference)
                        dGram.data[i] = 2 * weight * difference / Float(c * c)
                    }
                    parts.style += Double(weight) * sum / Double(c * c)
                    add(index, guidedGramMatrixBackward(dGram: dGram, features: features, guide: guide))
                }
            }
        } else {
            for layer in styleLayers {
                let index = network.layerIndex(layer)!, target = styleTargets[layer]!
                let weight = weights.style(maps: outputs[index].shape[0])
                parts.style += styleLossForward(features: outputs[index], target: target, weight: weight)
                add(index, styleLossBackward(features: outputs[index], target: target, weight: weight))
            }
        }
        var gradient = network.plainBackward(image: image, outputs: outputs, gradients: gradients)
        if weights.totalVariation != 0 {
            parts.totalVariation = Double(weights.totalVariation) * totalVariationForward(image)
            let tv = totalVariationBackward(image, dLoss: weights.totalVariation)
            for i in 0..<gradient.count { gradient.data[i] += tv.data[i] }
        }
        return (parts, gradient)
    }
}
