import Foundation
import Tensors
import VGG
import Pictures
import StyleTransfer
import PerceptualControl
import FastLosses

// Everything a style-transfer run can be told (StylizationSettings), with the defaults every
// program reads: the command's options take their defaults from here.

/// Which optimiser moves the pixels.
public enum OptimiserKind: String, Sendable, CaseIterable {
    case lbfgs, adam, gd

    /// L-BFGS takes its full quasi-Newton step (1); Adam moves each value by about 10 per step
    /// at first (neural-style's default); plain gradient descent takes the gradient as it is,
    /// so its rate depends on the loss's scale (1e-3 suits the default weights).
    public var defaultLearningRate: Float {
        switch self {
        case .lbfgs: return 1
        case .adam: return 10
        case .gd: return 1e-3
        }
    }
}

/// Where the optimisation starts.
public enum Initialisation: Sendable {
    /// White noise (the article's start).
    case noise
    /// The content photo itself.
    case content
    /// A picture (RGB 0...255), resized to the output's shape.
    case image(FloatImage)
}

/// Everything a run can be told. The defaults are neural-style's except the size, the iterations
/// and L-BFGS's history; style-transfer's options take their defaults from here.
public struct StylizationSettings: Sendable {
    public var contentLayers = DefaultLayers.content
    public var styleLayers = DefaultLayers.style
    public var weights = StyleTransferWeights()
    /// The output's longer side, in pixels, at the last scale.
    public var size = 512
    /// How many scales, each twice the one before, ending at `size`.
    public var scales = 1
    /// Iterations at the first scale; each later scale runs half as many as the one before.
    public var iterations = 100
    /// Iterations at each scale, smallest first, overriding `iterations` when not empty (one per scale).
    public var scaleIterations: [Int] = []
    public var optimiser = OptimiserKind.lbfgs
    /// Let the pixels leave 0...255 while descending (the paper's problem as stated, the writer
    /// clipping them at the end), instead of keeping them in the box (chapter 6b's BoxConstraint.swift).
    public var freeDescent = false
    /// nil: the optimiser's default.
    public var learningRate: Float? = nil
    public var initialisation = Initialisation.noise
    public var seed: UInt64 = 1
    /// The style images' longer side, relative to the output's (neural-style's style_scale).
    public var styleScale: Float = 1
    /// Keep the content photo's colours (chapter 10's ColourControl.swift), one of three ways;
    /// nil: the colours the transfer gives.
    public var colours: ColourPreservation? = nil
    /// How each style layer's features are compared with the style's (FastStyleTerm.swift): the
    /// Gram matrices of chapter 8 (with chapter 10's scale control, `GramMatrixStyle(sources:)`),
    /// or chapter 10's spatial control (`RegionStyle`).
    public var styleTerm: any StyleTermMaker = GramMatrixStyle()
    /// How much each style image counts; normalised to sum to 1. Empty: all equal.
    public var blend: [Float] = []
    /// The (s, y) pairs L-BFGS remembers. 25, not neural-style's 100: the pairs take 157 MB at
    /// 512 pixels, not 630 MB (Notebooks/09a-runs-and-costs.md, "What a run costs").
    public var historySize = 25
    /// The memory the run may take (MemoryPlan.swift): past it, pictures are evaluated in tiles
    /// and L-BFGS remembers fewer pairs. nil: every picture whole, the history as asked.
    public var memoryBudget: MemorySize? = nil
    public init() {}

    /// The longer side at each scale, smallest first.
    public var sizes: [Int] {
        (0..<scales).map { i in Int((Double(size) / Double(1 << (scales - 1 - i))).rounded()) }
    }

    /// The iterations at scale `i` (from 0).
    public func iterations(atScale i: Int) -> Int { scaleIterations.isEmpty ? iterations >> i : scaleIterations[min(i, scaleIterations.count - 1)] }

    /// The iterations of a whole run, over every scale.
    public var totalIterations: Int { sizes.indices.reduce(0) { $0 + iterations(atScale: $1) } }

    /// The style images' longer side at a scale whose output has longer side `size`.
    public func styleSize(at size: Int) -> Int { max(1, Int((Double(size) * Double(styleScale)).rounded())) }
}

extension StylizationSettings {
    /// Why the run cannot start, or nil: every layer must still have a pixel at the first (the
    /// smallest) scale, and each pooling before the deepest layer used halves the maps, so the
    /// output and every style image need at least 2^(poolings) pixels on each side there.
    public func problemAtFirstScale(architecture: VGGArchitecture, content: FloatImage?, styles: [FloatImage]) -> String? {
        let used = contentLayers + styleLayers
        guard !used.isEmpty, used.allSatisfy({ architecture.layerIndex($0) != nil }) else { return "no layers of \(architecture.name) to compare" }
        let deepest = architecture.deepest(of: used)
        guard let last = architecture.layerIndex(deepest), let first = content ?? styles.first else { return nil }
        let smallest = 1 << architecture.layers[...last].filter { $0.name.hasPrefix("pool") }.count
        let firstSize = sizes[0]
        let shapes = [first.shape(longestSide: firstSize)] + styles.map { $0.shape(longestSide: styleSize(at: firstSize)) }
        guard let tooSmall = shapes.first(where: { min($0.height, $0.width) < smallest }) else { return nil }
        return "at the first scale (longer side \(firstSize)) a picture would be \(tooSmall.width)x\(tooSmall.height), "
            + "smaller than the \(smallest) pixels \(deepest) needs on each side: raise --size or --style-scale, or use fewer --scales"
    }
}
