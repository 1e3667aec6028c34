import XCTest
import Optimisers
import Tensors
import VGG
import Pictures
import StyleTransfer
import FastNetwork
import FastLosses
import PerceptualControl
@testable import StyleTransferRun

/// Whole runs of `Stylization` on a narrow VGG19 (a sixteenth of the channels, random weights):
/// the logged losses follow the pinned definitions, the optimisers' steps do what they say, and
/// a run that is stopped or diverges hands back a usable image.
final class StylizationTests: XCTestCase {
    let network = VGG.randomWeights(seed: 9, widthDivisor: 16)

    func picture(height: Int, width: Int, seed: UInt64) -> FloatImage {
        FloatImage(channels: 3, height: height, width: width, pixels: Tensor.random(shape: [3, height, width], in: 0...255, seed: seed).data)
    }

    func stylization(_ change: (inout StylizationSettings) -> Void = { _ in }, content: FloatImage? = nil) -> Stylization {
        var settings = StylizationSettings()
        settings.size = 32
        settings.iterations = 3
        change(&settings)
        return Stylization(network: FastVGG(network), content: content ?? picture(height: 24, width: 32, seed: 1),
                           styles: [picture(height: 32, width: 20, seed: 2)], settings: settings)
    }

    func rows(_ run: Stylization, shouldStop: @escaping () -> Bool = { false }) -> (rows: [LossRow], result: StylizationResult) {
        var rows: [LossRow] = []
        let result = run.run(observe: { rows.append($0.row) }, shouldStop: shouldStop)
        return (rows, result)
    }

