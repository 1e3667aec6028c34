import SeededRandom
import Foundation
import Tensors

// Chapter 1, "Neural Network": the perceptron.
//
// A perceptron takes inputs x_1 ... x_n, multiplies each by a weight, adds a bias and passes the
// sum through an activation: with the step activation it answers 1 if w . x + b > 0 and 0
// otherwise, so it splits the input space with a straight line (a hyperplane). It learns by
// adjusting each weight in proportion to its error and its input:
//
//     w_i <- w_i + eta * (target - output) * x_i,    b <- b + eta * (target - output)
//
// With the sigmoid activation the output becomes a smooth value between 0 and 1, and the same
// rule, with the sigmoid's slope as an extra factor, is gradient descent on the squared error.

/// What a perceptron does with its weighted sum: the step (the article's threshold) or the sigmoid
/// (a smooth step).
public enum Activation: Sendable {
    /// 1 if the weighted sum is positive, else 0.
    case step
    /// 1 / (1 + e^-z): a smooth step.
    case sigmoid

    /// The activation of the weighted sum `z`.
    public func callAsFunction(_ z: Float) -> Float {
        switch self {
        case .step: return z > 0 ? 1 : 0
        case .sigmoid: return Tensors.sigmoid(z)
        }
    }
}

/// A labelled point: the inputs and the answer the perceptron should give.
public struct Example: Sendable {
    /// The inputs x_1 ... x_n.
    public var inputs: [Float]
    /// The answer wanted: 0 or 1.
    public var target: Float
    /// An example with these inputs and this answer.
    public init(_ inputs: [Float], _ target: Float) {
        self.inputs = inputs
        self.target = target
    }
}

/// One neuron: weights, a bias and an activation, and the learning rule that adjusts them (chapter
/// 1).
public struct Perceptron: Sendable {
    /// One weight per input.
    public var weights: [Float]
    /// The number added to the weighted inputs: it moves the threshold.
    public var bias: Float
    /// The step or the sigmoid.
    public var activation: Activation

    /// A perceptron with these weights, bias and activation.
    public init(weights: [Float], bias: Float, activation: Activation = .step) {
        self.weights = weights
        self.bias = bias
        self.activation = activation
    }

    /// z = w . x + b
    public func weightedSum(_ inputs: [Float]) -> Float {
        zip(weights, inputs).reduce(bias) { $0 + $1.0 * $1.1 }
    }

    /// The activation of the weighted sum: 0 or 1 for the step, between them for the sigmoid.
    public func output(_ inputs: [Float]) -> Float { activation(weightedSum(inputs)) }

    /// The answer as a class: 1 if the output is above one half.
    public func classify(_ inputs: [Float]) -> Float { output(inputs) > 0.5 ? 1 : 0 }

    /// One step of learning on one example: each weight moves in proportion to the error and to
    /// its input (an input of 0 had no part in the mistake). For the sigmoid the error is also
    /// scaled by the sigmoid's slope s(1 - s), which makes this gradient descent.
    public mutating func learn(_ example: Example, eta: Float) {
        let output = self.output(example.inputs)
        var delta = example.target - output
        if case .sigmoid = activation { delta *= output * (1 - output) }
        for i in weights.indices { weights[i] += eta * delta * example.inputs[i] }
        bias += eta * delta
    }

    /// Passes over the examples `epochs` times; after each, `onEpoch(epoch, self)`.
    public mutating func train(_ examples: [Example], epochs: Int, eta: Float, onEpoch: (Int, Perceptron) -> Void = { _, _ in }) {
        for epoch in 1...epochs {
            for example in examples { learn(example, eta: eta) }
            onEpoch(epoch, self)
        }
    }

    /// The fraction of examples classified correctly.
    public func accuracy(_ examples: [Example]) -> Float {
        Float(examples.filter { classify($0.inputs) == $0.target }.count) / Float(examples.count)
    }
}

/// The examples of the chapter.
public enum PerceptronExamples {
    /// AND: 1 only when both inputs are 1.
    public static let and = [Example([0, 0], 0), Example([0, 1], 0), Example([1, 0], 0), Example([1, 1], 1)]
    /// OR: 1 when either input is 1.
    public static let or = [Example([0, 0], 0), Example([0, 1], 1), Example([1, 0], 1), Example([1, 1], 1)]
    /// XOR is 1 when exactly one input is 1: no straight line separates its two classes.
    public static let xor = [Example([0, 0], 0), Example([0, 1], 1), Example([1, 0], 1), Example([1, 1], 0)]

    /// The demo's cloud of sixty points (and its exercises').
    public static var cloud: [Example] { separableCloud(count: 60, seed: 3) }

    /// Points in the unit square, labelled 1 above the line y = 0.8 x + 0.1 and 0 below, with a
    /// margin around the line left empty so the classes are cleanly separable.
    public static func separableCloud(count: Int, seed: UInt64) -> [Example] {
        var rng = SplitMix64(seed: seed)
        var examples: [Example] = []
        while examples.count < count {
            let x = Float.random(in: 0...1, using: &rng), y = Float.random(in: 0...1, using: &rng)
            let side = y - (0.8 * x + 0.1)
            if abs(side) < 0.05 { continue }
            examples.append(Example([x, y], side > 0 ? 1 : 0))
        }
        return examples
    }
}
