import Optimisers
import Tensors
import Kernels
import VGG
import FastNetwork
import StyleRepresentation
import StyleTransfer

// The fast twin of chapter 9's `StyleTransferLoss` (Sources/Chapters/09-StyleTransfer): the same
// terms on the fast network (channels-last maps, the Gram matrix as a matrix product, each style
// layer's gradient F S applied inside the convolution above it). Like the chapter's, it takes its
// style term through a protocol (`FastStyleTerm`, FastStyleTerm.swift) and its terms on the
// pixels as a list (`PixelTerm`, PixelTerm.swift). Tiling/ evaluates it in tiles when memory is short.

/// The style-transfer loss and its gradient on the fast path. FastStyleTransferLossTests check
/// it against the chapter's `StyleTransferLoss` at VGG's full width.
public struct FastStyleTransferLoss: ImageLoss {
    public var network: FastVGG
    public var contentLayers: [String]
    public var styleLayers: [String]
    public var weights: StyleTransferWeights
    /// F_l(c) for each content layer (channels-last, as the network computes them).
    public var contentTargets: [String: ChannelsLastMaps]
    /// How each style layer's features are compared with the style's.
    public var style: any FastStyleTerm
    /// The terms on the pixels: total variation (with a weight), and any a run adds.
    public var pixelTerms: [any PixelTerm]

    /// The loss with this style term; total variation from `weights`, then `morePixelTerms`.
    public init(network: FastVGG, contentLayers: [String], styleLayers: [String], weights: StyleTransferWeights,
                contentTargets: [String: ChannelsLastMaps], style: any FastStyleTerm, morePixelTerms: [any PixelTerm] = []) {
        self.network = network
        self.contentLayers = contentLayers
        self.styleLayers = styleLayers
        self.weights = weights
        self.contentTargets = contentTargets
        self.style = style
        pixelTerms = (weights.totalVariation != 0 ? [FastTotalVariation(weight: weights.totalVariation)] : []) + morePixelTerms
    }

    /// The loss with chapter 8's style term against these target Gram matrices.
    public init(network: FastVGG, contentLayers: [String], styleLayers: [String], weights: StyleTransferWeights,
                contentTargets: [String: ChannelsLastMaps], styleTargets: [String: Tensor]) {
        self.init(network: network, contentLayers: contentLayers, styleLayers: styleLayers, weights: weights,
                  contentTargets: contentTargets, style: FastGramMatrixTerm(targets: styleTargets))
    }

    /// The deepest layer any loss needs: the forward pass stops there.
    public var deepestLayer: String { network.network.architecture.deepest(of: contentLayers + styleLayers) }

    /// Targets from a content image and style images (blend weights normalised to sum to 1), for
    /// chapter 8's Gram-matrix term. With no content layers there is no content target (texture
    /// synthesis); with no style images or no style layers, no style targets (reconstruction from
    /// content alone). With `sources` (scale control, chapter 10), a layer named there takes its
    /// target from that one style image alone instead of the blend. With `coreSize`, each picture
    /// larger than that is evaluated in tiles (Tiling/TiledTargets.swift).
    public static func targets(network: FastVGG, content: Tensor?, styles: [Tensor], blend: [Float],
                               contentLayers: [String], styleLayers: [String], sources: [String: Int] = [:],
                               coreSize: Int? = nil) -> (content: [String: ChannelsLastMaps], style: [String: Tensor]) {
        let term = GramMatrixStyle(sources: sources).term(network: network, styles: styles, blend: blend, layers: styleLayers,
                                                          height: 0, width: 0, coreSize: coreSize)
        return (contentTargets(network: network, content: content, layers: contentLayers, coreSize: coreSize), term.targets)
    }

    /// F_l(c) at each content layer (none without a content image), in tiles of `coreSize` if given.
    public static func contentTargets(network: FastVGG, content: Tensor?, layers: [String], coreSize: Int?) -> [String: ChannelsLastMaps] {
        guard let content, !layers.isEmpty else { return [:] }
        let architecture = network.network.architecture
        return featureMaps(network: network, image: content, layers: layers, grid: coreSize.map {
            TileGrid(height: content.shape[1], width: content.shape[2], coreSize: $0, architecture: architecture,
                     deepestLayer: architecture.deepest(of: layers))
        })
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
        for layer in styleLayers {
            let features = activations[layer]!
            let (loss, gradient) = style.evaluate(features: features, layer: layer, weight: weights.style(maps: features.channels), times: times)
            parts.style += loss
            switch gradient {
            case .maps(let maps): add(layer, maps)
            // dL/dF = F S, applied by the network inside the convolution above this layer.
            case .gramFactor(let factor): gramGradients[layer] = factor
            }
        }
        var gradient = network.backward(activations, gradients: &gradients, gramGradients: &gramGradients)
        addPixelTerms(image, to: &parts, gradient: &gradient)
        return (parts, gradient)
    }

    /// Each term on the pixels, its loss into its part and its gradient into `gradient`.
    func addPixelTerms(_ image: Tensor, to parts: inout LossParts, gradient: inout Tensor) {
        for term in pixelTerms {
            network.stageTimes.measure(.losses) { parts[keyPath: term.part] += term.evaluate(image, addingGradientInto: &gradient) }
        }
    }
}
