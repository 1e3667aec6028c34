import Tensors
import Kernels
import VGG
import FastNetwork
import Optimisers
import StyleRepresentation

// The fast twin of chapter 8's style term (Sources/Chapters/08-StyleRepresentation: StyleLoss.swift
// and `GramMatrixTerm` in StyleTerm.swift): the Gram matrix as one matrix product on the fast
// network's channels-last maps, the loss and dL/dG in one pass, and the gradient dL/dF = F S
// given as S for the network to apply inside the convolution above the layer. The Gram matrix
// is a sum over positions, so the term can be gathered tile by tile (TileableStyleTerm).

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
    return styleTerm(gram: gram, positions: features.height * features.width, target: target, weight: weight, times: times)
}

/// The same from the layer's Gram matrix over its `positions`.
func styleTerm(gram: Tensor, positions: Int, target: Tensor, weight: Float, times: StageTimes?) -> (loss: Double, gradient: GramGradientFactor) {
    precondition(gram.shape == target.shape, "the target is a Gram matrix of as many feature maps as the layer has")
    let (loss, dGram) = times.measure(.losses) {
        let (loss, gradient) = meanSquaredErrorAndGradient(gram.data, target: target.data, dLoss: weight)
        return (Double(weight) * loss, Tensor(shape: gram.shape, data: gradient))
    }
    let factor = times.measure(.gramMatrices) { GramGradientFactor(dGram: dGram, positions: positions) }
    return (loss, factor)
}

/// The sum over the positions of `features` of F_p F_p^T (C x C, row-major, in Double): a Gram
/// matrix before it is divided by C N.
func gramSum(_ features: ChannelsLastMaps) -> [Double] {
    let c = features.channels, n = features.height * features.width
    guard n > 0 else { return [Double](repeating: 0, count: c * c) }
    // gramMatrix divides by C n for the core's n positions: multiplied back to a sum.
    return gramMatrix(features).data.map { Double($0) * Double(c * n) }
}

/// The Gram matrix of a picture with `positions` positions from its `sum` (gramSum's, added over cores).
func gramMatrix(sum: [Double], positions n: Int) -> Tensor {
    let c = Int(Double(sum.count).squareRoot())
    return Tensor(shape: [c, c], data: sum.map { Float($0 / Double(c * n)) })
}

extension GramGradientFactor: PositionwiseGradient {
    /// F S at a core's positions.
    public func gradient(at features: ChannelsLastMaps) -> ChannelsLastMaps { applied(to: features) }
}

/// Chapter 8's style term on the fast path: at each layer, weight * mean((G_l - A_l)^2) against
/// one target Gram matrix A_l.
public struct FastGramMatrixTerm: TileableStyleTerm {
    /// A_l for each style layer.
    public var targets: [String: Tensor]

    /// The term against these target Gram matrices, one per style layer.
    public init(targets: [String: Tensor]) { self.targets = targets }

    /// E_l at `layer`, and its gradient as S.
    public func evaluate(features: ChannelsLastMaps, layer: String, weight: Float, times: StageTimes?) -> (loss: Double, gradient: StyleTermGradient) {
        let (loss, factor) = styleTerm(features: features, target: target(layer), weight: weight, times: times)
        return (loss, .gramFactor(factor))
    }

    /// A core's part of the sum of F_p F_p^T.
    public func sum(ofCore core: ChannelsLastMaps) -> [Double] { gramSum(core) }

    /// E_l from the picture's sum of F_p F_p^T, and its gradient F_p S at each position.
    public func evaluate(sum: [Double], positions: Int, layer: String, weight: Float,
                         times: StageTimes?) -> (loss: Double, gradient: any PositionwiseGradient) {
        let (loss, factor) = styleTerm(gram: gramMatrix(sum: sum, positions: positions), positions: positions, target: target(layer),
                                       weight: weight, times: times)
        return (loss, factor)
    }

    func target(_ layer: String) -> Tensor {
        guard let target = targets[layer] else { preconditionFailure("no target Gram matrix at \(layer)") }
        return target
    }
}

/// A run's Gram-matrix style term (the default): the style images' Gram matrices blended, or
/// with scale control (chapter 10) some layers' from one image alone.
public struct GramMatrixStyle: StyleTermMaker {
    /// Style layers that take their target from one style image alone (its index) instead of
    /// the blend: the fine scale (shallow layers) from one painting, the coarse (deep) from another.
    public var sources: [String: Int]

    /// The blended term, or with `sources`, scale control's.
    public init(sources: [String: Int] = [:]) { self.sources = sources }

    public var name: String { sources.isEmpty ? "Gram matrices" : "Gram matrices with scale control" }

    /// The targets' Gram matrices, each style image read in tiles of `coreSize` when it is larger.
    public func term(network: FastVGG, styles: [Tensor], blend: [Float], layers: [String],
                     height: Int, width: Int, coreSize: Int?) -> FastGramMatrixTerm {
        guard !styles.isEmpty, !layers.isEmpty else { return FastGramMatrixTerm(targets: [:]) }
        let architecture = network.network.architecture
        let grams = styles.map { style in
            gramMatrices(network: network, image: style, layers: layers, grid: coreSize.map {
                TileGrid(height: style.shape[1], width: style.shape[2], coreSize: $0, architecture: architecture,
                         deepestLayer: architecture.deepest(of: layers))
            })
        }
        return FastGramMatrixTerm(targets: StyleRepresentation.targets(grams: grams, blend: blend, sources: sources))
    }
}
