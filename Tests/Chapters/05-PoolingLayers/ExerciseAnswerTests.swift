import XCTest
import PoolingLayers
import GeneratedShapes
import Tensors

/// The numeric answers of the exercises at the end of Notebooks/05-pooling.md: the demo's network
/// and seeds, with the pooling or the learning rate changed, accuracies on the 500 held-out shapes.
final class PoolingExerciseAnswerTests: XCTestCase {
    static let data = ShapesDataset.trainingAndTest()
    nonisolated(unsafe) static var trained: [String: (network: ConvolutionalNetwork, epochs: [Float])] = [:]

    /// The demo's training with this pooling and rate, and the held-out accuracy after each epoch.
    func run(pooling: PoolingKind?, eta: Float = 0.01) -> (network: ConvolutionalNetwork, epochs: [Float]) {
        let key = "\(pooling.map(\.rawValue) ?? "none") \(eta)"
        if let run = Self.trained[key] { return run }
        var epochs: [Float] = []
        let network = PoolingLayers.trainNetwork(eta: eta, pooling: pooling, training: Self.data.training) { _, network in
            epochs.append(network.accuracy(Self.data.test) * 100)
        }
        Self.trained[key] = (network, epochs)
        return (network, epochs)
    }

    func network(pooling: PoolingKind?, eta: Float = 0.01) -> ConvolutionalNetwork { run(pooling: pooling, eta: eta).network }

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
        XCTAssertGreaterThan(accuracy(network(pooling: .max)), accuracy(network(pooling: nil)), "max pooling does best")
        XCTAssertGreaterThan(accuracy(network(pooling: nil)), accuracy(network(pooling: .average)), "and average pooling worst")
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
        for dx in 1...2 {
            XCTAssertGreaterThan(accuracy(network(pooling: .max), movedRight: dx), accuracy(network(pooling: nil), movedRight: dx),
                                 "max pooling forgives a little more, at \(dx) px")
        }
        for pooling in [PoolingKind.max, nil] {
            XCTAssertGreaterThan(accuracy(network(pooling: pooling)), accuracy(network(pooling: pooling), movedRight: 1))
            XCTAssertGreaterThan(accuracy(network(pooling: pooling), movedRight: 1), accuracy(network(pooling: pooling), movedRight: 2))
        }
    }

    /// Exercise 3: eta = 0.1 rises, dips and ends at 95.4%; eta = 0.001 starts at 72% after one
    /// epoch and climbs to 96.8% after four.
    func testLearningRate() {
        let fast = run(pooling: .max, eta: 0.1).epochs, slow = run(pooling: .max, eta: 0.001).epochs
        print("eta 0.1: \(fast), eta 0.001: \(slow)")
        XCTAssertEqual(fast.last!, 95.4, accuracy: 1)
        XCTAssertTrue(zip(fast, fast.dropFirst()).contains { $1 < $0 }, "at 0.1 the accuracy dips")
        XCTAssertGreaterThan(fast.max()!, fast.last!, "and ends below its best")
        XCTAssertEqual(slow.first!, 72, accuracy: 2)
        XCTAssertEqual(slow.last!, 96.8, accuracy: 1)
        XCTAssertTrue(zip(slow, slow.dropFirst()).allSatisfy { $1 > $0 }, "at 0.001 it climbs every epoch")
    }
}
