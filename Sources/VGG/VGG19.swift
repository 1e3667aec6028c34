import Tensors

// The VGG network (Simonyan and Zisserman, 2014), configuration E: VGG19. Its feature part is
// 16 convolution layers, each 3x3 with stride 1 and padding 1 followed by a ReLU, in five
// blocks separated by 2x2 pooling. Gatys et al. use only these features (no fully connected
// layers), and we name layers the way the style-transfer literature does: conv1_1, relu1_1,
// conv1_2, relu1_2, pool1, conv2_1, ..., relu5_4, pool5. Pooling is max pooling as in VGG, or
// average pooling, which Gatys et al. found gives slightly smoother images.
//
// This file is the architecture and its weights. VGG19Plain.swift runs it with the plain
// operations of the module Tensors, one layer after another, as a learner reads it;
// VGG19Fast.swift runs the same network on the fast kernels. Tests check they agree.

/// One step of the feature stack.
public enum VGGLayer: Sendable, Equatable {
    case convolution(index: Int, name: String)
    case relu(name: String)
    case pool(name: String)

    public var isReLU: Bool {
        if case .relu = self { return true }
        return false
    }

    public var name: String {
        switch self {
        case .convolution(_, let name), .relu(let name), .pool(let name): return name
        }
    }
}

public struct VGG19: Sendable {
    /// Convolutions per block, and the channels each block produces.
    public static let blocks: [(convolutions: Int, channels: Int)] = [(2, 64), (2, 128), (4, 256), (4, 512), (4, 512)]

    /// The 16 convolutions' names and (input, output) channels, in order.
    public static let convolutionShapes: [(name: String, inputChannels: Int, outputChannels: Int)] = {
        var shapes: [(String, Int, Int)] = []
        var channels = 3
        for (b, block) in blocks.enumerated() {
            for i in 1...block.convolutions {
                shapes.append(("conv\(b + 1)_\(i)", channels, block.channels))
                channels = block.channels
            }
        }
        return shapes
    }()

    /// Every layer in order: conv, relu, conv, relu, pool, ...
    public static let layers: [VGGLayer] = {
        var layers: [VGGLayer] = []
        var index = 0
        for (b, block) in blocks.enumerated() {
            for i in 1...block.convolutions {
                layers.append(.convolution(index: index, name: "conv\(b + 1)_\(i)"))
                layers.append(.relu(name: "relu\(b + 1)_\(i)"))
                index += 1
            }
            layers.append(.pool(name: "pool\(b + 1)"))
        }
        return layers
    }()

    public static func layerIndex(_ name: String) -> Int? { layers.firstIndex { $0.name == name } }

    /// The deepest of `names` (all layer names): where a forward pass that needs them can stop.
    public static func deepest(of names: [String]) -> String {
        names.max { layerIndex($0)! < layerIndex($1)! }!
    }

    /// The 16 convolutions' kernels (K, C, 3, 3) and biases (K), in order.
    public var convolutions: [ConvolutionWeights]
    public var pooling: PoolingKind
    /// How a picture must be prepared for these weights (Caffe's for the original VGG19).
    public var preprocessing: Preprocessing

    public init(convolutions: [ConvolutionWeights], pooling: PoolingKind = .max, preprocessing: Preprocessing = .caffe) {
        precondition(convolutions.count == 16, "VGG19 has 16 convolutions")
        self.convolutions = convolutions
        self.pooling = pooling
        self.preprocessing = preprocessing
    }

    /// Random weights of the right shapes (He initialisation, so activations keep their scale),
    /// for benchmarks and tests: the timing is the same as with real weights. Tests pass a
    /// `widthDivisor` to keep the layers and their names but divide every channel count
    /// (except the image's 3), which makes a debug build fast enough for gradient checks.
    public static func randomWeights(seed: UInt64 = 1, pooling: PoolingKind = .max, widthDivisor: Int = 1) -> VGG19 {
        let layers = convolutionShapes.enumerated().map { n, fullShape in
            let shape = (inputChannels: n == 0 ? 3 : fullShape.inputChannels / widthDivisor,
                         outputChannels: fullShape.outputChannels / widthDivisor)
            let scale = (2 / Float(shape.inputChannels * 9)).squareRoot()
            let weights = Tensor.random(shape: [shape.outputChannels, shape.inputChannels, 3, 3],
                                        in: -scale * 1.7...scale * 1.7, seed: seed &+ UInt64(n))
            return ConvolutionWeights(weights: weights, bias: Tensor.random(shape: [shape.outputChannels], in: -0.1...0.1, seed: seed &+ 100 &+ UInt64(n)))
        }
        return VGG19(convolutions: layers, pooling: pooling)
    }
}

/// One 3x3 convolution layer's parameters: kernels (K, C, 3, 3) and biases (K).
public struct ConvolutionWeights: Sendable {
    public var weights: Tensor
    public var bias: Tensor
    public var inputChannels: Int { weights.shape[1] }
    public var outputChannels: Int { weights.shape[0] }

    public init(weights: Tensor, bias: Tensor) {
        precondition(weights.shape.count == 4 && weights.shape[2] == 3 && weights.shape[3] == 3, "need (K, C, 3, 3) weights")
        precondition(bias.count == weights.shape[0], "need one bias per kernel")
        self.weights = weights
        self.bias = bias
    }
}
