import Foundation
import Tensors
import StyleRepresentation
import Kernels
import VGG
import Optimisers
import Pictures

// Chapter 9, "Styling an Image", as a whole run: the content photo and the style paintings go
// through the network once to give the targets; then, from white noise (or the photo), the
// pixels descend the gradient of the content, style and total-variation losses.
//
// Coarse to fine (Gatys et al. 2017, "Controlling Perceptual Factors in Neural Style Transfer";
// neural-style's multi-resolution recipe): with several scales the run first optimises a small
// version of the picture, where each iteration is cheap and the large shapes settle; then it
// enlarges the result as the start of the next scale, twice as large, and so on up to the full
// size. Each later scale starts close to its answer and runs half the iterations of the one
// before.

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

/// Everything a run can be told. The defaults are neural-style's, except the size.
public struct StylizationSettings: Sendable {
    public var contentLayers = DefaultLayers.content
    public var styleLayers = DefaultLayers.style
    public var weights = StyleTransferWeights()
    /// The output's longer side, in pixels, at the last scale.
    public var size = 512
    /// How many scales, each twice the one before, ending at `size`.
    public var scales = 1
    /// Iterations at the first scale; each later scale runs half as many as the one before.
    public var iterations = 200
    /// Iterations at each scale, smallest first, overriding `iterations` when not empty (one per scale).
    public var scaleIterations: [Int] = []
    public var optimiser = OptimiserKind.lbfgs
    /// nil: the optimiser's default.
    public var learningRate: Float? = nil
    public var initialisation = Initialisation.noise
    public var seed: UInt64 = 1
    /// The style images' longer side, relative to the output's (neural-style's style_scale).
    public var styleScale: Float = 1
    /// Keep the content photo's colours (OriginalColors.swift) in the pictures written.
    public var originalColors = false
    /// Spatial control (chapter 10): where the regions lie in the result, and in each style image
    /// (any sizes: each is resized, nearest neighbour, to its picture at every scale).
    public var regions: (picture: RegionLayout, styles: [RegionLayout])? = nil
    /// The regions' guides: the share of each cell inside (simple) or only whole cells (inside).
    public var guideKind = GuideKind.simple
    /// Scale control (chapter 10): style layers that take their target from one style image alone
    /// (its index), instead of the blend: the fine scale (shallow layers) from one painting, the
    /// coarse scale (deep layers) from another.
    public var styleLayerSources: [String: Int] = [:]
    /// How much each style image counts; normalised to sum to 1. Empty: all equal.
    public var blend: [Float] = []
    /// The (s, y) pairs L-BFGS remembers. 25, not neural-style's 100: on the default run the
    /// loss ended no higher (4.839e6 against 4.855e6) and the pairs take 157 MB at 512, not 630 MB.
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

    /// The style images' longer side at a scale whose output has longer side `size`.
    public func styleSize(at size: Int) -> Int { max(1, Int((Double(size) * Double(styleScale)).rounded())) }
}

/// What a run reports after each evaluation of the loss.
public struct StylizationStep {
    public var row: LossRow
    /// The image the row describes (preprocessed, the optimisation variable).
    public var image: Tensor
    /// The scale (from 0) and its longer side.
    public var scale: Int, size: Int
    /// How much of the run's work is done, 0...1 (an iteration's work grows with its pixels).
    public var fractionDone: Double
}

/// How a run ended.
public enum StylizationEnd: Sendable, Equatable {
    case finished
    /// Asked to stop (Ctrl-C) before the last iteration.
    case stopped
    /// The loss became NaN or infinite; the image is the last one whose loss was finite.
    case diverged
}

public struct StylizationResult {
    /// The final image, preprocessed.
    public var image: Tensor
    public var end: StylizationEnd
    /// Steps taken, over all scales.
    public var steps: Int
    /// Loss evaluations made, over all scales: the steps, the final image's, and one for each
    /// point the optimiser refused.
    public var evaluations: Int = 0
}

/// One run of the style transfer: a network, a content photo (none for texture synthesis), one
/// or more style images, and the settings.
public struct Stylization {
    public let network: FastVGG
    /// RGB, 0...255, at any size (resized to each scale).
    public let content: FloatImage?
    public let styles: [FloatImage]
    public let settings: StylizationSettings

    public init(network: FastVGG, content: FloatImage?, styles: [FloatImage], settings: StylizationSettings) {
        precondition(!styles.isEmpty || content != nil, "need a content photo or a style image")
        self.network = network
        self.content = content
        self.styles = styles
        self.settings = settings
    }

