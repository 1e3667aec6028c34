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

    /// The fraction of samples whose most active output is the right class.
    public static func accuracy(_ network: Network, _ samples: [ShapeSample]) -> Float {
        Float(samples.filter { network.predict(Tensor(shape: [784], data: $0.pixels)) == $0.shape.rawValue }.count) / Float(samples.count)
    }
}

/// What the hidden units respond to: each first-layer unit's 784 incoming weights drawn as a
/// 28x28 picture (bright = positive, dark = negative), and for the second hidden layer, its
/// weights projected back through the first layer onto the pixels.
public enum HiddenUnitPictures {
    public static func firstLayer(_ network: Network, units: Int) -> [FloatImage] {
        let w = network.weights[0]
        return (0..<min(units, w.shape[0])).map { j in
            FloatImage(channels: 1, height: 28, width: 28, pixels: Array(w.data[(j * 784)..<((j + 1) * 784)])).normalizedForDisplay()
        }
    }

    public static func secondLayer(_ network: Network, units: Int) -> [FloatImage] {
        guard network.weights.count >= 3 else { return [] }
        let w1 = network.weights[0], w2 = network.weights[1]
        return (0..<min(units, w2.shape[0])).map { k in
            var pixels = [Float](repeating: 0, count: 784)
            for j in 0..<w2.shape[1] {
                let weight = w2[k, j]
                for p in 0..<784 { pixels[p] += weight * w1.data[j * 784 + p] }
            }
            return FloatImage(channels: 1, height: 28, width: 28, pixels: pixels).normalizedForDisplay()
        }
    }
}
