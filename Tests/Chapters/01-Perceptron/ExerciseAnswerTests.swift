import XCTest
import Perceptron

/// The numeric answers of the exercises at the end of Notebooks/01-perceptron.md, done as the
/// exercises say: from zero weights, counting the epochs until every answer is right.
final class PerceptronExerciseAnswerTests: XCTestCase {
    /// The first epoch after which every answer is right, and the perceptron then; nil if none within `limit`.
    func learned(_ examples: [Example], eta: Float, activation: Activation = .step, limit: Int = 1000) -> (epoch: Int, perceptron: Perceptron)? {
        var p = Perceptron(weights: Array(repeating: 0, count: examples[0].inputs.count), bias: 0, activation: activation)
        for epoch in 1...limit {
            p.train(examples, epochs: 1, eta: eta)
            if p.accuracy(examples) == 1 { return (epoch, p) }
        }
        return nil
    }

    func assertPerceptron(_ p: Perceptron?, weights: [Float], bias: Float, file: StaticString = #filePath, line: UInt = #line) {
        guard let p else { return XCTFail("never learned", file: file, line: line) }
        XCTAssertEqual(p.weights.count, weights.count, file: file, line: line)
        for (a, b) in zip(p.weights, weights) { XCTAssertEqual(a, b, accuracy: 1e-6, file: file, line: line) }
        XCTAssertEqual(p.bias, bias, accuracy: 1e-6, file: file, line: line)
    }

    /// Exercise 1: NAND, AND's answers flipped, takes 3 epochs and ends at w = (-0.2, -0.1), b = 0.2.
    func testNAND() {
        let nand = PerceptronExamples.and.map { Example($0.inputs, 1 - $0.target) }
        let result = learned(nand, eta: 0.1)
        XCTAssertEqual(result?.epoch, 3)
        assertPerceptron(result?.perceptron, weights: [-0.2, -0.1], bias: 0.2)
    }

    /// Exercise 2: for the step perceptron from zero weights, eta only scales the weights: AND takes
    /// 5 epochs at 0.01, 0.1 and 1. For the sigmoid on the cloud it sets the pace: 2, 47 and 476 epochs at 2, 0.2, 0.02.
    func testLearningRate() {
        for eta: Float in [0.01, 0.1, 1] {
            let result = learned(PerceptronExamples.and, eta: eta)
            XCTAssertEqual(result?.epoch, 5, "eta \(eta)")
            assertPerceptron(result?.perceptron, weights: [2 * eta, eta], bias: -2 * eta)
        }
        let cloud = PerceptronExamples.cloud
        for (eta, epochs) in [(Float(2), 2), (0.2, 47), (0.02, 476)] {
            XCTAssertEqual(learned(cloud, eta: eta, activation: .sigmoid, limit: 5000)?.epoch, epochs, "eta \(eta)")
        }
    }

    /// Exercise 3: with x1 * x2 as a third input, XOR is learned in 7 epochs, w = (0.1, 0.1, -0.3), b = 0.
    func testXORWithAProductInput() {
        let xor3 = PerceptronExamples.xor.map { Example($0.inputs + [$0.inputs[0] * $0.inputs[1]], $0.target) }
        let result = learned(xor3, eta: 0.1)
        XCTAssertEqual(result?.epoch, 7)
        assertPerceptron(result?.perceptron, weights: [0.1, 0.1, -0.3], bias: 0)
    }
}
