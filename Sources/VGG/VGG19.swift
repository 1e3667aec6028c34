import Dispatch
import Tensors

// The VGG network (Simonyan and Zisserman, 2014), configuration E: VGG19. Its feature part is
// 16 convolution layers, each 3x3 with stride 1 and padding 1 followed by a ReLU, in five
// blocks separated by 2x2 pooling. Gatys et al. use only these features (no fully connected
// layers), and we name layers the way the style-transfer literature does: conv1_1, relu1_1,
// conv1_2, relu1_2, pool1, conv2_1, ..., relu5_4, pool5.

/// Max pooling as in VGG, or average pooling, which Gatys et al. suggest for nicer images.
public enum PoolingKind: String, Sendable {
    case max, average = "avg"
}

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

    public var convolutions: [WinogradConvolution3x3]
    public var pooling: PoolingKind

    public init(convolutions: [WinogradConvolution3x3], pooling: PoolingKind = .max) {
        precondition(convolutions.count == 16, "VGG19 has 16 convolutions")
        self.convolutions = convolutions
        self.pooling = pooling
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
            return WinogradConvolution3x3(weights: weights, bias: Tensor.random(shape: [shape.outputChannels], in: -0.1...0.1, seed: seed &+ 100 &+ UInt64(n)))
        }
        return VGG19(convolutions: layers, pooling: pooling)
    }
}

/// What a forward pass keeps: each ReLU's output (which backward needs for the ReLU's mask and
/// pooling needs for its maxima), each pool's output, and a copy of any convolution output asked for.
public struct VGGActivations {
    public var outputs: [Int: FeatureMaps] = [:]
    public var lastLayer: Int
    public var imageHeight: Int, imageWidth: Int

    public subscript(name: String) -> FeatureMaps? {
        guard let index = VGG19.layerIndex(name) else { return nil }
        return outputs[index]
    }
}

/// Seconds spent in each convolution, forward and backward, for the benchmark's table.
public final class ConvolutionTimings {
    public var forward = [Double](repeating: 0, count: 16)
    public var backward = [Double](repeating: 0, count: 16)
    public init() {}
}

extension VGG19 {
    /// The image (3, H, W), already preprocessed, through every layer up to `lastLayer`.
    /// `timings`, when given, collects each convolution's time.
    public func forward(_ image: Tensor, through lastLayer: String, keeping extra: Set<String> = [],
                        timings: ConvolutionTimings? = nil) -> VGGActivations {
        forward(FeatureMaps(image), through: lastLayer, keeping: extra, timings: timings)
    }

    /// The same, from channels-last feature maps.
    public func forward(_ image: FeatureMaps, through lastLayer: String, keeping extra: Set<String> = [],
                        timings: ConvolutionTimings? = nil) -> VGGActivations {
        guard let last = VGG19.layerIndex(lastLayer) else { preconditionFailure("no layer named \(lastLayer)") }
        var activations = VGGActivations(lastLayer: last, imageHeight: image.height, imageWidth: image.width)
        var x = image
        var reluDone = false   // the convolution just applied its ReLU as it wrote
        for index in 0...last {
            switch VGG19.layers[index] {
            case .convolution(let n, let name):
                let start = Clock.now
                // Fuse the following ReLU unless the convolution's own output is wanted.
                reluDone = !extra.contains(name)
                x = convolutions[n].forward(x, relu: reluDone)
                timings?.forward[n] += Clock.now - start
                if extra.contains(name) { activations.outputs[index] = x }
            case .relu:
                if !reluDone { reluInPlace(&x) }
                reluDone = false
                activations.outputs[index] = x
            case .pool:
                x = pool2x2(x, average: pooling == .average)
                activations.outputs[index] = x
            }
        }
        return activations
    }

    /// Backpropagates to the image: `gradients` maps layer names to dL/d(that layer's output)
    /// and is emptied as they are used (taking them out lets them be updated in place).
    /// Returns dL/dImage as (3, H, W).
    ///
    /// Each ReLU is passed back through inside the layer above it where possible: in the
    /// convolution's output transform, or in the pooling's gradient, as the values are written.
    public func backward(_ activations: VGGActivations, gradients: inout [String: FeatureMaps],
                         timings: ConvolutionTimings? = nil) -> Tensor {
        var g: FeatureMaps? = nil
        var masked = false   // g has already been passed back through the ReLU at this index
        for index in stride(from: activations.lastLayer, through: 0, by: -1) {
            let layer = VGG19.layers[index]
            if let extra = gradients.removeValue(forKey: layer.name) {
                if var current = g {
                    // If g has already passed back through this ReLU, the loss's gradient must
                    // too: masked as it is added.
                    g = nil
                    accumulate(extra, into: &current, maskedBy: masked && layer.isReLU ? activations.outputs[index]! : nil)
                    g = current
                } else {
                    g = extra
                }
            }
            guard var gradient = g else { continue }
            g = nil   // so `gradient` is the only reference, and is changed in place
            let reluBelow: FeatureMaps? = index > 0 && VGG19.layers[index - 1].isReLU ? activations.outputs[index - 1] : nil
            switch layer {
            case .relu:
                if !masked { reluBackwardInPlace(&gradient, output: activations.outputs[index]!) }
                masked = false
            case .convolution(let n, _):
                let start = Clock.now
                gradient = convolutions[n].backwardInput(gradient, reluOutput: reluBelow)
                timings?.backward[n] += Clock.now - start
                masked = reluBelow != nil
            case .pool:
                // The pool's input is the output of the layer before it, always a ReLU.
                gradient = pool2x2Backward(dOutput: gradient, input: activations.outputs[index - 1]!,
                                           average: pooling == .average, throughReLU: reluBelow != nil)
                masked = reluBelow != nil
            }
            g = gradient
        }
        return g?.tensor ?? Tensor(shape: [3, activations.imageHeight, activations.imageWidth])
    }
}

/// Seconds from a monotonic clock.
public enum Clock {
    public static var now: Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }
}
