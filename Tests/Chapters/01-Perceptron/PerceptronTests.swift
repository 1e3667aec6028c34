import XCTest
import Perceptron
import GradientChecking

final class PerceptronTests: XCTestCase {
    func testLearnsANDAndOR() {
        for examples in [PerceptronExamples.and, PerceptronExamples.or] {
            var p = Perceptron(weights: [0, 0], bias: 0, activation: .step)
            p.train(examples, epochs: 20, eta: 0.1)
            XCTAssertEqual(p.accuracy(examples), 1)
        }
    }

    func testCannotLearnXOR() {
        // Whatever the start and the number of epochs, one line cannot separate XOR.
        for (w0, w1, b) in [(0, 0, 0), (0.5, -0.3, 0.1), (-1, 1, 0.5)] as [(Float, Float, Float)] {
            var p = Perceptron(weights: [w0, w1], bias: b, activation: .step)
            p.train(PerceptronExamples.xor, epochs: 500, eta: 0.1)
            XCTAssertLessThanOrEqual(p.accuracy(PerceptronExamples.xor), 0.75)
        }
    }

    func testSigmoidPerceptronSeparatesTheCloud() {
        let cloud = PerceptronExamples.separableCloud(count: 60, seed: 3)
        var p = Perceptron(weights: [0, 0], bias: 0, activation: .sigmoid)
        XCTAssertLessThan(p.accuracy(cloud), 0.9)
        p.train(cloud, epochs: 200, eta: 2)
        XCTAssertEqual(p.accuracy(cloud), 1)
    }

    func testLearningRuleMovesWeightsByErrorTimesInput() {
        var p = Perceptron(weights: [0, 0], bias: 0, activation: .step)
        p.learn(Example([1, 0], 1), eta: 0.5)    // output 0, error 1: only the first weight and the bias move
        XCTAssertEqual(p.weights, [0.5, 0])
        XCTAssertEqual(p.bias, 0.5)
    }

    /// For the sigmoid perceptron, one step of `learn` is gradient descent on the squared error
    /// E = (target - output)^2 / 2: the change of (w, b) is -eta times dE/d(w, b).
    func testSigmoidLearningRuleIsGradientDescent() {
        let eta: Float = 0.5
        for (n, example) in [Example([0.3, -0.8], 1), Example([1.2, 0.4], 0), Example([-0.5, 0.9], 1)].enumerated() {
            let start = Perceptron(weights: [0.4, -0.2], bias: 0.1 * Float(n), activation: .sigmoid)
            var learned = start
            learned.learn(example, eta: eta)
            let step = zip(learned.weights + [learned.bias], start.weights + [start.bias]).map { $0 - $1 }
            let result = checkGradient(input: start.weights + [start.bias], forward: { p in
                let y = Perceptron(weights: [p[0], p[1]], bias: p[2], activation: .sigmoid).output(example.inputs)
                return [0.5 * (example.target - y) * (example.target - y)]
            }, backward: { d in step.map { -$0 / eta * d[0] } })
            assertGradient(result, "example \(n)")
        }
    }
}
