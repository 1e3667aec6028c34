import XCTest
import SharedWeights
import GeneratedShapes
import Tensors

final class SharedWeightsTests: XCTestCase {
    func testFeatureMapIsTheSharedKernelEverywhere() {
        var rng = SplitMix64Source.make()
        let input = ShapesDataset.draw(.corner, using: &rng).tensor
        let layer = FeatureMapLayer(weights: HandSetKernels.weights, biases: Tensor(shape: [3], data: [0.1, 0, -0.1]))
        let sums = layer.weightedSums(input)
        XCTAssertEqual(sums.shape, [3, 24, 24])
        // Neuron (k, j, l) is b_k + sum of w_k * the 5x5 window at (j, l), for any position.
        for (k, j, l) in [(0, 0, 0), (1, 10, 3), (2, 23, 23)] {
            var expected = layer.biases.data[k]
            for a in 0..<5 { for b in 0..<5 { expected += HandSetKernels.weights.data[k * 25 + a * 5 + b] * input[0, j + a, l + b] } }
            XCTAssertEqual(sums[k, j, l], expected, accuracy: 1e-5)
        }
    }

    func testShiftingTheInputShiftsTheMaps() {
        var rng = SplitMix64Source.make()
        let input = ShapesDataset.draw(.cross, using: &rng).tensor
        let layer = FeatureMapLayer(weights: HandSetKernels.weights, biases: Tensor(shape: [3]))
        let moved = shifted(layer.weightedSums(input), dx: 3, dy: 2)
        let ofMoved = layer.weightedSums(shifted(input, dx: 3, dy: 2))
        for k in 0..<3 { for y in 6..<24 { for x in 6..<24 { XCTAssertEqual(moved[k, y, x], ofMoved[k, y, x], accuracy: 1e-5) } } }
    }

    func testHandSetKernelsRespondToTheirFeature() {
        var rng = SplitMix64Source.make()
        let layer = FeatureMapLayer(weights: HandSetKernels.weights, biases: Tensor(shape: [3]))
        func strongest(_ shape: Shape) -> [Float] {
            let maps = layer.weightedSums(ShapesDataset.draw(shape, using: &rng).tensor)
            return (0..<3).map { maps.data[($0 * 576)..<(($0 + 1) * 576)].max()! }
        }
        let vertical = strongest(.verticalLine), horizontal = strongest(.horizontalLine)
        XCTAssertGreaterThan(vertical[0], vertical[1])
        XCTAssertGreaterThan(horizontal[1], horizontal[0])
    }
}
