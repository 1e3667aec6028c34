import XCTest
import DeepNetwork
import GeneratedShapes
import Tensors

/// The numeric answers of the exercises at the end of Notebooks/02-deep-network.md, with the
/// demo's seeds and settings changed only where the exercise says.
final class DeepNetworkExerciseAnswerTests: XCTestCase {
    func xorOutputs(sizes: [Int], seed: UInt64) -> [Float] {
        var network = Network(sizes: sizes, seed: seed)
        network.sgd(DeepNetworkData.xor, epochs: 2000, miniBatchSize: 4, eta: 2, seed: 1)
        return DeepNetworkData.xor.map { network.feedforward($0.0).data[0] }
    }

    /// Exercise 1: with no hidden layer every XOR answer stays at 0.5; with two hidden neurons
    /// seeds 1 and 2 stop with two answers at 0.5 and seed 3 solves it; four solve it from all three.
    func testXORNeedsEnoughHiddenNeurons() {
        func solved(_ outputs: [Float]) -> Bool { zip(outputs, [0, 1, 1, 0]).allSatisfy { abs($0 - $1) < 0.01 } }
        for seed: UInt64 in 1...3 {
            XCTAssertTrue(xorOutputs(sizes: [2, 1], seed: seed).allSatisfy { abs($0 - 0.5) < 0.001 }, "[2, 1] seed \(seed)")
            XCTAssertTrue(solved(xorOutputs(sizes: [2, 4, 1], seed: seed)), "[2, 4, 1] seed \(seed)")
            let two = xorOutputs(sizes: [2, 2, 1], seed: seed)
            if seed == 3 {
                XCTAssertTrue(solved(two), "[2, 2, 1] seed 3: \(two)")
            } else {
                XCTAssertEqual(two.filter { abs($0 - 0.5) < 0.01 }.count, 2, "[2, 2, 1] seed \(seed): \(two)")
            }
        }
    }

    func finalAccuracy(sizes: [Int], eta: Float) -> Float {
        let (training, test) = ShapesDataset.trainingAndTest()
        var network = Network(sizes: sizes, seed: 2)
        network.sgd(training.map(DeepNetworkData.vectorized), epochs: 8, miniBatchSize: 10, eta: eta, seed: 3)
        return DeepNetworkData.accuracy(network, test) * 100
    }

    /// Exercise 2: with no hidden layer, [784, 5], the shapes are still 96.6% right after 8 epochs.
    func testNoHiddenLayer() {
        XCTAssertEqual(finalAccuracy(sizes: [784, 5], eta: 0.5), 96.6, accuracy: 1)
    }

    /// Exercise 3: eta = 5 ends at 90.4% and eta = 0.05 at 77.0%, against 98.8% at 0.5.
    func testLearningRate() {
        XCTAssertEqual(finalAccuracy(sizes: [784, 30, 20, 5], eta: 5), 90.4, accuracy: 1)
        XCTAssertEqual(finalAccuracy(sizes: [784, 30, 20, 5], eta: 0.05), 77.0, accuracy: 1)
    }
}
