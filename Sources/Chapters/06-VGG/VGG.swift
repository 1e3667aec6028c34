import Tensors

// A VGG network's feature part with its weights: VGG19 (what Gatys et al. used) or VGG16, as
// `VGGArchitecture` describes them. Pooling is max pooling as in VGG, or average pooling, which
// Gatys et al. found gives slightly smoother images.
//
// This file is the network and its weights. VGGForwardAndBackward.swift runs it with the plain
// operations of the module Tensors, one layer after another, as a learner reads it; the engine's
// `FastVGG` runs the same network on the fast kernels, and its tests check the two agree.

/// A VGG network's convolutional part with its weights: VGG19, as Gatys et al. used it, or VGG16
/// (chapter 6).
public struct VGG: Sendable {
    /// Which VGG: its layers, their names and shapes.
    public var architecture: VGGArchitecture
    /// The convolutions' kernels (K, C, 3, 3) and biases (K), in order (16 for VGG19).
    public var convolutions: [ConvolutionWeights]
    /// Max pooling, as VGG was trained, or average pooling, which Gatys et al. prefer.
    public var pooling: PoolingKind
    /// How a picture must be prepared for these weights (Caffe's for the original VGG19).
    public var preprocessing: Preprocessing

    /// A network of `architecture` with these weights, pooling and preprocessing.
    public init(_ architecture: VGGArchitecture = .vgg19, convolutions: [ConvolutionWeights], pooling: PoolingKind = .max,
                preprocessing: Preprocessing = .caffe) {
        precondition(convolutions.count == architecture.convolutionShapes.count,
                     "\(architecture.name) has \(architecture.convolutionShapes.count) convolutions")
        self.architecture = architecture
        self.convolutions = convolutions
        self.pooling = pooling
        self.preprocessing = preprocessing
    }

    /// Every layer in order: conv, relu, conv, relu, pool, ...
    public var layers: [VGGLayer] { architecture.layers }

    /// Where the layer called `name` sits in `layers` (nil if this network has none).
    public func layerIndex(_ name: String) -> Int? { architecture.layerIndex(name) }

    /// Random weights of the right shapes (He initialisation, so activations keep their scale),
    /// for benchmarks and tests: the timing is the same as with real weights. Tests pass a
    /// `widthDivisor` to keep the layers and their names but divide every channel count
    /// (except the image's 3), which makes a debug build fast enough for gradient checks.
    public static func randomWeights(_ architecture: VGGArchitecture = .vgg19, seed: UInt64 = 1, pooling: PoolingKind = .max,
                                     widthDivisor: Int = 1) -> VGG {
        let layers = architecture.convolutionShapes.enumerated().map { n, fullShape in
            let shape = (inputChannels: n == 0 ? 3 : fullShape.inputChannels / widthDivisor,
                         outputChannels: fullShape.outputChannels / widthDivisor)
            let scale = (2 / Float(shape.inputChannels * 9)).squareRoot()
            let weights = Tensor.random(shape: [shape.outputChannels, shape.inputChannels, 3, 3],
                                        in: -scale * 1.7...scale * 1.7, seed: seed &+ UInt64(n))
            return ConvolutionWeights(weights: weights, bias: Tensor.random(shape: [shape.outputChannels], in: -0.1...0.1, seed: seed &+ 100 &+ UInt64(n)))
        }
        return VGG(architecture, convolutions: layers, pooling: pooling)
    }
}

/// One 3x3 convolution layer's parameters: kernels (K, C, 3, 3) and biases (K).
public struct ConvolutionWeights: Sendable {
    /// The kernels, (K, C, 3, 3).
    public var weights: Tensor
    /// One bias per kernel, (K).
    public var bias: Tensor
    /// C, the maps the layer reads.
    public var inputChannels: Int { weights.shape[1] }
    /// K, the maps the layer makes.
    public var outputChannels: Int { weights.shape[0] }

    /// A layer's parameters; the shapes must agree.
    public init(weights: Tensor, bias: Tensor) {
        precondition(weights.shape.count == 4 && weights.shape[2] == 3 && weights.shape[3] == 3, "need (K, C, 3, 3) weights")
        precondition(bias.count == weights.shape[0], "need one bias per kernel")
        self.weights = weights
        self.bias = bias
    }
}
