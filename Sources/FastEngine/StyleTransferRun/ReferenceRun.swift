import Foundation
import Tensors
import Pictures
import VGG
import Optimisers
import StyleTransfer
import FastNetwork

// `style-transfer --reference`: the chapters are the reference, and here they run as a program
// (as llm.c's train_gpt2.c is one), not only as the tests' oracle. The same run is made twice:
// by the engine (`Stylization`: the fast network, the fast loss, L-BFGS on fused vector loops),
// and by the chapters' plain code alone: chapter 6's `VGG`, chapter 9's `StyleTransferLoss` with
// chapter 8's Gram matrices and chapter 7's content term, chapter 6b's optimisers with their
// plain vector loops, inside the same box. Each iteration's loss is printed from both, with how
// far apart they are: rounding differs (the engine sums in other orders, convolves by Winograd's
// transforms, and max pooling sends a window's gradient to whichever of two near-equal values
// it finds larger), so the two agree closely but not to the last bit, and the descents drift
// apart as L-BFGS's steps amplify the difference. The plain code is many times slower than the
// engine, so the reference runs at small sizes.

/// One run made by the engine and by the chapters' plain code, side by side.
public struct ReferenceRun {
    /// The largest longer side the reference runs at: the plain code's minutes grow with the pixels.
    public static let largestSize = 256
    /// The size and iterations when the command line gives none.
    public static let defaultSize = 64, defaultIterations = 5

    /// One iteration's loss from each (the last row: the picture written, rounded to 8 bits).
    public struct Row {
        /// The iteration (the image after that many steps); nil for the picture written.
        public var iteration: Int?
        public var engine: Double, reference: Double
        /// |engine - reference| / |reference|.
        public var difference: Double { abs(engine - reference) / max(abs(reference), .leastNormalMagnitude) }
    }

    public let network: VGG
    public let content: FloatImage?
    public let styles: [FloatImage]
    public let settings: StylizationSettings

    /// The run of `settings` (one scale, the Gram-matrix style term, no colour preservation) on
    /// `network`, with these pictures (RGB 0...255).
    public init(network: VGG, content: FloatImage?, styles: [FloatImage], settings: StylizationSettings) {
        self.network = network
        self.content = content
        self.styles = styles
        self.settings = settings
    }

    /// The engine's run: its rows, and its seconds.
    public func engineRun() -> (rows: [LossRow], seconds: Double) {
        let start = DispatchTime.now().uptimeNanoseconds
        var rows: [LossRow] = []
        _ = Stylization(network: FastVGG(network), content: content, styles: styles, settings: settings).run(observe: { rows.append($0.row) })
        return (rows, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }

    /// The chapters' run: `row` hears each iteration's loss parts as it is made (nil: the picture
    /// written), and the seconds are returned.
    public func referenceRun(row: (_ iteration: Int?, _ parts: LossParts) -> Void) -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        let (height, width) = (content ?? styles[0]).shape(longestSide: settings.size)
        let preprocessing = network.preprocessing
        func tensor(_ picture: FloatImage) -> Tensor { preprocessing.apply(Tensor(shape: [3, picture.height, picture.width], data: picture.pixels)) }
        let styleImages = styles.map { tensor($0.resized(longestSide: settings.styleSize(at: settings.size))) }
        let contentImage = content.map { tensor($0.resized(width: width, height: height)) }
        // Chapter 9's loss; a texture has no content layers, so its content image is never read.
        let loss = StyleTransferLoss(network: network, content: contentImage ?? styleImages[0], styles: styleImages,
                                     blend: settings.blend.isEmpty ? [Float](repeating: 1, count: styles.count) : settings.blend,
                                     contentLayers: content == nil ? [] : settings.contentLayers, styleLayers: settings.styleLayers,
                                     weights: settings.weights)
        let first: Tensor
        switch settings.initialisation {
        case .noise: first = whiteNoise(height: height, width: width, seed: settings.seed)
        case .content: first = contentImage!
        case .image(let picture): first = tensor(picture.rgb().resized(width: width, height: height))
        }
        let box = settings.freeDescent ? nil : Box.pixels(preprocessing, height: height, width: width)
        let rate = settings.learningRate ?? settings.optimiser.defaultLearningRate
        let iterations = settings.iterations(atScale: 0)
        func progress(_ step: DescentProgress) { row(step.iteration - 1, step.parts) }
        let result: DescentResult
        switch settings.optimiser {
        case .lbfgs:
            var optimiser = LBFGS(historySize: settings.historySize, learningRate: rate, arithmetic: LBFGSLoops(), box: box)
            result = descend(first, iterations: iterations, optimiser: &optimiser, loss: loss, progress: progress)
        case .adam:
            var optimiser = Adam(learningRate: rate, box: box)
            result = descend(first, iterations: iterations, optimiser: &optimiser, loss: loss, progress: progress)
        case .gd:
            var optimiser = GradientDescent(learningRate: rate, box: box)
            result = descend(first, iterations: iterations, optimiser: &optimiser, loss: loss, progress: progress)
        }
        // The picture written: the last image rounded to 8 bits, or the last accepted one rounded
        // if that is lower, as the engine's run decides.
        func written(_ image: Tensor) -> Tensor {
            var rgb = preprocessing.invert(image)
            rgb.data = rgb.data.map { min(255, max(0, $0)).rounded() }
            return preprocessing.apply(rgb)
        }
        var parts = loss.evaluate(written(result.image)).parts
        if let accepted = result.lastAccepted, !(parts.total <= accepted.parts.total) {
            let other = loss.evaluate(written(accepted.image)).parts
            if other.total < parts.total { parts = other }
        }
        row(nil, parts)
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    /// Both runs, the table printed row by row as the reference makes it through `say`; the rows.
    public func compare(say: (String) -> Void) -> [Row] {
        let (height, width) = (content ?? styles[0]).shape(longestSide: settings.size)
        say("the reference: the chapters' plain code (VGG, StyleTransferLoss, \(settings.optimiser == .lbfgs ? "LBFGS with LBFGSLoops" : settings.optimiser.rawValue)) "
            + "beside the engine, \(width)x\(height), \(settings.iterations(atScale: 0)) iterations")
        let (engineRows, engineSeconds) = engineRun()
        say(String(format: "the engine: %.2f s; now the plain code, many times slower", engineSeconds))
        say("  iteration      engine loss   reference loss   relative difference")
        var rows: [Row] = []
        let referenceSeconds = referenceRun { iteration, parts in
            // The engine's rows are its iterations in order, then the picture written.
            let engine = iteration.map { engineRows.indices.contains($0) ? engineRows[$0].total : .nan } ?? (engineRows.last?.total ?? .nan)
            let made = Row(iteration: iteration, engine: engine, reference: parts.total)
            rows.append(made)
            let name = iteration.map(String.init) ?? "written"
            say("  " + String(repeating: " ", count: max(0, 9 - name.count)) + name
                + String(format: "   %14.7e   %14.7e   %19.2e", made.engine, made.reference, made.difference))
        }
        if let worst = rows.max(by: { !($0.difference >= $1.difference) }) {
            say(String(format: "the plain code took %.1f s (%.0f times the engine's %.2f s); the largest relative difference, %.2e, at ",
                       referenceSeconds, referenceSeconds / max(engineSeconds, 1e-9), engineSeconds, worst.difference)
                + (worst.iteration.map { "iteration \($0)" } ?? "the picture written"))
        }
        return rows
    }
}
