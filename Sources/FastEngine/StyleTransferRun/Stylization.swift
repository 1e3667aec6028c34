import Foundation
import Tensors
import VGG
import Optimisers
import Pictures
import StyleTransfer
import FastNetwork
import FastOptimisers
import FastLosses

// Chapter 9, "Styling an Image", as a whole run: the content photo and the style paintings go
// through the network once to give the targets; then, from white noise (or the photo), the
// pixels descend the gradient of the content, style and total-variation losses.
//
// Coarse to fine (Gatys et al. 2017, "Controlling Perceptual Factors in Neural Style Transfer";
// neural-style's multi-resolution recipe): with several scales the run first optimises a small
// version of the picture, where each iteration is cheap and the large shapes settle; then it
// enlarges the result as the start of the next scale, twice as large, and so on up to the full
// size.

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
    /// RGB, 0...255, at any size (resized to each scale), as given.
    public let content: FloatImage?
    public let styles: [FloatImage]
    public let settings: StylizationSettings
    /// Terms on the pixels the run's loss adds beyond total variation (PixelTerm.swift).
    public let morePixelTerms: [any PixelTerm]
    /// The pictures the transfer runs on: as given, or as the colour preservation prepares them.
    let runContent: FloatImage?, runStyles: [FloatImage]

    /// A run of `settings`; its loss adds `morePixelTerms` to chapter 9's.
    public init(network: FastVGG, content: FloatImage?, styles: [FloatImage], settings: StylizationSettings,
                morePixelTerms: [any PixelTerm] = []) {
        precondition(!styles.isEmpty || content != nil, "need a content photo or a style image")
        self.network = network
        self.morePixelTerms = morePixelTerms
        self.content = content
        self.styles = styles
        self.settings = settings
        if let colours = settings.colours, let content {
            (runContent, runStyles) = colours.prepare(content: content, styles: styles)
        } else {
            (runContent, runStyles) = (content, styles)
        }
    }

    /// The output's height and width at longer side `size`: the content photo's shape, or for
    /// texture synthesis the first style image's.
    public func shape(longestSide size: Int) -> (height: Int, width: Int) {
        (content ?? styles[0]).shape(longestSide: size)
    }

    /// The picture an optimised image shows: preprocessing undone, the photo's colours put back
    /// if the settings ask, clamped to 0...255.
    public func picture(of image: Tensor) -> FloatImage {
        let rgb = network.network.preprocessing.invert(image)
        var picture = FloatImage(channels: 3, height: rgb.shape[1], width: rgb.shape[2], pixels: rgb.data)
        if let colours = settings.colours, let content { picture = colours.finish(picture, content: content) }
        picture.pixels = picture.pixels.map { min(255, max(0, $0)) }
        return picture
    }

    /// The run's memory plan for `settings.memoryBudget`, or why the budget is too small; nil
    /// without a budget.
    public func memoryPlan() -> Result<MemoryPlan, MemoryPlanError>? {
        guard let budget = settings.memoryBudget else { return nil }
        return MemoryPlan.make(settings: settings, architecture: network.network.architecture, budget: budget, content: content, styles: styles)
    }

    /// The picture the optimisation itself made (RGB, clamped to 0...255), before any colours are
    /// put back: what a video's next frame carries over (chapter 11).
    public func runPicture(of image: Tensor) -> FloatImage {
        let rgb = network.network.preprocessing.invert(image)
        return FloatImage(channels: 3, height: rgb.shape[1], width: rgb.shape[2], pixels: rgb.data.map { min(255, max(0, $0)) })
    }

    /// The image as a file holds it: the run's picture with every value rounded to 8 bits (as the
    /// writers round), prepared for the network again. Its loss is the loss of the picture written,
    /// the one `--init FILE --iterations 0` measures (with colours put back, of the picture before
    /// they are: the loss compares that one).
    public func writtenImage(of image: Tensor) -> Tensor {
        var picture = runPicture(of: image)
        picture.pixels = picture.pixels.map { $0.rounded() }
        return tensor(picture)
    }

    /// The box the pixels stay in at this size (chapter 6b's BoxConstraint.swift), or nil for the free descent.
    func box(height: Int, width: Int) -> Box? {
        settings.freeDescent ? nil : Box.pixels(network.network.preprocessing, height: height, width: width)
    }

    func tensor(_ image: FloatImage) -> Tensor { network.tensor(image) }

    /// Runs every scale. `observe` sees each evaluation (iteration 0 is the initial image, the
    /// last row the final image); `shouldStop` is asked before each evaluation. When pictures are
    /// evaluated in tiles, `observeTiles` hears after each tile how much of the run is done
    /// (0...1) and the seconds so far, so that progress moves within a long evaluation.
    /// `shouldEndScale` is asked before each evaluation of a scale that another follows: true
    /// ends that scale there, as if its iterations were done (the live preview's next-scale button).
    public func run(observe: (StylizationStep) -> Void = { _ in }, observeTiles: (_ fractionDone: Double, _ seconds: Double) -> Void = { _, _ in },
                    shouldStop: () -> Bool = { false }, shouldEndScale: () -> Bool = { false }) -> StylizationResult {
        let plan: MemoryPlan?
        switch memoryPlan() {
        case .success(let made): plan = made
        case .failure(let error): preconditionFailure("\(error) (check memoryPlan() before run())")
        case nil: plan = nil
        }
        var clock = RunClock(settings: settings, plan: plan)
        var result = StylizationResult(image: Tensor(shape: [3, 1, 1]), end: .finished, steps: 0)
        for (scale, size) in settings.sizes.enumerated() {
            let (height, width) = shape(longestSide: size)
            let grid = plan?.scales[scale].grid
            result.image = start(scale: scale, height: height, width: width, previous: result.image)
            let loss = makeLoss(height: height, width: width, size: size, coreSize: grid?.coreSize)
            let context = ScaleContext(scale: scale, size: size, grid: grid, historySize: plan?.scales[scale].historySize ?? settings.historySize)
            var endingScale = false
            let last = scale == settings.sizes.count - 1
            result = descendScale(loss, from: result, context: context, clock: &clock, observe: observe, observeTiles: observeTiles,
                                  shouldStop: {
                                      if shouldStop() { return true }
                                      if !last && shouldEndScale() { endingScale = true }
                                      return endingScale
                                  })
            if endingScale && result.end == .stopped { result.end = .finished }
            if result.end != .finished { return result }
        }
        return result
    }

    /// Where scale `scale` starts: noise, the photo or a picture at the first; then the last
    /// scale's result, enlarged.
    func start(scale: Int, height: Int, width: Int, previous: Tensor) -> Tensor {
        guard scale == 0 else {
            let picture = FloatImage(channels: 3, height: previous.shape[1], width: previous.shape[2], pixels: previous.data)
            return Tensor(shape: [3, height, width], data: picture.resized(width: width, height: height).pixels)
        }
        switch settings.initialisation {
        case .noise: return whiteNoise(height: height, width: width, seed: settings.seed)
        case .content: return tensor(runContent!.resized(width: width, height: height))
        case .image(let picture): return tensor(picture.rgb().resized(width: width, height: height))
        }
    }

    /// The loss at one scale, its targets made from the pictures at that scale (in tiles of
    /// `coreSize`, if given). The resized pictures live only while the targets are made.
    func makeLoss(height: Int, width: Int, size: Int, coreSize: Int?) -> FastStyleTransferLoss {
        let contentImage = runContent.map { tensor($0.resized(width: width, height: height)) }
        let styleImages = runStyles.map { tensor($0.resized(longestSide: settings.styleSize(at: size))) }
        let blend = settings.blend.isEmpty ? [Float](repeating: 1, count: styles.count) : settings.blend
        let contentLayers = content == nil ? [] : settings.contentLayers
        let styleLayers = styles.isEmpty ? [] : settings.styleLayers
        let style = settings.styleTerm.term(network: network, styles: styleImages, blend: blend, layers: styleLayers,
                                            height: height, width: width, coreSize: coreSize)
        return FastStyleTransferLoss(network: network, contentLayers: contentLayers, styleLayers: styleLayers, weights: settings.weights,
                                     contentTargets: FastStyleTransferLoss.contentTargets(network: network, content: contentImage,
                                                                                          layers: contentLayers, coreSize: coreSize),
                                     style: style, morePixelTerms: morePixelTerms)
    }

    /// One scale's descent from `previous.image`, and at the last scale the final image's row.
    func descendScale(_ loss: FastStyleTransferLoss, from previous: StylizationResult, context: ScaleContext, clock: inout RunClock,
                 observe: (StylizationStep) -> Void, observeTiles: (Double, Double) -> Void, shouldStop: () -> Bool) -> StylizationResult {
        var loss = loss
        var run = previous
        // Each evaluation is held back until the optimiser accepts its point: a refused point
        // (an L-BFGS step that overshot) is no iteration and gets no row.
        var evaluated: StylizationStep? = nil
        let work = clock.workPerIteration(context.scale)
        func evaluate(_ image: Tensor) -> (parts: LossParts, gradient: Tensor) {
            let done = clock.workDone
            let result = context.grid.map { grid in
                loss.evaluate(image, tiles: grid) { observeTiles(clock.fraction(done + $0 * work), clock.seconds()) }
            } ?? loss.evaluate(image)
            evaluated = StylizationStep(row: LossRow(iteration: clock.iteration, parts: result.parts, seconds: clock.seconds()), image: image,
                                        scale: context.scale, size: context.size, fractionDone: clock.fraction(done))
            return result
        }
        func descend(_ image: Tensor, iterations: Int) -> DescentResult {
            StyleTransferRun.descend(image, iterations: iterations, optimiser: settings.optimiser, learningRate: settings.learningRate,
                                     historySize: context.historySize, box: box(height: image.shape[1], width: image.shape[2]),
                                     evaluate: evaluate,
                                     progress: { _ in
                                         if let evaluated { observe(evaluated) }
                                         clock.iteration += 1
                                         clock.workDone += work
                                     }, shouldStop: shouldStop)
        }
        let iterations = settings.iterations(atScale: context.scale)
        var result: DescentResult
        if var redrawn = loss.style as? any RedrawnStyleTerm, iterations > 0 {
            // Chapter 8b's terms: the directions are redrawn every `redrawEvery` iterations of the
            // run (draw n covers its iterations n x redrawEvery onwards, whatever the scale), and
            // the optimiser starts afresh at each draw (the chapter's `descendRedrawing`).
            var (done, steps, evaluations) = (0, 0, 0)
            repeat {
                redrawn.redraw(clock.iteration / redrawn.redrawEvery)
                loss.style = redrawn
                let length = min(redrawn.redrawEvery - clock.iteration % redrawn.redrawEvery, iterations - done)
                result = descend(run.image, iterations: length)
                run.image = result.image
                done += length
                steps += result.steps
                evaluations += result.evaluations
            } while done < iterations && !result.diverged && !result.stopped
            result.steps = steps
            result.evaluations = evaluations
        } else {
            result = descend(run.image, iterations: iterations)
        }
        run.image = result.image
        run.steps += result.steps
        run.evaluations += result.evaluations
        if result.diverged { run.end = .diverged; return run }
        if result.stopped { run.end = .stopped; return run }
        guard context.scale == settings.sizes.count - 1 else { return run }
        // The final row describes the picture written: the last image rounded to 8 bits. If its
        // loss is above the last accepted image's (the last step made it worse), that image
        // rounded is evaluated too, and the lower of the two is the result.
        var final = writtenImage(of: run.image)
        var parts = evaluate(final).parts
        run.evaluations += 1
        if let accepted = result.lastAccepted, !(parts.total <= accepted.parts.total) {
            let other = writtenImage(of: accepted.image)
            let otherParts = evaluate(other).parts
            run.evaluations += 1
            if otherParts.total < parts.total { (final, parts) = (other, otherParts) }
        }
        run.image = final
        observe(StylizationStep(row: LossRow(iteration: clock.iteration, parts: parts, seconds: clock.seconds()), image: run.image,
                                scale: context.scale, size: context.size, fractionDone: 1))
        return run
    }
}

