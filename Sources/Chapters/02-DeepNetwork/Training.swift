import Tensors
import GeneratedShapes
import Pictures

/// Data for the chapter's two problems, as (input, desired output) pairs.
public enum DeepNetworkData {
    /// XOR with a single output neuron.
    public static let xor: [(Tensor, Tensor)] = [([0, 0], 0), ([0, 1], 1), ([1, 0], 1), ([1, 1], 0)].map {
        (Tensor(shape: [2], data: $0.0), Tensor(shape: [1], data: [$0.1]))
    }

    /// A generated shape as a 784-vector and a one-hot vector of its class.
    public static func vectorized(_ sample: ShapeSample) -> (Tensor, Tensor) {
        var y = Tensor(shape: [Shape.allCases.count])
        y.data[sample.shape.rawValue] = 1
        return (Tensor(shape: [784], data: sample.pixels), y)
    }

    /// The demo's XOR: a network of these sizes, from this seed, after 2000 epochs of
    /// mini-batches of 4 at eta = 2 (the exercises change `sizes` and `seed`).
    public static func learnXOR(sizes: [Int] = [2, 4, 1], seed: UInt64 = 1) -> Network {
        var network = Network(sizes: sizes, seed: seed)
        network.sgd(xor, epochs: 2000, miniBatchSize: 4, eta: 2, seed: 1)
        return network
    }

    /// The demo's shapes: a network of these sizes after 8 epochs of mini-batches of 10 at this
    /// eta, `onEpoch` called after each (the exercises change `sizes` and `eta`).
    public static func learnShapes(_ training: [ShapeSample], sizes: [Int] = [784, 30, 20, 5], eta: Float = 0.5,
                                   onEpoch: (Int, Network) -> Void = { _, _ in }) -> Network {
        var network = Network(sizes: sizes, seed: 2)
        network.sgd(training.map(vectorized), epochs: 8, miniBatchSize: 10, eta: eta, seed: 3, onEpoch: onEpoch)
        return network
    }

    /// The fraction of samples whose most active output is the right class.
    public static func accuracy(_ network: Network, _ samples: [ShapeSample]) -> Float {
        Float(samples.filter { network.predict(Tensor(shape: [784], data: $0.pixels)) == $0.shape.rawValue }.count) / Float(samples.count)
    }
}

/// What the hidden units respond to: each first-layer unit's 784 incoming weights drawn as a
/// 28x28 picture, and for the second hidden layer, its weights projected back through the first
/// layer onto the pixels. Each layer's units share one zero-centred scale (red positive, blue
/// negative), so a unit with small weights looks faint.
public enum HiddenUnitPictures {
    /// The first `units` neurons of the first hidden layer, each neuron's incoming weights drawn as
    /// a 28x28 picture on one diverging scale, and that scale's limit.
    public static func firstLayer(_ network: Network, units: Int, enlargedBy factor: Int = 3) -> (pictures: [FloatImage], limit: Float) {
        let w = network.weights[0]
        let planes = (0..<min(units, w.shape[0])).map { j in Array(w.data[(j * 784)..<((j + 1) * 784)]) }
        let limit = DivergingScale.limit(of: planes)
        return (DivergingScale.pictures(planes, height: 28, width: 28, limit: limit, enlargedBy: factor), limit)
    }

    /// The first `units` neurons of the second hidden layer, projected onto the pixels through the
    /// first layer's weights (W2 W1), on one diverging scale, and its limit.
    public static func secondLayer(_ network: Network, units: Int, enlargedBy factor: Int = 3) -> (pictures: [FloatImage], limit: Float) {
        guard network.weights.count >= 3 else { return ([], 0) }
        let w1 = network.weights[0], w2 = network.weights[1]
        let planes = (0..<min(units, w2.shape[0])).map { k in
            var pixels = [Float](repeating: 0, count: 784)
            for j in 0..<w2.shape[1] {
                let weight = w2[k, j]
                for p in 0..<784 { pixels[p] += weight * w1.data[j * 784 + p] }
            }
            return pixels
        }
        let limit = DivergingScale.limit(of: planes)
        return (DivergingScale.pictures(planes, height: 28, width: 28, limit: limit, enlargedBy: factor), limit)
    }
}