    /// The output's height and width at longer side `size`: the content photo's shape, or for
    /// texture synthesis the first style image's.
    public func shape(longestSide size: Int) -> (height: Int, width: Int) {
        (content ?? styles[0]).shape(longestSide: size)
    }


    /// The picture an optimised image shows: preprocessing undone, the photo's colours put back
    /// if asked, clamped to 0...255.
    public func picture(of image: Tensor) -> FloatImage {
        let rgb = network.network.preprocessing.invert(image)
        var picture = FloatImage(channels: 3, height: rgb.shape[1], width: rgb.shape[2], pixels: rgb.data)
        if settings.originalColors, let content {
            picture = withOriginalColors(picture, content: content.resized(width: picture.width, height: picture.height))
        }
        picture.pixels = picture.pixels.map { min(255, max(0, $0)) }
        return picture
    }

    /// The run's memory plan for `settings.memoryBudget`, or why the budget is too small; nil
    /// without a budget.
    public func memoryPlan() -> Result<MemoryPlan, MemoryPlanError>? {
        guard let budget = settings.memoryBudget else { return nil }
        return MemoryPlan.make(settings: settings, architecture: network.network.architecture, budget: budget, content: content, styles: styles)
    }

    func tensor(_ image: FloatImage) -> Tensor { network.network.preprocessing.apply(Tensor(shape: [3, image.height, image.width], data: image.pixels)) }

