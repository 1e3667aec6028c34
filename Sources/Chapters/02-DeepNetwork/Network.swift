import SeededRandom
import Foundation
import Tensors

// Chapter 2, "Deep Neural Network": layers of sigmoid neurons, trained by backpropagation.
//
// This follows Michael Nielsen's network.py (neuralnetworksanddeeplearning.com, chapter 2) and
// uses his names: `sizes`, `weights`, `biases`, `eta`, `nabla_w` (here `nablaWeights`), `delta`.
// One difference: the cost is the cross-entropy of his chapter 3, whose output error is simply
// delta = a - y, which learns faster than the quadratic cost from sigmoid outputs.
//
// Each layer is a fully connected layer followed by a sigmoid, and each has its forward and
// backward pass in Tensors (fullyConnectedForward/Backward, sigmoidForward/Backward). The
// network's backward pass runs them in reverse, layer by layer.

/// A fully connected network of sigmoid layers, after Nielsen's `network.py`: feedforward,
/// backpropagation and stochastic gradient descent (chapter 2).
public struct Network: Sendable {
    /// Neurons per layer, input first: [784, 30, 5] is 784 inputs, 30 hidden neurons, 5 outputs.
    public let sizes: [Int]
    /// weights[l] is (sizes[l + 1], sizes[l]): row j holds the weights into neuron j.
    public var weights: [Tensor]
    /// Each layer's biases (its `sizes[l + 1]` neurons).
    public var biases: [Tensor]

    /// Random weights with standard deviation 1 / sqrt(inputs), so sums do not start saturated.
    public init(sizes: [Int], seed: UInt64) {
        self.sizes = sizes
        var rng = SplitMix64(seed: seed)
        func gaussian() -> Float {
            // Box-Muller from two uniforms.
            let u = max(Float.random(in: 0...1, using: &rng), 1e-7), v = Float.random(in: 0...1, using: &rng)
            return (-2 * log(u)).squareRoot() * cos(2 * Float.pi * v)
        }
        weights = zip(sizes.dropFirst(), sizes).map { outputs, inputs in
            let scale = 1 / Float(inputs).squareRoot()
            return Tensor(shape: [outputs, inputs], data: (0..<(outputs * inputs)).map { _ in gaussian() * scale })
        }
        biases = sizes.dropFirst().map { Tensor(shape: [$0], data: (0..<$0).map { _ in gaussian() }) }
    }

    /// The output activations for input `x`.
    public func feedforward(_ x: Tensor) -> Tensor {
        activations(x).last!
    }

    /// Every layer's activations, the input first.
    public func activations(_ x: Tensor) -> [Tensor] {
        var layers = [x]
        for (w, b) in zip(weights, biases) {
            layers.append(sigmoidForward(fullyConnectedForward(input: layers.last!, weights: w, bias: b)))
        }
        return layers
    }

    /// The gradient of the cross-entropy cost for one example (x, y), layer by layer from the
    /// output back: (nablaWeights, nablaBiases), shaped like `weights` and `biases`.
    public func backprop(_ x: Tensor, _ y: Tensor) -> (nablaWeights: [Tensor], nablaBiases: [Tensor]) {
        let a = activations(x)
        var nablaWeights = weights.map { Tensor(shape: $0.shape) }
        var nablaBiases = biases.map { Tensor(shape: $0.shape) }
        // Output error for sigmoid + cross-entropy: dC/dz = a - y.
        var delta = Tensor(shape: y.shape, data: (0..<y.count).map { a.last!.data[$0] - y.data[$0] })
        for l in stride(from: weights.count - 1, through: 0, by: -1) {
            let (dInput, dWeights, dBias) = fullyConnectedBackward(dOutput: delta, input: a[l], weights: weights[l])
            nablaWeights[l] = dWeights
            nablaBiases[l] = dBias
            // Into the layer below: back through its sigmoid (whose output is a[l]).
            if l > 0 { delta = sigmoidBackward(dOutput: dInput, output: a[l]) }
        }
        return (nablaWeights, nablaBiases)
    }

    /// The cross-entropy cost C = -sum_j [y_j ln a_j + (1 - y_j) ln(1 - a_j)] for one example.
    public func cost(_ x: Tensor, _ y: Tensor) -> Double {
        let a = feedforward(x)
        var sum = 0.0
        for j in 0..<y.count {
            let aj = min(max(Double(a.data[j]), 1e-12), 1 - 1e-12), yj = Double(y.data[j])
            sum -= yj * log(aj) + (1 - yj) * log(1 - aj)
        }
        return sum
    }

    /// One step of gradient descent on a mini-batch: each weight moves by -eta times the average
    /// gradient.
    public mutating func updateMiniBatch(_ batch: [(Tensor, Tensor)], eta: Float) {
        var nablaWeights = weights.map { Tensor(shape: $0.shape) }
        var nablaBiases = biases.map { Tensor(shape: $0.shape) }
        for (x, y) in batch {
            let (dw, db) = backprop(x, y)
            for l in weights.indices {
                for i in 0..<dw[l].count { nablaWeights[l].data[i] += dw[l].data[i] }
                for i in 0..<db[l].count { nablaBiases[l].data[i] += db[l].data[i] }
            }
        }
        let step = eta / Float(batch.count)
        for l in weights.indices {
            for i in 0..<weights[l].count { weights[l].data[i] -= step * nablaWeights[l].data[i] }
            for i in 0..<biases[l].count { biases[l].data[i] -= step * nablaBiases[l].data[i] }
        }
    }

    /// Stochastic gradient descent: each epoch shuffles the data (seeded) and learns from it one
    /// mini-batch at a time. `onEpoch(epoch, self)` is called after each epoch.
    public mutating func sgd(_ trainingData: [(Tensor, Tensor)], epochs: Int, miniBatchSize: Int, eta: Float, seed: UInt64,
                             onEpoch: (Int, Network) -> Void = { _, _ in }) {
        var rng = SplitMix64(seed: seed)
        var data = trainingData
        for epoch in 1...epochs {
            data.shuffle(using: &rng)
            for start in stride(from: 0, to: data.count, by: miniBatchSize) {
                updateMiniBatch(Array(data[start..<min(start + miniBatchSize, data.count)]), eta: eta)
            }
            onEpoch(epoch, self)
        }
    }

    /// The index of the most active output neuron: the network's answer.
    public func predict(_ x: Tensor) -> Int {
        let output = feedforward(x).data
        return output.indices.max { output[$0] < output[$1] }!
    }
}

