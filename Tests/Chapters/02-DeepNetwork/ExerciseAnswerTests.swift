import XCTest
import DeepNetwork
import GeneratedShapes
import Tensors

/// The numeric answers of the exercises at the end of Notebooks/02-deep-network.md, with the
/// demo's seeds and settings changed only where the exercise says.
final class DeepNetworkExerciseAnswerTests: XCTestCase {
    func xorOutputs(sizes: [Int], seed: UInt64) -> [Float] {
        let network = DeepNetworkData.learnXOR(sizes: sizes, seed: seed)
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

    /// The held-out accuracy after each of the demo's 8 epochs, with these sizes and eta.
    func accuracies(sizes: [Int] = [784, 30, 20, 5], eta: Float = 0.5) -> [Float] {
        let (training, test) = ShapesDataset.trainingAndTest()
        var epochs: [Float] = []
        _ = DeepNetworkData.learnShapes(training, sizes: sizes, eta: eta) { _, network in
            epochs.append(DeepNetworkData.accuracy(network, test) * 100)
        }
        return epochs
    }

    /// Exercise 2: with no hidden layer, [784, 5], the shapes are still 96.6% right after 8
    /// epochs, two points below the deep network.
    func testNoHiddenLayer() {
        let (shallow, deep) = (accuracies(sizes: [784, 5]).last!, accuracies().last!)
        XCTAssertEqual(shallow, 96.6, accuracy: 1)
        XCTAssertEqual(deep - shallow, 2, accuracy: 1, "two points below the deep network")
    }

    /// Exercise 3: eta = 5 ends at 90.4%, going up and down from epoch to epoch, and eta = 0.05
    /// at 77.0%, against 98.8% at 0.5.
    func testLearningRate() {
        let (high, low, demo) = (accuracies(eta: 5), accuracies(eta: 0.05), accuracies())
        XCTAssertEqual(high.last!, 90.4, accuracy: 1)
        XCTAssertTrue(zip(high, high.dropFirst()).contains { $1 < $0 }, "at 5 the accuracy goes down at some epoch: \(high)")
        XCTAssertEqual(low.last!, 77.0, accuracy: 1)
        XCTAssertEqual(demo.last!, 98.8, accuracy: 1)
        XCTAssertGreaterThan(demo.last!, high.last!)
        XCTAssertGreaterThan(high.last!, low.last!)
    }
}