/// One scale of a run: which, its longer side, its tiles (nil: whole), L-BFGS's history.
struct ScaleContext {
    var scale: Int, size: Int
    var grid: TileGrid?
    var historySize: Int
}

/// A run's time and its share of work done. The work of an iteration grows with the pixels it
/// evaluates: scale i's iterations count (size_i)^2 each, times, in tiles, the halos' extra pixels
/// and half again for the second forward pass (a forward pass costs about what the backward one does).
struct RunClock {
    let start = DispatchTime.now().uptimeNanoseconds
    let work: [Double]
    let totalWork: Double
    var workDone = 0.0
    /// The iterations done over all scales.
    var iteration = 0

    init(settings: StylizationSettings, plan: MemoryPlan?) {
        let sizes = settings.sizes
        work = sizes.indices.map { i in
            let tiled = plan.map { $0.scales[i].grid.isWhole ? 1 : $0.scales[i].grid.overlap * 1.5 } ?? 1
            return Double(sizes[i] * sizes[i]) * tiled
        }
        totalWork = max(zip(sizes.indices, work).map { Double(settings.iterations(atScale: $0)) * $1 }.reduce(0, +), 1)
    }

    func workPerIteration(_ scale: Int) -> Double { work[scale] }
    func fraction(_ done: Double) -> Double { done / totalWork }
    func seconds() -> Double { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }
}

