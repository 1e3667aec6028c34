import SeededRandom
import Tensors
import GeneratedShapes

// Chapter 5's complete network, the one the article's "Pooling Layers" section ends with: a layer
// of feature maps (shared 5x5 kernels, ReLU, chapter 4), 2x2 pooling, then a fully connected
// layer to one output per class, read as probabilities by softmax. It learns its own kernels by
// stochastic gradient descent on the cross-entropy, with every backward pass written out, layer
// by layer. (`pooling: nil` leaves the pooling out, to compare.)

/// Chapter 5's complete network: feature maps, pooling and a fully connected layer to the classes,
/// trained by stochastic gradient descent.
public struct ConvolutionalNetwork: Sendable {
    /// The shared kernels, (maps, 1, 5, 5).
    public var kernels: Tensor          // (maps, 1, 5, 5)
    /// One shared bias per feature map.
    public var kernelBiases: Tensor     // (maps)
    /// The fully connected layer's weights, (classes, maps x side x side).
    public var outputWeights: Tensor    // (classes, maps * side * side)
    /// One bias per class.
    public var outputBiases: Tensor     // (classes)
    /// Max or average pooling after the feature maps; nil for none.
    public let pooling: PoolingKind?

    /// A network with random kernels and output weights drawn from `seed`.
    public init(maps: Int = 3, kernelSide: Int = 5, inputSide: Int = 28, classes: Int, pooling: PoolingKind?, seed: UInt64) {
        self.pooling = pooling
        let mapSide = inputSide - kernelSide + 1
        let pooledSide = pooling == nil ? mapSide : mapSide / 2
        let features = maps * pooledSide * pooledSide
        let kernelScale = (2 / Float(kernelSide * kernelSide)).squareRoot()
        kernels = Tensor.random(shape: [maps, 1, kernelSide, kernelSide], in: -kernelScale...kernelScale, seed: seed)
        kernelBiases = Tensor(shape: [maps], value: 0.01)
        let outputScale = 1 / Float(features).squareRoot()
        outputWeights = Tensor.random(shape: [classes, features], in: -outputScale...outputScale, seed: seed + 1)
        outputBiases = Tensor(shape: [classes])
    }

    /// Every layer's output for one image (1, 28, 28): weighted sums, feature maps, pooled maps, scores.
    public struct Pass {
        /// The image, the kernels' weighted sums, the feature maps after the ReLU, the pooled maps
        /// and the class scores.
        public var input: Tensor, sums: Tensor, maps: Tensor, pooled: Tensor, scores: Tensor
    }

    /// Every layer's output for `input` (1, 28, 28).
    public func forward(_ input: Tensor) -> Pass {
        let sums = convolutionForward(input: input, weights: kernels, bias: kernelBiases)
        let maps = reluForward(sums)
        let pooled = pooling.map { poolForward(maps, kind: $0) } ?? maps
        let scores = fullyConnectedForward(input: pooled.reshaped([pooled.count]), weights: outputWeights, bias: outputBiases)
        return Pass(input: input, sums: sums, maps: maps, pooled: pooled, scores: scores)
    }

    /// The class with the highest score.
    public func predict(_ input: Tensor) -> Int {
        let scores = forward(input).scores.data
        return scores.indices.max { scores[$0] < scores[$1] }!
    }

    /// The gradients of the cross-entropy for one example, from the output back to the kernels.
    public func gradients(_ input: Tensor, label: Int) -> (kernels: Tensor, kernelBiases: Tensor, outputWeights: Tensor, outputBiases: Tensor) {
        let pass = forward(input)
        let dScores = softmaxCrossEntropyBackward(pass.scores, label: label)
        let output = fullyConnectedBackward(dOutput: dScores, input: pass.pooled.reshaped([pass.pooled.count]), weights: outputWeights)
        let dPooled = output.dInput.reshaped(pass.pooled.shape)
        let dMaps = pooling.map { poolBackward(dOutput: dPooled, input: pass.maps, kind: $0) } ?? dPooled
        let dSums = reluBackward(dOutput: dMaps, input: pass.sums)
        let convolution = convolutionBackward(dOutput: dSums, input: input, weights: kernels)
        return (convolution.dWeights, convolution.dBias, output.dWeights, output.dBias)
    }

    /// One epoch of stochastic gradient descent, one example at a time, in a seeded order.
    public mutating func trainEpoch(_ samples: [ShapeSample], eta: Float, seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        for sample in samples.shuffled(using: &rng) {
            let g = gradients(sample.tensor, label: sample.shape.rawValue)
            func step(_ parameter: inout Tensor, _ gradient: Tensor) {
                for i in 0..<parameter.count { parameter.data[i] -= eta * gradient.data[i] }
            }
            step(&kernels, g.kernels)
            step(&kernelBiases, g.kernelBiases)
            step(&outputWeights, g.outputWeights)
            step(&outputBiases, g.outputBiases)
        }
    }

    /// The share of `samples` whose class is predicted right.
    public func accuracy(_ samples: [ShapeSample]) -> Float {
        Float(samples.filter { predict($0.tensor) == $0.shape.rawValue }.count) / Float(samples.count)
    }
}
