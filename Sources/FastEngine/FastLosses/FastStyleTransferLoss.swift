import Optimisers
import Tensors
import Kernels
import VGG
import FastNetwork
import StyleRepresentation
import StyleTransfer
import PerceptualControl

// The fast twin of chapter 9's `StyleTransferLoss` (Sources/Chapters/09-StyleTransfer): the same
// terms on the fast network (channels-last maps, the Gram matrix as a matrix product, each style
// layer's gradient F S applied inside the convolution above it), with chapter 10's regions as
// the alternative style term. Tiling/ evaluates it in tiles when memory is short.

/// The style-transfer loss and its gradient on the fast path. FastStyleTransferLossTests check
/// it against the chapter's `StyleTransferLoss` at VGG's full width.
public struct FastStyleTransferLoss: ImageLoss {
    public var network: FastVGG
    public var contentLayers: [String]
    public var styleLayers: [String]
    public var weights: StyleTransferWeights
    /// F_l(c) for each content layer (channels-last, as the network computes them).
    public var contentTargets: [String: ChannelsLastMaps]
    /// A_l for each style layer.
    public var styleTargets: [String: Tensor]
    /// With spatial control (chapter 10), each region's own style term instead (`styleTargets`
    /// is then not used); its layout is the picture's size.
    public var regions: StyleRegions? = nil

    public init(network: FastVGG, contentLayers: [String], styleLayers: [String], weights: StyleTransferWeights,
                contentTargets: [String: ChannelsLastMaps], styleTargets: [String: Tensor]) {
        self.network = network
        self.contentLayers = contentLayers
        self.styleLayers = styleLayers
        self.weights = weights
        self.contentTargets = contentTargets
        self.styleTargets = styleTargets
    }

    /// The deepest layer any loss needs: the forward pass stops there.
    public var deepestLayer: String { network.network.architecture.deepest(of: contentLayers + styleLayers) }

    /// Targets from a content image and style images (blend weights normalised to sum to 1).
    /// With no content layers there is no content target (texture synthesis); with no style
    /// images or no style layers, no style targets (reconstruction from content alone).
    /// With `sources` (scale control, chapter 10), a layer named there takes its target from that
    /// one style image alone instead of the blend. With `coreSize`, each picture larger than that
    /// is evaluated in tiles (TiledEvaluation.swift): the content maps assembled core by core, the
    /// Gram matrices summed core by core.
    public static func targets(network: FastVGG, content: Tensor?, styles: [Tensor], blend: [Float],
                               contentLayers: [String], styleLayers: [String], sources: [String: Int] = [:],
                               coreSize: Int? = nil) -> (content: [String: ChannelsLastMaps], style: [String: Tensor]) {
        let architecture = network.network.architecture
        func grid(_ image: Tensor, _ layers: [String]) -> TileGrid? {
            coreSize.map { TileGrid(height: image.shape[1], width: image.shape[2], coreSize: $0, architecture: architecture,
                                    deepestLayer: architecture.deepest(of: layers)) }
        }
        var contentTargets: [String: ChannelsLastMaps] = [:]
        if let content, !contentLayers.isEmpty {
            contentTargets = featureMaps(network: network, image: content, layers: contentLayers, grid: grid(content, contentLayers))
        }
        guard !styles.isEmpty, !styleLayers.isEmpty else { return (contentTargets, [:]) }
        let grams = styles.map { gramMatrices(network: network, image: $0, layers: styleLayers, grid: grid($0, styleLayers)) }
        return (contentTargets, StyleRepresentation.targets(grams: grams, blend: blend, sources: sources))
    }

    /// The loss at `image` (3, H, W, preprocessed) and its gradient with respect to the image.
    public func evaluate(_ image: Tensor) -> (parts: LossParts, gradient: Tensor) {
        let activations = network.forward(image, through: deepestLayer, keeping: Set(contentLayers + styleLayers))
        let times = network.stageTimes
        var parts = LossParts()
        var gradients: [String: ChannelsLastMaps] = [:]
        var gramGradients: [String: GramGradientFactor] = [:]
        func add(_ layer: String, _ g: ChannelsLastMaps) {
            if var existing = gradients[layer] {
                for i in 0..<g.count { existing.data[i] += g.data[i] }
                gradients[layer] = existing
            } else {
                gradients[layer] = g
            }
        }
        for layer in contentLayers {
            // Chapter 7's content term, loss and gradient in one pass.
            let (loss, gradient) = times.measure(.losses) {
                contentTerm(features: activations[layer]!, target: contentTargets[layer]!, weight: weights.content)
            }
            parts.content += loss
            add(layer, gradient)
        }
        if let regions {
            for layer in styleLayers {
                // Spatial control: one guided term per region, its gradient as a map of its own.
                let features = activations[layer]!
                let (loss, gradient) = fastRegionTerm(regions, features: features, layer: layer, architecture: network.network.architecture,
                                                      weight: weights.style(maps: features.channels), times: times)
                parts.style += loss
                add(layer, gradient)
            }
        } else {
            for layer in styleLayers {
                // Chapter 8's style term; dL/dF = F S is applied by the network inside the
                // convolution above this layer.
                let features = activations[layer]!
                let (loss, factor) = styleTerm(features: features, target: styleTargets[layer]!,
                                               weight: weights.style(maps: features.channels), times: times)
                parts.style += loss
                gramGradients[layer] = factor
            }
        }
        var gradient = network.backward(activations, gradients: &gradients, gramGradients: &gramGradients)
        if weights.totalVariation != 0 { times.measure(.losses) {
            // TotalVariation.swift's loss, and its gradient added in the same pass.
            parts.totalVariation = totalVariationAddingGradient(image.data, channels: image.shape[0], height: image.shape[1],
                                                                width: image.shape[2], weight: weights.totalVariation, into: &gradient.data)
        } }
        return (parts, gradient)
    }
}
