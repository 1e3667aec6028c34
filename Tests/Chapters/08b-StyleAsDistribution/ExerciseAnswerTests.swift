import XCTest
import Tensors
import StyleRepresentation
import StyleDistribution

/// The answers of the exercises at the end of Notebooks/08b-style-as-distribution.md.
final class StyleDistributionExerciseAnswerTests: XCTestCase {
    /// Exercise 1: one channel of eight values, +-1 everywhere against +-sqrt(2) at half the
    /// positions and 0 at the rest: the same Gram matrix (mean square 1), and a histogram term
    /// (and a sliced one, with one channel every direction is +-1) of 2 - sqrt(2), about 0.586.
    func testEqualGramMatricesApart() {
        let s = Float(2).squareRoot()
        let evenly = Tensor(shape: [1, 2, 4], data: [1, -1, 1, -1, -1, 1, -1, 1])
        let peaky = Tensor(shape: [1, 2, 4], data: [s, 0, -s, 0, 0, s, 0, -s])
        XCTAssertEqual(gramMatrixForward(evenly)[0, 0], 1, accuracy: 1e-6)
        XCTAssertEqual(gramMatrixForward(peaky)[0, 0], 1, accuracy: 1e-6)
        let histogram = HistogramTerm(styles: [["l": evenly]], blend: [1], layers: ["l"])
        let sliced = SlicedWassersteinTerm(styles: [["l": evenly]], blend: [1], layers: ["l"], seed: 9)
        XCTAssertEqual(histogram.evaluate(features: peaky, layer: "l", weight: 1).loss, 2 - 2.0.squareRoot(), accuracy: 1e-6)
        XCTAssertEqual(sliced.evaluate(features: peaky, layer: "l", weight: 1).loss, 2 - 2.0.squareRoot(), accuracy: 1e-6)
    }

    /// Exercise 2: a blend of [0, 1] with weight 1 and [10, 11] with weight 3 has its median at
    /// 10 + 1/6: the values' levels are 1/16, 3/16, 7/16 and 13/16, and 1/2 lies a sixth of the
    /// way from 7/16 to 13/16.
    func testTheMedianOfABlend() {
        let blend = WeightedValues([(values: [0, 1], weight: 1), (values: [10, 11], weight: 3)])
        XCTAssertEqual(blend.levels, [1.0 / 16, 3.0 / 16, 7.0 / 16, 13.0 / 16])
        XCTAssertEqual(blend.quantile(0.5), 10 + 1.0 / 6, accuracy: 1e-5)
    }
}