extension FastVGG {
    /// A picture (RGB 0...255) as the network takes it: preprocessed, (3, H, W).
    public func tensor(_ image: FloatImage) -> Tensor {
        network.preprocessing.apply(Tensor(shape: [3, image.height, image.width], data: image.pixels))
    }
}

/// `descend` with a fresh optimiser of the kind asked for, inside `box` (nil: free); L-BFGS on the
/// engine's fused vector operations (`FastLBFGSLoops`).
func descend(_ image: Tensor, iterations: Int, optimiser kind: OptimiserKind, learningRate: Float?, historySize: Int, box: Box?,
             evaluate: (Tensor) -> (parts: LossParts, gradient: Tensor),
             progress: (DescentProgress) -> Void, shouldStop: () -> Bool) -> DescentResult {
    let rate = learningRate ?? kind.defaultLearningRate
    switch kind {
    case .lbfgs:
        var optimiser = LBFGS(historySize: historySize, learningRate: rate, arithmetic: FastLBFGSLoops(), box: box)
        return descend(image, iterations: iterations, optimiser: &optimiser, evaluate: evaluate, progress: progress, shouldStop: shouldStop)
    case .adam:
        var optimiser = Adam(learningRate: rate, box: box)
        return descend(image, iterations: iterations, optimiser: &optimiser, evaluate: evaluate, progress: progress, shouldStop: shouldStop)
    case .gd:
        var optimiser = GradientDescent(learningRate: rate, box: box)
        return descend(image, iterations: iterations, optimiser: &optimiser, evaluate: evaluate, progress: progress, shouldStop: shouldStop)
    }
}
