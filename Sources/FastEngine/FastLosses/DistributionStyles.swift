import Tensors
import Kernels
import VGG
import FastNetwork
import StyleRepresentation

// Chapter 8b's terms as a run's style term (`StylizationSettings.styleTerm`, chosen with
// `--style-loss`): how each is made at a scale from the style images. Neither is a sum over
// positions, so neither can be evaluated in tiles: the memory plan refuses such a run in one line
// when the budget would force tiles (`canBeTiled`).

/// The style images' maps at `layers`, on the fast network.
func styleMaps(network: FastVGG, styles: [Tensor], layers: [String]) -> [String: [ChannelsLastMaps]] {
    let deepest = network.network.architecture.deepest(of: layers)
    let activations = styles.map { network.forward($0, through: deepest, keeping: Set(layers)) }
    return Dictionary(uniqueKeysWithValues: layers.map { layer in (layer, activations.map { $0[layer]! }) })
}

/// The positions of a `height` x `width` picture's maps at `layer`: its sides halved at each pooling before it.
func positions(at layer: String, height: Int, width: Int, architecture: VGGArchitecture) -> Int {
    let poolings = architecture.poolings(before: layer)
    var (h, w) = (height, width)
    for _ in 0..<poolings { (h, w) = (h / 2, w / 2) }
    return h * w
}

/// The style term a run compares the style with (`--style-loss`).
public enum StyleLossKind: String, Sendable, CaseIterable {
    /// Chapter 8's Gram matrices.
    case gram
    /// Chapter 8b's sliced Wasserstein term.
    case sliced
    /// Chapter 8b's histogram term with the Gram term (Risser et al.).
    case histogram

    /// The sliced term's weight relative to the Gram term's, and the histogram term's: each
    /// makes the term's value on the default run's start (the astronaut photo against the
    /// mosaic, 512 pixels, `style-transfer --style-loss KIND --iterations 0 --scales 1`) about
    /// the Gram term's there (3.11e8, against 5.33e7 for the sliced term and 7.3e7 for the
    /// histogram term with a factor of 1), so that the default style weight asks about as much
    /// of the picture whichever term measures the style.
    public static let slicedWeightFactor: Float = 6
    public static let histogramWeightFactor: Float = 4
    /// The iterations between two draws of the sliced term's directions.
    public static let redrawEvery = 10

    /// The maker of this kind of term for a run from `seed`.
    public func maker(seed: UInt64) -> any StyleTermMaker {
        switch self {
        case .gram: return GramMatrixStyle()
        case .sliced: return SlicedWassersteinStyle(seed: seed, redrawEvery: Self.redrawEvery, weightFactor: Self.slicedWeightFactor)
        case .histogram: return HistogramStyle(histogramFactor: Self.histogramWeightFactor)
        }
    }
}

/// `--style-loss sliced`: the sliced Wasserstein term, its directions from the run's seed, redrawn
/// every `redrawEvery` iterations, weighted `weightFactor` times the layer's style weight.
public struct SlicedWassersteinStyle: StyleTermMaker {
    public var seed: UInt64
    public var redrawEvery: Int
    public var weightFactor: Float

    public init(seed: UInt64, redrawEvery: Int, weightFactor: Float = 1) {
        self.seed = seed
        self.redrawEvery = redrawEvery
        self.weightFactor = weightFactor
    }

    public var name: String { "sliced Wasserstein" }
    public var partName: String { "sliced style" }

    /// Per pixel of the picture: the targets of every layer (K x M floats each, 122 floats a pixel
    /// over VGG19's five style layers), and while relu1_1's term is evaluated its projections
    /// (twice, while they are transposed), their gradient and the maps' gradient, four arrays of
    /// 64 floats a pixel. Per pixel of a style image: its maps at the five layers, kept
    /// for the redraws (122 floats).
    public var extraBytes: (perPixel: Int, perStylePixel: Int) { ((122 + 4 * 64) * 4, 122 * 4) }

    public func term(network: FastVGG, styles: [Tensor], blend: [Float], layers: [String],
                     height: Int, width: Int, coreSize: Int?) -> FastSlicedWassersteinTerm {
        let architecture = network.network.architecture
        var term = FastSlicedWassersteinTerm(styleMaps: styleMaps(network: network, styles: styles, layers: layers), blend: blend, seed: seed,
                                             layerOrder: layers,
                                             positions: Dictionary(uniqueKeysWithValues: layers.map {
                                                 ($0, positions(at: $0, height: height, width: width, architecture: architecture))
                                             }), redrawEvery: redrawEvery)
        term.weightFactor = weightFactor
        return term
    }
}

/// `--style-loss histogram`: Risser et al.'s style loss, the Gram term plus the histogram term
/// weighted `histogramFactor` times the layer's style weight.
public struct HistogramStyle: StyleTermMaker {
    public var histogramFactor: Float

    public init(histogramFactor: Float) { self.histogramFactor = histogramFactor }

    public var name: String { "histogram and Gram matrices" }
    public var partName: String { "histogram+Gram style" }

    /// Per pixel of the picture: the targets of every layer (122 floats a pixel over VGG19's five
    /// style layers), and while relu1_1's term is evaluated its channels transposed, the
    /// histogram's gradient and the Gram term's as maps (three arrays of 64 floats a pixel).
    public var extraBytes: (perPixel: Int, perStylePixel: Int) { ((122 + 3 * 64) * 4, 0) }

    public func term(network: FastVGG, styles: [Tensor], blend: [Float], layers: [String],
                     height: Int, width: Int, coreSize: Int?) -> FastHistogramAndGramTerm {
        let architecture = network.network.architecture
        let maps = styleMaps(network: network, styles: styles, layers: layers)
        let quantiles = Dictionary(uniqueKeysWithValues: layers.map { layer in
            (layer, FastHistogramTerm.quantiles(styles: maps[layer]!, blend: blend,
                                                positions: positions(at: layer, height: height, width: width, architecture: architecture)))
        })
        // The Gram targets from the same maps (GramMatrixStyle would run the styles through VGG again).
        let grams = styles.indices.map { s in Dictionary(uniqueKeysWithValues: layers.map { ($0, gramMatrix(maps[$0]![s])) }) }
        return FastHistogramAndGramTerm(gram: FastGramMatrixTerm(targets: StyleRepresentation.blend(grams, weights: blend)),
                                        histogram: FastHistogramTerm(quantiles: quantiles), histogramFactor: histogramFactor)
    }
}
