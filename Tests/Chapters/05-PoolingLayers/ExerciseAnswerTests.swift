import XCTest
import PoolingLayers
import GeneratedShapes
import Tensors

/// The numeric answers of the exercises at the end of Notebooks/05-pooling.md: the demo's network
/// and seeds, with the pooling or the learning rate changed, accuracies on the 500 held-out shapes.
final class PoolingExerciseAnswerTests: XCTestCase {
    static let data = ShapesDataset.trainingAndTest()
    nonisolated(unsafe) static var trained: [String: ConvolutionalNetwork] = [:]

    func network(pooling: PoolingKind?, eta: Float = 0.01) -> ConvolutionalNetwork {
        let key = "\(pooling.map(\.rawValue) ?? "none") \(eta)"
        if let network = Self.trained[key] { return network }
        let network = PoolingLayers.trainNetwork(eta: eta, pooling: pooling, training: Self.data.training)
        Self.trained[key] = network
        return network
    }

    func accuracy(_ network: ConvolutionalNetwork, movedRight dx: Int = 0) -> Float {
        let moved = Self.data.test.map { sample in
            var out = sample
            for y in 0..<28 { for x in 0..<28 { out.pixels[y * 28 + x] = x >= dx ? sample.pixels[y * 28 + x - dx] : 0 } }
            return out
        }
        return network.accuracy(moved) * 100
    }

    /// Exercise 1: average pooling ends at 96.6%, no pooling at 98.0% with four times the output
    /// weights (8,640 against 2,160), max pooling at 99.0%.
    func testPoolingKinds() {
        XCTAssertEqual(accuracy(network(pooling: .max)), 99.0, accuracy: 1)
        XCTAssertEqual(accuracy(network(pooling: .average)), 96.6, accuracy: 1)
        XCTAssertEqual(accuracy(network(pooling: nil)), 98.0, accuracy: 1)
        XCTAssertEqual(network(pooling: .max).outputWeights.count, 2_160)
        XCTAssertEqual(network(pooling: nil).outputWeights.count, 8_640)
    }

    /// Exercise 2: moved 1 and 2 pixels right, the held-out shapes fall to 95.2% and 89.4% with max
    /// pooling and to 94.2% and 87.8% without: one 2x2 pooling buys little tolerance of position.
    func testMovedShapes() {
        XCTAssertEqual(accuracy(network(pooling: .max), movedRight: 1), 95.2, accuracy: 1)
        XCTAssertEqual(accuracy(network(pooling: .max), movedRight: 2), 89.4, accuracy: 1)
        XCTAssertEqual(accuracy(network(pooling: nil), movedRight: 1), 94.2, accuracy: 1)
        XCTAssertEqual(accuracy(network(pooling: nil), movedRight: 2), 87.8, accuracy: 1)
    }

    /// Exercise 3: eta = 0.1 ends at 95.4% after a dip, eta = 0.001 at 96.8% after starting at 72%.
    func testLearningRate() {
        XCTAssertEqual(accuracy(network(pooling: .max, eta: 0.1)), 95.4, accuracy: 1)
        XCTAssertEqual(accuracy(network(pooling: .max, eta: 0.001)), 96.8, accuracy: 1)
    }
}