    /// Iteration 0 of a run that starts from a picture (`--init FILE`) reports the content,
    /// style and total-variation losses of docs/DESIGN.md, recomputed here from the network's
    /// plain forward pass with loops that follow the formulas.
    func testIterationZeroFollowsThePinnedLoss() {
        var start = picture(height: 24, width: 32, seed: 3)
        start.pixels = start.pixels.map { $0.rounded() }    // a picture a file can hold, as the final row describes
        let run = stylization { $0.initialisation = .image(start); $0.iterations = 0 }
        let row = rows(run).rows[0]
        XCTAssertEqual(row.iteration, 0)

        let prepare = { (p: FloatImage) in Preprocessing.caffe.apply(Tensor(shape: [3, p.height, p.width], data: p.pixels)) }
        let x = prepare(start), c = prepare(run.content!), s = prepare(run.styles[0])
        let (fx, fc, fs) = (network.forward(x, through: "relu5_1"), network.forward(c, through: "relu5_1"), network.forward(s, through: "relu5_1"))
        func output(_ outputs: [Tensor], _ layer: String) -> Tensor { outputs[network.layerIndex(layer)!] }
        // content: 5 * mean((F(x) - F(c))^2) at relu4_2
        let (a, b) = (output(fx, "relu4_2").data, output(fc, "relu4_2").data)
        var content = 0.0
        for i in a.indices { content += Double(a[i] - b[i]) * Double(a[i] - b[i]) }
        content = 5 * content / Double(a.count)
        // style: 100 * mean((G(x) - G(s))^2) over the C x C entries, G = F F^T / (C H W), per layer
        func gram(_ f: Tensor) -> [Double] {
            let (channels, plane) = (f.shape[0], f.shape[1] * f.shape[2])
            var g = [Double](repeating: 0, count: channels * channels)
            for i in 0..<channels { for j in 0..<channels { for p in 0..<plane {
                g[i * channels + j] += Double(f.data[i * plane + p]) * Double(f.data[j * plane + p])
            } } }
            return g.map { $0 / Double(f.count) }
        }
        var style = 0.0
        for layer in DefaultLayers.style {
            let (gx, gs) = (gram(output(fx, layer)), gram(output(fs, layer)))
            style += 100 * zip(gx, gs).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } / Double(gx.count)
        }
        // tv: 0.001 * 0.5 * sum of squared differences to the pixel below and to the right
        var tv = 0.0
        let (h, w) = (24, 32)
        for ch in 0..<3 { for y in 0..<h { for xx in 0..<w {
            let v = Double(x.data[(ch * h + y) * w + xx])
            if y + 1 < h { tv += pow(Double(x.data[(ch * h + y + 1) * w + xx]) - v, 2) }
            if xx + 1 < w { tv += pow(Double(x.data[(ch * h + y) * w + xx + 1]) - v, 2) }
        } } }
        tv *= 0.001 * 0.5
        XCTAssertGreaterThan(content, 0)
        XCTAssertGreaterThan(style, 0)
        XCTAssertEqual(row.content, content, accuracy: 1e-4 * content)
        XCTAssertEqual(row.style, style, accuracy: 1e-4 * style)
        XCTAssertEqual(row.totalVariation, tv, accuracy: 1e-5 * tv)
        XCTAssertEqual(row.total, content + style + tv, accuracy: 1e-4 * (content + style + tv))
    }

    /// One step of plain gradient descent, x - lr g, lowers the loss by about lr |g|^2: to first
    /// order exactly, with a second-order term -lr^2 g'Hg / 2. Steps of lr and 2 lr give d1 and
    /// d2; 2 d1 - d2 / 2 cancels the second-order term and must equal lr |g|^2 to 0.5%. The
    /// loss (about 1.2e6) is summed from Float feature maps, so it carries rounding of a few
    /// tenths, itself shifted by any change in the order of the sums: the rate is large enough
    /// that the decreases (about 1800 and 3600) dwarf it, and small enough that the terms of third
    /// order and above leave the two sides within about 0.1% of each other.
    /// (The free step: the picture's values near 0 and 255 would be clipped by the box. Rows 0 and 1
    /// are the start and the point after one step; row 2, the final one, is the picture rounded.)
    func testAGradientDescentStepLowersTheLossByRateTimesGradientSquared() {
        let start = picture(height: 24, width: 32, seed: 4)
        let rate: Float = 8e-6
        func decrease(_ rate: Float) -> Double {
            let logged = rows(stylization {
                $0.initialisation = .image(start); $0.iterations = 2; $0.optimiser = .gd; $0.learningRate = rate; $0.freeDescent = true
            }).rows
            XCTAssertEqual(logged.map(\.iteration), [0, 1, 2])
            return logged[0].total - logged[1].total
        }
        let run = stylization()
        let prepare = { (p: FloatImage) in Preprocessing.caffe.apply(Tensor(shape: [3, p.height, p.width], data: p.pixels)) }
        let targets = FastStyleTransferLoss.targets(network: run.network, content: prepare(run.content!), styles: [prepare(run.styles[0])], blend: [1],
                                                contentLayers: DefaultLayers.content, styleLayers: DefaultLayers.style)
        let gradient = FastStyleTransferLoss(network: run.network, contentLayers: DefaultLayers.content, styleLayers: DefaultLayers.style,
                                         weights: StyleTransferWeights(), contentTargets: targets.content, styleTargets: targets.style)
            .evaluate(prepare(start)).gradient
        let predicted = Double(rate) * gradient.data.reduce(0.0) { $0 + Double($1) * Double($1) }
        let (d1, d2) = (decrease(rate), decrease(2 * rate))
        XCTAssertEqual(d1, predicted, accuracy: 0.2 * predicted, "about lr |g|^2")
        XCTAssertEqual(2 * d1 - d2 / 2, predicted, accuracy: 0.005 * predicted, "exactly, once the second-order term is cancelled")
    }

    /// Coarse to fine: two scales (32 then 64 pixels), the second running half the iterations
    /// of the first, rows numbered on through both, one row per iteration plus the final image's.
    func testScalesRunSmallToLargeAndNumberTheRowsOnwards() {
        var sizes: [Int] = []
        let run = stylization { $0.size = 64; $0.scales = 2; $0.iterations = 4; $0.optimiser = .adam }
        var rows: [LossRow] = []
        let result = run.run(observe: { rows.append($0.row); sizes.append($0.size) })
        XCTAssertEqual(run.settings.sizes, [32, 64])
        XCTAssertEqual(rows.map(\.iteration), Array(0...6))
        XCTAssertEqual(sizes, [32, 32, 32, 32, 64, 64, 64])
        XCTAssertEqual(result.steps, 6)
        XCTAssertEqual(result.image.shape, [3, 48, 64])
        XCTAssertEqual(result.end, .finished)
    }

    /// Asked to stop (Ctrl-C), the run ends before the next evaluation with the current image.
    func testAStoppedRunKeepsItsCurrentImage() {
        var evaluations = 0
        let run = stylization { $0.iterations = 50; $0.optimiser = .adam }
        let result = run.run(observe: { _ in evaluations += 1 }, shouldStop: { evaluations >= 3 })
        XCTAssertEqual(result.end, .stopped)
        XCTAssertEqual(result.steps, 3)
        XCTAssertTrue(result.image.data.allSatisfy(\.isFinite))
        XCTAssertEqual(result.image.shape, [3, 24, 32])
    }

    /// A learning rate far too large makes the loss overflow; the run stops and hands back the
    /// last image whose loss was finite. (The point whose loss overflowed was never accepted, so
    /// it has no row: every row logged is finite.)
    /// (Only the free descent can overflow: inside the box the loss is bounded.)
    func testADivergingRunKeepsTheLastFiniteImage() {
        let run = stylization { $0.iterations = 30; $0.optimiser = .gd; $0.learningRate = 1e12; $0.freeDescent = true }
        let (logged, result) = rows(run)
        XCTAssertEqual(result.end, .diverged)
        XCTAssertLessThan(result.steps, 30)
        XCTAssertTrue(logged.allSatisfy { $0.total.isFinite })
        XCTAssertTrue(result.image.data.allSatisfy(\.isFinite))
        XCTAssertTrue(run.picture(of: result.image).pixels.allSatisfy { $0 >= 0 && $0 <= 255 })
    }

    /// Every image every optimiser evaluates lies in the pixels' box (0...255 before the mean is
    /// subtracted), at two scales from a photo (the first at its own size) of values close to 0 and 255, which free steps
    /// carry outside: the free descent, with the same steps, leaves the box.
    func testTheRunKeepsThePixelsInTheBox() {
        for (kind, rate) in [(OptimiserKind.lbfgs, Float(1)), (.adam, 10), (.gd, 1)] {
            for free in [false, true] {
                var outside = 0, rows = 0
                let run = stylization {
                    $0.size = 64; $0.scales = 2; $0.iterations = 8; $0.initialisation = .content
                    $0.optimiser = kind; $0.learningRate = rate; $0.freeDescent = free
                }
                _ = run.run(observe: { step in
                    rows += 1
                    let box = Box.pixels(.caffe, height: step.image.shape[1], width: step.image.shape[2])
                    if !box.contains(step.image.data) { outside += 1 }
                })
                if free {
                    XCTAssertGreaterThan(outside, 0, "\(kind), free: its steps leave the box")
                } else {
                    XCTAssertEqual(rows, 8 + 4 + 1, "\(kind)")
                    XCTAssertEqual(outside, 0, "\(kind)")
                }
            }
        }
    }

    /// The final row is the loss of the picture written: run again from that picture, rounded to
    /// 8 bits as a file holds it, with no iterations (`--init FILE --iterations 0`), the loss is
    /// the same to the last bit; and the picture is whole numbers in 0...255.
    func testTheFinalRowIsThePictureWritten() {
        for free in [false, true] {
            let (logged, result) = rows(stylization { $0.iterations = 6; $0.freeDescent = free })
            let run = stylization()
            let written = run.picture(of: result.image)
            XCTAssertTrue(written.pixels.allSatisfy { abs($0 - $0.rounded()) < 1e-3 && $0 >= 0 && $0 <= 255 })
            var file = written
            file.pixels = file.pixels.map { $0.rounded() }
            let measured = rows(stylization { $0.initialisation = .image(file); $0.iterations = 0 }).rows
            XCTAssertEqual(measured.map(\.iteration), [0])
            XCTAssertEqual(measured[0].total, logged.last!.total, "free descent: \(free)")
        }
    }

    /// Without a content photo there is no content loss: a texture from the style alone, in
    /// the style image's shape.
    func testTextureSynthesisHasNoContentLoss() {
        var settings = StylizationSettings()
        settings.size = 32
        settings.iterations = 2
        settings.contentLayers = []
        let run = Stylization(network: FastVGG(network), content: nil, styles: [picture(height: 32, width: 20, seed: 2)], settings: settings)
        let (logged, result) = rows(run)
        XCTAssertTrue(logged.allSatisfy { $0.content == 0 && $0.style > 0 })
        XCTAssertEqual(result.image.shape, [3, 32, 20])
    }

    /// Several styles: the target Gram matrix is the blend-weighted sum of theirs, the weights
    /// normalised to sum to 1 (3 and 1 count as 0.75 and 0.25).
    func testStyleBlendWeightsAreNormalised() {
        let fast = FastVGG(network)
        let styles = [picture(height: 32, width: 20, seed: 7), picture(height: 24, width: 24, seed: 8)]
            .map { Preprocessing.caffe.apply(Tensor(shape: [3, $0.height, $0.width], data: $0.pixels)) }
        func target(_ styles: [Tensor], _ blend: [Float]) -> Tensor {
            FastStyleTransferLoss.targets(network: fast, content: nil, styles: styles, blend: blend, contentLayers: [], styleLayers: ["relu2_1"]).style["relu2_1"]!
        }
        let (blended, first, second) = (target(styles, [3, 1]), target([styles[0]], [1]), target([styles[1]], [1]))
        let scale = first.data.map(abs).max()!
        for i in blended.data.indices {
            XCTAssertEqual(blended.data[i], 0.75 * first.data[i] + 0.25 * second.data[i], accuracy: 1e-5 * scale)
        }
    }
}
