import Optimisers
import Tensors
import VGG
import ContentRepresentation
import StyleRepresentation

// "Styling an image" (the article): the loss whose gradient with respect to the pixels the
// optimiser follows, the content loss of chapter 7 plus the style loss of chapter 8 plus total
// variation (LossTerms.swift lists the terms and their weights). Written with the plain
// operations only: the plain forward pass, each term and its gradient at its layer, the plain
// backward pass to the pixels. The engine's `FastStyleTransferLoss` computes the same on the fast
// network, in tiles when memory is short; its tests compare the two at VGG's full width.

/// The style-transfer loss and its gradient with respect to the image.
public struct StyleTransferLoss: ImageLoss {
    /// The network whose feature maps the terms compare.
    public var network: VGG
    /// The layers of the content term.
    public var contentLayers: [String]
    /// The layers of the style term.
    public var styleLayers: [String]
    /// The terms' weights.
    public var weights: StyleTransferWeights
    /// P_l, the content photo's feature maps (C, H, W) at each content layer.
    public var contentTargets: [String: Tensor]
    /// How each style layer's features are compared with the style's: one Gram matrix per layer
    /// (chapter 8's `GramMatrixTerm`), or, with spatial control, one per region (chapter 10).
    public var style: any StyleTerm

    /// Targets from a content image and style images (3, H, W, preprocessed), the styles' Gram
    /// matrices blended with `blend` (normalised to sum to 1).
    public init(network: VGG, content: Tensor, styles: [Tensor], blend: [Float],
                contentLayers: [String], styleLayers: [String], weights: StyleTransferWeights) {
        self.network = network
        self.contentLayers = contentLayers
        self.styleLayers = styleLayers
        self.weights = weights
        let contentOutputs = contentLayers.isEmpty ? [] : network.forward(content, through: network.architecture.deepest(of: contentLayers))
        contentTargets = Dictionary(uniqueKeysWithValues: contentLayers.map { ($0, contentOutputs[network.layerIndex($0)!]) })
        style = GramMatrixTerm(targets: StyleRepresentation.blend(styles.map { StyleRepresentation.of($0, network: network, layers: styleLayers) },
                                                                 weights: blend))
    }

    /// The loss at `image` (3, H, W, preprocessed) and its gradient with respect to the image.
    public func evaluate(_ image: Tensor) -> (parts: LossParts, gradient: Tensor) {
        let outputs = network.forward(image, through: network.architecture.deepest(of: contentLayers + styleLayers))
        var parts = LossParts()
        // dLoss/d(output of layer n), for every layer a term looks at.
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
        for layer in styleLayers {
            let index = network.layerIndex(layer)!, features = outputs[index]
            let (loss, gradient) = style.evaluate(features: features, layer: layer, weight: weights.style(maps: features.shape[0]))
            parts.style += loss
            add(index, gradient)
        }
        var gradient = network.backward(image: image, outputs: outputs, gradients: gradients)
        if weights.totalVariation != 0 {
            parts.totalVariation = Double(weights.totalVariation) * totalVariationForward(image)
            let tv = totalVariationBackward(image, dLoss: weights.totalVariation)
            for i in 0..<gradient.count { gradient.data[i] += tv.data[i] }
        }
        return (parts, gradient)
    }
}
