import Tensors
import Kernels
import FastNetwork

// The engine's twin of chapter 8's `StyleTerm` (Sources/Chapters/08-StyleRepresentation/StyleTerm.swift):
// what the style part of the fast loss asks of one layer. A new style loss is a conformance
// here beside its chapter's, and a `StyleTermMaker` that a run's settings can hold; the loss,
// the tiles and the memory plan ask the term what they need and name no kind of term.
//
//  - `FastGramMatrixTerm` (FastGramMatrixTerm.swift): one Gram matrix per layer, chapter 8's;
//  - `FastRegionStyleTerm` (FastRegionTerm.swift): one per region of the picture, chapter 10's.

/// The gradient a style term gives at a layer's feature maps.
public enum StyleTermGradient {
    /// dL/dF as maps of their own.
    case maps(ChannelsLastMaps)
    /// dL/dF = F S, given as S: the network applies it inside the convolution above the layer,
    /// while F's rows pass through the cache anyway (`FastVGG.backward(_:gradients:gramGradients:)`).
    case gramFactor(GramGradientFactor)
}

/// The style term of the fast loss at one layer: the twin of the chapters' `StyleTerm`, on the
/// fast network's channels-last maps.
public protocol FastStyleTerm: Sendable {
    /// The term at `layer`, given the picture's feature maps there and the layer's style weight,
    /// and its gradient with respect to those maps. `times`, if given, tallies its seconds.
    func evaluate(features: ChannelsLastMaps, layer: String, weight: Float, times: StageTimes?) -> (loss: Double, gradient: StyleTermGradient)
}

/// dL/dF at each position of a layer, from that position's features alone: what a term that
/// depends on the features only through a sum over positions gives (TileableStyleTerm).
public protocol PositionwiseGradient {
    /// dL/dF at the positions of `features` (a tile's core), from their own features.
    func gradient(at features: ChannelsLastMaps) -> ChannelsLastMaps
}

/// A style term that depends on a layer's features only through a sum over the positions (as
/// the Gram matrix, the sum of F_p F_p^T, does), so that a picture too large to hold at once can be
/// evaluated tile by tile (Tiling/TiledEvaluation.swift): the sum gathered core by core, then
/// the term and a gradient each position's own features decide.
public protocol TileableStyleTerm: FastStyleTerm {
    /// What the positions of `core` add to the sum at a layer (the same length at every core of it).
    func sum(ofCore core: ChannelsLastMaps) -> [Double]
    /// The term at `layer` from the whole picture's `sum` over its `positions`, and its gradient.
    func evaluate(sum: [Double], positions: Int, layer: String, weight: Float,
                  times: StageTimes?) -> (loss: Double, gradient: any PositionwiseGradient)
}

/// What a run's settings hold of the style term: how to make it at each scale, from the style
/// images at that scale's size, for a picture of that scale's size.
public protocol StyleTermMaker: Sendable {
    /// The kind of term it makes.
    associatedtype Term: FastStyleTerm
    /// The term in words, for messages: "Gram matrices", "spatial control (--content-mask)".
    var name: String { get }
    /// The term at one scale: targets from `styles` (3, H, W, preprocessed; blended with `blend`,
    /// normalised to sum to 1) at `layers`, for a picture of `height` x `width`. With `coreSize`,
    /// a style image larger than that is read in tiles of it (only a tileable term is asked so).
    func term(network: FastVGG, styles: [Tensor], blend: [Float], layers: [String],
              height: Int, width: Int, coreSize: Int?) -> Term
    /// The memory its terms take beyond an evaluation's, per pixel of the picture and per pixel
    /// of the style images (for the memory plan); none for the Gram matrix terms.
    var extraBytes: (perPixel: Int, perStylePixel: Int) { get }
    /// The style part of the loss in the progress line and the chart: "style" for the Gram
    /// matrices, "sliced style" for chapter 8b's sliced Wasserstein term.
    var partName: String { get }
}

extension StyleTermMaker {
    /// Whether the terms it makes can be evaluated in tiles: the memory plan asks before
    /// anything is loaded, and refuses to tile a run whose term cannot be.
    public var canBeTiled: Bool { Term.self is any TileableStyleTerm.Type }
    public var extraBytes: (perPixel: Int, perStylePixel: Int) { (0, 0) }
    public var partName: String { "style" }
}
