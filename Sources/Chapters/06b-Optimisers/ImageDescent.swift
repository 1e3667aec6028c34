import Foundation
import Tensors

// "Styling an image": "we first start with a random image, sometimes known as white noise. We
// then iteratively improve the image" (the article). The same loop reconstructs a picture from
// its content representation alone (chapter 7), synthesises a texture from its style
// representation alone (chapter 8), and repaints a photograph (chapter 9): only the loss
// differs, so the loop lives here, beside the optimisers it drives, below all three chapters.

/// One evaluation's parts, in Double: chapter 7's content term, chapter 8's style term, and
/// chapter 9's total variation (each zero where a loss has none).
public struct LossParts: Sendable {
    /// The content term.
    public var content: Double = 0
    /// The style term, all style layers together.
    public var style: Double = 0
    /// The total-variation term.
    public var totalVariation: Double = 0
    /// Any terms a loss adds beyond these three, together (0 for the losses of chapters 7 to 10).
    public var additional: Double = 0
    /// The loss: the sum of the terms.
    public var total: Double { content + style + totalVariation + additional }
    /// The parts of one evaluation.
    public init(content: Double = 0, style: Double = 0, totalVariation: Double = 0) {
        self.content = content
        self.style = style
        self.totalVariation = totalVariation
    }
}

/// A loss the optimisers descend: a function of an image's pixels, whose parts and gradient
/// with respect to the pixels can be evaluated at any image (3, H, W, preprocessed). Chapter 7's
/// reconstruction, chapter 8's texture synthesis and chapter 9's style transfer are such losses,
/// and so are their fast twins in the engine.
public protocol ImageLoss {
    /// The loss's parts at `image` and its gradient with respect to the image's values.
    func evaluate(_ image: Tensor) -> (parts: LossParts, gradient: Tensor)
}

/// White noise for the optimisation to start from: each value of the preprocessed image drawn
/// uniformly from -scale...scale (Caffe's scale: 0...255 minus the mean), from `seed`.
public func whiteNoise(height: Int, width: Int, scale: Float = 20, seed: UInt64) -> Tensor {
    Tensor.random(shape: [3, height, width], in: -scale...scale, seed: seed)
}

/// What one step reports: the iteration (from 1), the loss's parts before the step, and the time so far.
public struct DescentProgress: Sendable {
    /// This step's number, from 1.
    public var iteration: Int
    /// How many steps the run takes.
    public var iterations: Int
    /// The loss's parts at the image before this step.
    public var parts: LossParts
    /// Seconds since the run began.
    public var seconds: Double

    /// One line: iteration, losses, speed and the time left.
    public var line: String {
        let rate = Double(iteration) / max(seconds, 1e-9)
        let left = Double(iterations - iteration) / max(rate, 1e-9)
        return String(format: "iteration %d/%d  loss %.4g (content %.4g, style %.4g, tv %.3g)  %.2f it/s  %.0f s left",
                      iteration, iterations, parts.total, parts.content, parts.style, parts.totalVariation, rate, left)
    }
}

/// How a descent ended, and with which image.
public struct DescentResult {
    /// The image after the last step taken (or, if the loss diverged, the last image whose loss was finite).
    public var image: Tensor
    /// The loss became NaN or infinite.
    public var diverged: Bool
    /// `shouldStop` asked for the end before all iterations were done.
    public var stopped: Bool
    /// The steps taken.
    public var steps: Int
    /// The loss evaluations made: the steps, plus one for each point the optimiser refused.
    public var evaluations: Int = 0
    /// The last point the optimiser accepted, and its loss: `image` is one step beyond it, not
    /// yet evaluated (a caller that evaluates `image` and finds it worse can keep this one).
    public var lastAccepted: (image: Tensor, parts: LossParts)? = nil
}

/// Runs `iterations` steps of `optimiser` on `image`, calling `progress` after each. A step
/// usually costs one loss evaluation; a point the optimiser refuses (L-BFGS, when a step
/// overshot) costs one more each and is not a step, so the loss `progress` sees never jumps.
/// Stops early, keeping the last accepted image, if the loss becomes NaN or infinite; stops
/// early, keeping the current image, when `shouldStop` (asked before each evaluation) says so.
/// An optimiser with a box starts from the image projected into it, and never leaves it.
public func descend(_ image: Tensor, iterations: Int, optimiser: inout some Optimiser,
                    evaluate: (Tensor) -> (parts: LossParts, gradient: Tensor),
                    progress: (DescentProgress) -> Void = { _ in },
                    shouldStop: () -> Bool = { false }) -> DescentResult {
    var x = image
    optimiser.box?.project(&x.data)
    let first = x
    let start = DispatchTime.now().uptimeNanoseconds
    var lastAccepted: (image: Tensor, parts: LossParts)? = nil
    var evaluations = 0
    for iteration in stride(from: 1, through: iterations, by: 1) {
        var accepted = false
        while !accepted {
            if shouldStop() {
                return DescentResult(image: x, diverged: false, stopped: true, steps: iteration - 1, evaluations: evaluations,
                                     lastAccepted: lastAccepted)
            }
            let (parts, gradient) = evaluate(x)
            evaluations += 1
            guard parts.total.isFinite else {
                return DescentResult(image: lastAccepted?.image ?? first, diverged: true, stopped: false, steps: iteration - 1,
                                     evaluations: evaluations, lastAccepted: lastAccepted)
            }
            let point = x
            accepted = optimiser.step(&x.data, loss: parts.total, gradient: gradient.data)
            if accepted {
                lastAccepted = (point, parts)
                let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
                progress(DescentProgress(iteration: iteration, iterations: iterations, parts: parts, seconds: seconds))
            }
        }
    }
    return DescentResult(image: x, diverged: false, stopped: false, steps: max(0, iterations), evaluations: evaluations,
                         lastAccepted: lastAccepted)
}

/// `descend` on an `ImageLoss`.
public func descend(_ image: Tensor, iterations: Int, optimiser: inout some Optimiser, loss: some ImageLoss,
                    progress: (DescentProgress) -> Void = { _ in }, shouldStop: () -> Bool = { false }) -> DescentResult {
    descend(image, iterations: iterations, optimiser: &optimiser, evaluate: loss.evaluate, progress: progress, shouldStop: shouldStop)
}

/// A reconstruction as chapters 7 and 8 make them: from white noise of the given size and
/// seed, `iterations` steps of `optimiser` on `loss`, with a progress line every 25 iterations
/// (and at the end) handed to `report`. Returns the image and the first and last values of the
/// loss's part that matters (`\.content` for chapter 7, `\.style` for chapter 8).
public func reconstructFromNoise(height: Int, width: Int, seed: UInt64, iterations: Int,
                                 optimiser: inout some Optimiser, part: KeyPath<LossParts, Double>,
                                 loss: some ImageLoss, report: (String) -> Void) -> (result: DescentResult, first: Double, last: Double) {
    var first = 0.0, last = 0.0
    let result = descend(whiteNoise(height: height, width: width, seed: seed), iterations: iterations, optimiser: &optimiser,
                         evaluate: loss.evaluate) { step in
        if step.iteration == 1 { first = step.parts[keyPath: part] }
        last = step.parts[keyPath: part]
        if step.iteration % 25 == 0 || step.iteration == step.iterations { report(step.line) }
    }
    return (result, first, last)
}
