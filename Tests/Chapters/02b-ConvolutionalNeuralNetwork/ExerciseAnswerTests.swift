import XCTest
import ConvolutionalNeuralNetwork
import GeneratedShapes
import Tensors

/// The numeric answers of the exercises at the end of Notebooks/02b-convolutional-network.md:
/// the demo's count over 500 generated shapes, with the corner bias or the pooling changed.
final class ConvolutionalNetworkExerciseAnswerTests: XCTestCase {
    let samples = EdgesToCorners.surveyedShapes()

    /// How many of the 100 samples of each shape light some corner neuron above 0.5.
    func yesCounts(cornerBias: Float = CornerDetectors.bias, pooling: PoolingKind = .max) -> [Shape: Int] {
        var counts: [Shape: Int] = [:]
        for sample in samples {
            let strongest = EdgesToCorners.forward(sample.tensor, cornerBias: cornerBias, pooling: pooling)["corners"].data.max()!
            counts[sample.shape, default: 0] += strongest > 0.5 ? 1 : 0
        }
        return counts
    }

    /// Exercise 1: the corner bias makes the AND. At -2.5, 23 crosses and all 100 circles say yes;
    /// at -1.5 one edge is enough and every line does; at -4.5 not even the corners do.
    func testCornerBias() {
        XCTAssertEqual(yesCounts(), [.horizontalLine: 0, .verticalLine: 0, .cross: 0, .circle: 92, .corner: 93])
        XCTAssertEqual(yesCounts(cornerBias: -2.5), [.horizontalLine: 0, .verticalLine: 0, .cross: 23, .circle: 100, .corner: 93])
        let lax = yesCounts(cornerBias: -1.5)
        XCTAssertEqual(lax[.horizontalLine], 100)
        XCTAssertEqual(lax[.verticalLine], 100)
        XCTAssertEqual(yesCounts(cornerBias: -4.5).values.reduce(0, +), 0)
    }

    /// Exercise 2: with average pooling only 21 of 100 corners are found.
    func testAveragePooling() {
        XCTAssertEqual(yesCounts(pooling: .average), [.horizontalLine: 0, .verticalLine: 0, .cross: 0, .circle: 0, .corner: 21])
    }

    /// Exercise 3: a fully connected layer from the 28x28 input to as many neurons as the two
    /// 24x24 edge maps would need 904,320 weights and biases; the edge layer has 52.
    func testSharedWeightsSaveParameters() {
        let edges = EdgesToCorners.forward(Tensor(shape: [1, 28, 28]))["edges"]
        XCTAssertEqual(edges.count * 28 * 28 + edges.count, 904_320)
        XCTAssertEqual(EdgeDetectors.weights.count + EdgeDetectors.biases.count, 52)
    }
}