    /// Runs every scale. `observe` sees each evaluation (iteration 0 is the initial image, the
    /// last row the final image); `shouldStop` is asked before each evaluation. When pictures are
    /// evaluated in tiles, `observeTiles` hears after each tile how much of the run is done
    /// (0...1) and the seconds so far, so that progress moves within a long evaluation.
    public func run(observe: (StylizationStep) -> Void = { _ in }, observeTiles: (_ fractionDone: Double, _ seconds: Double) -> Void = { _, _ in },
                    shouldStop: () -> Bool = { false }) -> StylizationResult {
        let start = DispatchTime.now().uptimeNanoseconds
        func seconds() -> Double { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }
        let sizes = settings.sizes
        let plan: MemoryPlan?
        switch memoryPlan() {
        case .success(let made): plan = made
        case .failure(let error): preconditionFailure("\(error) (check memoryPlan() before run())")
        case nil: plan = nil
        }
        // The work of an iteration grows with the pixels it evaluates: scale i's iterations count
        // (size_i)^2 each, times, in tiles, the halos' extra pixels and half again for the
        // second forward pass (a forward pass costs about what the backward one does).
        func workPerIteration(_ i: Int) -> Double {
            let tiled = plan.map { $0.scales[i].grid.isWhole ? 1 : $0.scales[i].grid.overlap * 1.5 } ?? 1
            return Double(sizes[i] * sizes[i]) * tiled
        }
        let work = sizes.indices.map { Double(settings.iterations(atScale: $0)) * workPerIteration($0) }
        let totalWork = max(work.reduce(0, +), 1)
        var workDone = 0.0
        var x = Tensor(shape: [3, 1, 1])
        var iteration = 0, steps = 0, evaluations = 0
        for (scale, size) in sizes.enumerated() {
            let (height, width) = shape(longestSide: size)
            // Whole pictures, or tiles of the plan's size (the style images in tiles of the same size).
            let grid = plan?.scales[scale].grid
            // The pictures at this scale are needed only until the targets are made: in a block of
            // their own, so that their memory is free again before the descent.
            var loss: StyleTransferLoss
            do {
                let contentImage = content.map { $0.resized(width: width, height: height) }
                let styleImages = styles.map { $0.resized(longestSide: settings.styleSize(at: size)) }
                // The start: noise, the photo or a picture at the first scale; then the last scale's result, enlarged.
                if scale == 0 {
                    switch settings.initialisation {
                    case .noise: x = whiteNoise(height: height, width: width, seed: settings.seed)
                    case .content: x = tensor(contentImage!)
                    case .image(let picture): x = tensor(picture.rgb().resized(width: width, height: height))
                    }
                } else {
                    let previous = FloatImage(channels: 3, height: x.shape[1], width: x.shape[2], pixels: x.data)
                    x = Tensor(shape: [3, height, width], data: previous.resized(width: width, height: height).pixels)
                }
                let targets = StyleTransferLoss.targets(network: network, content: contentImage.map(tensor), styles: styleImages.map(tensor),
                                                        blend: settings.blend.isEmpty ? [Float](repeating: 1, count: styles.count) : settings.blend,
                                                        contentLayers: content == nil ? [] : settings.contentLayers,
                                                        styleLayers: settings.regions == nil ? settings.styleLayers : [],
                                                        sources: settings.styleLayerSources, coreSize: grid?.coreSize)
                loss = StyleTransferLoss(network: network, contentLayers: content == nil ? [] : settings.contentLayers,
                                         styleLayers: styles.isEmpty ? [] : settings.styleLayers, weights: settings.weights,
                                         contentTargets: targets.content, styleTargets: targets.style)
                if let regions = settings.regions {
                    // The picture's layout at this scale's size, once, not at every evaluation.
                    loss.regions = StyleRegions(layout: regions.picture.resized(height: height, width: width), targets: StyleRegions.targets(
                        network: network, styles: styleImages.map(tensor), layouts: regions.styles,
                        blend: settings.blend.isEmpty ? [Float](repeating: 1, count: styles.count) : settings.blend,
                        styleLayers: settings.styleLayers, regions: regions.picture.regions, kind: settings.guideKind), kind: settings.guideKind)
                }
            }
            let iterations = settings.iterations(atScale: scale)
            let workPerIteration = workPerIteration(scale)
            // Each evaluation is held back until the optimiser accepts its point: a refused point
            // (an L-BFGS step that overshot) is no iteration and gets no row.
            var evaluated: StylizationStep? = nil
            func evaluate(_ image: Tensor) -> (parts: LossParts, gradient: Tensor) {
                let result = grid.map { grid in
                    loss.evaluate(image, tiles: grid) { observeTiles((workDone + $0 * workPerIteration) / totalWork, seconds()) }
                } ?? loss.evaluate(image)
                evaluated = StylizationStep(row: LossRow(iteration: iteration, parts: result.parts, seconds: seconds()), image: image,
                                            scale: scale, size: size, fractionDone: workDone / totalWork)
                return result
            }
            let result = descend(x, iterations: iterations, optimiser: settings.optimiser, learningRate: settings.learningRate,
                                 historySize: plan?.scales[scale].historySize ?? settings.historySize,
                                 evaluate: evaluate, progress: { _ in
                                     if let evaluated { observe(evaluated) }
                                     iteration += 1
                                     workDone += workPerIteration
                                 }, shouldStop: shouldStop)
            x = result.image
            steps += result.steps
            evaluations += result.evaluations
            if result.diverged { return StylizationResult(image: x, end: .diverged, steps: steps, evaluations: evaluations) }
            if result.stopped { return StylizationResult(image: x, end: .stopped, steps: steps, evaluations: evaluations) }
            if scale == sizes.count - 1 {
                // The final image's row. If the last step made the loss worse, the last
                // accepted image is the result instead.
                let final = evaluate(x)
                evaluations += 1
                if let accepted = result.lastAccepted, !(final.parts.total <= accepted.parts.total) {
                    x = accepted.image
                    observe(StylizationStep(row: LossRow(iteration: iteration, parts: accepted.parts, seconds: seconds()), image: x,
                                            scale: scale, size: size, fractionDone: 1))
                } else {
                    observe(StylizationStep(row: LossRow(iteration: iteration, parts: final.parts, seconds: seconds()), image: x,
                                            scale: scale, size: size, fractionDone: 1))
                }
            }
        }
        return StylizationResult(image: x, end: .finished, steps: steps, evaluations: evaluations)
    }
}

/// `descend` with a fresh optimiser of the kind asked for (L-BFGS keeps 100 pairs, as in neural-style).
func descend(_ image: Tensor, iterations: Int, optimiser kind: OptimiserKind, learningRate: Float?, historySize: Int = 100,
             evaluate: (Tensor) -> (parts: LossParts, gradient: Tensor),
             progress: (DescentProgress) -> Void, shouldStop: () -> Bool) -> DescentResult {
    let rate = learningRate ?? kind.defaultLearningRate
    switch kind {
    case .lbfgs:
        var optimiser = LBFGS(historySize: historySize, learningRate: rate)
        return descend(image, iterations: iterations, optimiser: &optimiser, evaluate: evaluate, progress: progress, shouldStop: shouldStop)
    case .adam:
        var optimiser = Adam(learningRate: rate)
        return descend(image, iterations: iterations, optimiser: &optimiser, evaluate: evaluate, progress: progress, shouldStop: shouldStop)
    case .gd:
        var optimiser = GradientDescent(learningRate: rate)
        return descend(image, iterations: iterations, optimiser: &optimiser, evaluate: evaluate, progress: progress, shouldStop: shouldStop)
    }
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
