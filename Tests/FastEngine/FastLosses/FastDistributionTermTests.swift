import XCTest
import Tensors
import Kernels
import StyleDistribution
import StyleRepresentation
@testable import FastLosses

/// The fast twins of chapter 8b's terms against the chapter's, at VGG's widths: the loss, and
/// the gradient up to the rounding of the projections (the matrix product adds in another order
/// than the chapter's loops), tight enough to see a gradient 0.1% off.
final class FastDistributionTermTests: XCTestCase {
    func maps(_ channels: Int, _ height: Int, _ width: Int, seed: UInt64) -> Tensor {
        // ReLU outputs: about half exactly zero.
        var t = Tensor.random(shape: [channels, height, width], in: -3...5, seed: seed)
        for i in 0..<t.count where t.data[i] < 0 { t.data[i] = 0 }
        return t
    }

    func assertClose(_ fast: ChannelsLastMaps, _ plain: Tensor, _ message: String, file: StaticString = #filePath, line: UInt = #line) {
        let expected = ChannelsLastMaps(plain)
        let largest = expected.data.map(abs).max()!
        var worst: Float = 0
        for (a, b) in zip(fast.data, expected.data) { worst = max(worst, abs(a - b)) }
        XCTAssertLessThan(worst, 2e-5 * largest, message, file: file, line: line)
    }

    func testSlicedWassersteinAgainstTheChapter() {
        // relu1_1's width at a small picture, and relu4_1's and relu5_1's 512, against two styles of other sizes.
        for (n, (c, h, w)) in [(64, 12, 10), (128, 6, 7), (512, 4, 5)].enumerated() {
            let styles = [maps(c, h + 3, w, seed: UInt64(10 * n + 1)), maps(c, h, w + 2, seed: UInt64(10 * n + 2))]
            let picture = maps(c, h, w, seed: UInt64(10 * n + 3))
            let seed = UInt64(7 + n), blend: [Float] = [2, 1]
            let plain = SlicedWassersteinTerm(styles: styles.map { ["l": $0] }, blend: blend, layers: ["l"], seed: seed)
            let layer = FastSlicedWassersteinTerm.layer(styles: styles.map { ChannelsLastMaps($0) }, blend: blend, seed: seed, draw: 0,
                                                        index: 0, positions: h * w)
            XCTAssertEqual(layer.directions, plain.directions["l"]!.data, "the same directions")
            let fast = FastSlicedWassersteinTerm(layers: ["l": layer])
            let (plainLoss, plainGradient) = plain.evaluate(features: picture, layer: "l", weight: 100)
            let (fastLoss, gradient) = fast.evaluate(features: ChannelsLastMaps(picture), layer: "l", weight: 100, times: nil)
            XCTAssertEqual(fastLoss, plainLoss, accuracy: 1e-5 * plainLoss, "loss at \(c) channels")
            guard case .maps(let maps) = gradient else { return XCTFail("the gradient as maps") }
            assertClose(maps, plainGradient, "gradient at \(c) channels")
        }
    }

    func testHistogramAndRissersLossAgainstTheChapter() {
        for (n, (c, h, w)) in [(64, 12, 10), (512, 4, 5)].enumerated() {
            let styles = [maps(c, h + 3, w, seed: UInt64(10 * n + 1)), maps(c, h, w + 2, seed: UInt64(10 * n + 2))]
            let picture = maps(c, h, w, seed: UInt64(10 * n + 3))
            let blend: [Float] = [1, 3]
            let plain = HistogramTerm(styles: styles.map { ["l": $0] }, blend: blend, layers: ["l"])
            let fast = FastHistogramTerm(quantiles: ["l": FastHistogramTerm.quantiles(styles: styles.map { ChannelsLastMaps($0) }, blend: blend,
                                                                                        positions: h * w)])
            let (plainLoss, plainGradient) = plain.evaluate(features: picture, layer: "l", weight: 100)
            let (fastLoss, gradient) = fast.evaluate(features: ChannelsLastMaps(picture), layer: "l", weight: 100, times: nil)
            XCTAssertEqual(fastLoss, plainLoss, accuracy: 1e-5 * plainLoss, "histogram loss at \(c) channels")
            guard case .maps(let fastMaps) = gradient else { return XCTFail("the gradient as maps") }
            assertClose(fastMaps, plainGradient, "histogram gradient at \(c) channels")

            let target = gramMatrixForward(styles[0])
            let plainBoth = HistogramAndGramTerm(gram: GramMatrixTerm(targets: ["l": target]), histogram: plain, histogramFactor: 0.5)
            let fastBoth = FastHistogramAndGramTerm(gram: FastGramMatrixTerm(targets: ["l": target]), histogram: fast, histogramFactor: 0.5)
            let (bothLoss, bothGradient) = plainBoth.evaluate(features: picture, layer: "l", weight: 100)
            let (fastBothLoss, fastBothGradient) = fastBoth.evaluate(features: ChannelsLastMaps(picture), layer: "l", weight: 100, times: nil)
            XCTAssertEqual(fastBothLoss, bothLoss, accuracy: 1e-5 * bothLoss, "Gram and histogram at \(c) channels")
            guard case .maps(let both) = fastBothGradient else { return XCTFail("the gradient as maps") }
            assertClose(both, bothGradient, "Gram and histogram gradient at \(c) channels")
        }
    }
}
