import XCTest
import SharedWeights
import GeneratedShapes
import Tensors

/// The numeric answers of the exercises at the end of Notebooks/04-shared-weights.md.
final class SharedWeightsExerciseAnswerTests: XCTestCase {
    let diagonal: [Float] = (0..<25).map { $0 / 5 == $0 % 5 ? 0.2 : -0.1 }
    var layer: FeatureMapLayer {
        FeatureMapLayer(weights: Tensor(shape: [4, 1, 5, 5], data: HandSetKernels.weights.data + diagonal), biases: Tensor(shape: [4]))
    }

    func strongest(_ maps: Tensor, map k: Int) -> Float { maps.data[(k * 576)..<((k + 1) * 576)].max()! }

    /// Exercise 1: a diagonal kernel answers the demo's cross with 0.48, its lines and corner with
    /// at most 0.17; the corner kernel answers the cross more strongly still, 0.85.
    func testADiagonalKernel() {
        var rng = SplitMix64Source.make()
        let inputs = [Shape.verticalLine, .horizontalLine, .corner, .cross].map { ShapesDataset.draw($0, using: &rng).tensor }
        let maps = inputs.map(layer.weightedSums)
        XCTAssertEqual(strongest(maps[3], map: 3), 0.48, accuracy: 0.005)
        for i in 0..<3 { XCTAssertLessThanOrEqual(strongest(maps[i], map: 3), 0.175, "input \(i)") }
        XCTAssertEqual(strongest(maps[3], map: 2), 0.85, accuracy: 0.005)
    }

    /// Exercise 2: the vertical-line kernel's strongest answer to a vertical bar 1, 2, 3 and 4
    /// pixels wide: 1.0, 0.5, 0 and 0, and 0 is what empty paper gives.
    func testBarWidth() {
        let answers: [Float] = (1...4).map { width in
            var bar = Tensor(shape: [1, 28, 28])
            for y in 0..<28 { for x in 12..<(12 + width) { bar[0, y, x] = 1 } }
            return strongest(layer.weightedSums(bar), map: 0)
        }
        for (answer, expected) in zip(answers, [Float(1), 0.5, 0, 0]) { XCTAssertEqual(answer, expected, accuracy: 1e-5) }
        XCTAssertEqual(strongest(layer.weightedSums(Tensor(shape: [1, 28, 28])), map: 0), 0)
    }

    /// Exercise 3: through the sigmoid, with the shared biases at 0, empty paper gives 0.5 in every map.
    func testTheSigmoidOfNothing() {
        let maps = layer.featureMaps(Tensor(shape: [1, 28, 28]))
        XCTAssertEqual(maps.data.min()!, 0.5)
        XCTAssertEqual(maps.data.max()!, 0.5)
    }
}
