import Tensors
import Kernels
import VGG

// The fast twin of chapter 6's VGG (Sources/Chapters/06-VGG, VGGForwardAndBackward.swift):
// channels-last feature maps, Winograd convolutions (module Kernels), and the ReLU fused into
// the layer next to it wherever that saves a pass over memory. It computes what the chapter's
// `VGG.forward` and `VGG.backward` compute; FastVGGTests compare the two at VGG's full width.

/// What a forward pass keeps: each ReLU's output (which backward needs for the ReLU's mask and
/// pooling needs for its maxima), each pool's output, and a copy of any convolution output asked for.
public struct VGGActivations {
    public var architecture: VGGArchitecture
    public var outputs: [Int: ChannelsLastMaps] = [:]
    public var lastLayer: Int
    public var imageHeight: Int, imageWidth: Int

    public subscript(name: String) -> ChannelsLastMaps? {
        guard let index = architecture.layerIndex(name) else { return nil }
        return outputs[index]
    }
}

/// VGG on the fast kernels: the same network as `VGG`, with each convolution prepared for
/// Winograd's algorithm (its transformed kernels are computed on first use and kept).
public struct FastVGG: Sendable {
    public let network: VGG
    public let convolutions: [WinogradConvolution3x3]
    public var pooling: PoolingKind { network.pooling }
    /// When set, each stage's time is added here (the benchmark's split of an evaluation).
    public var stageTimes: StageTimes? = nil

    public init(_ network: VGG) {
        self.network = network
        convolutions = network.convolutions.map { WinogradConvolution3x3(weights: $0.weights, bias: $0.bias) }
    }

    /// The image (3, H, W), already preprocessed, through every layer up to `lastLayer`,
    /// keeping every ReLU's and pool's output and the convolution outputs named in `extra`.
    public func forward(_ image: Tensor, through lastLayer: String, keeping extra: Set<String> = []) -> VGGActivations {
        forward(stageTimes.measure(.layout) { ChannelsLastMaps(image) }, through: lastLayer, keeping: extra)
    }

    /// The same, from channels-last feature maps.
    public func forward(_ image: ChannelsLastMaps, through lastLayer: String, keeping extra: Set<String> = []) -> VGGActivations {
        guard let last = network.layerIndex(lastLayer) else { preconditionFailure("no layer named \(lastLayer)") }
        var activations = VGGActivations(architecture: network.architecture, lastLayer: last, imageHeight: image.height, imageWidth: image.width)
        var x = image
        let layers = network.layers
        var reluDone = false   // the convolution just applied its ReLU as it wrote
        for index in 0...last {
            switch layers[index] {
            case .convolution(let n, let name):
                // Fuse the following ReLU unless the convolution's own output is wanted.
                reluDone = !extra.contains(name)
                x = stageTimes.measure(.convolutions) { convolutions[n].forward(x, relu: reluDone) }
                if extra.contains(name) { activations.outputs[index] = x }
            case .relu:
                if !reluDone { stageTimes.measure(.poolingAndReLU) { reluInPlace(&x) } }
                reluDone = false
                activations.outputs[index] = x
            case .pool:
                x = stageTimes.measure(.poolingAndReLU) { pool2x2(x, average: pooling == .average) }
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
    public func backward(_ activations: VGGActivations, gradients: inout [String: ChannelsLastMaps]) -> Tensor {
        var none: [String: GramGradientFactor] = [:]
        return backward(activations, gradients: &gradients, gramGradients: &none)
    }

    /// The same, with Gram matrices' gradients as well: `gramGradients` maps a ReLU's name to
    /// the S of dL/dF = F S at its output (F that output). Each is applied inside the input
    /// gradient of the convolution above the ReLU, while F's rows pass through the cache anyway;
    /// one with no convolution above it (the deepest layer) is applied on its own.
    public func backward(_ activations: VGGActivations, gradients: inout [String: ChannelsLastMaps],
                         gramGradients: inout [String: GramGradientFactor]) -> Tensor {
        let layers = network.layers
        var g: ChannelsLastMaps? = nil
        var masked = false   // g has already been passed back through the ReLU at this index
        for index in stride(from: activations.lastLayer, through: 0, by: -1) {
            let layer = layers[index]
            if let factor = gramGradients.removeValue(forKey: layer.name) {
                // Not taken by a convolution above: F S as a map of its own.
                let product = stageTimes.measure(.gramMatrices) { factor.applied(to: activations.outputs[index]!) }
                if var existing = gradients[layer.name] {
                    gradients[layer.name] = nil
                    stageTimes.measure(.addingGradients) { accumulate(product, into: &existing) }
                    gradients[layer.name] = existing
                } else {
                    gradients[layer.name] = product
                }
            }
            if let extra = gradients.removeValue(forKey: layer.name) {
                if var current = g {
                    // If g has already passed back through this ReLU, the loss's gradient must
                    // too: masked as it is added.
                    g = nil
                    stageTimes.measure(.addingGradients) {
                        accumulate(extra, into: &current, maskedBy: masked && layer.isReLU ? activations.outputs[index]! : nil)
                    }
                    g = current
                } else {
                    g = extra
                }
            }
            guard var gradient = g else { continue }
            g = nil   // so `gradient` is the only reference, and is changed in place
            let reluBelow: ChannelsLastMaps? = index > 0 && layers[index - 1].isReLU ? activations.outputs[index - 1] : nil
            switch layer {
            case .relu:
                if !masked { stageTimes.measure(.poolingAndReLU) { reluBackwardInPlace(&gradient, output: activations.outputs[index]!) } }
                masked = false
            case .convolution(let n, _):
                // A loss's gradient at the ReLU below is added inside the convolution's output
                // transform, before that ReLU's mask, instead of in a pass of its own.
                // So is a Gram matrix's gradient there, F S, each run of rows as it is written.
                let below = reluBelow == nil ? nil : layers[index - 1].name
                let addend = below.flatMap { gradients.removeValue(forKey: $0) }
                let factor = below.flatMap { gramGradients.removeValue(forKey: $0) }
                gradient = stageTimes.measure(.convolutions) {
                    convolutions[n].backwardInput(gradient, reluOutput: reluBelow, adding: addend, addingFeaturesTimes: factor,
                                                  stageTimes: stageTimes)
                }
                masked = reluBelow != nil
            case .pool:
                // The pool's input is the output of the layer before it, always a ReLU.
                gradient = stageTimes.measure(.poolingAndReLU) {
                    pool2x2Backward(dOutput: gradient, input: activations.outputs[index - 1]!,
                                    average: pooling == .average, throughReLU: reluBelow != nil)
                }
                masked = reluBelow != nil
            }
            g = gradient
        }
        return stageTimes.measure(.layout) { g?.tensor ?? Tensor(shape: [3, activations.imageHeight, activations.imageWidth]) }
    }
}

extension FastVGG {
    /// The fast twin of the chapter's `VGG.meanActivations(over:)`: every filter's mean
    /// activation after its ReLU, over `images` (preprocessed, (3, H, W)) and their positions.
    public func meanActivations(over images: [Tensor]) -> [[Double]] {
        precondition(!images.isEmpty, "the means need at least one image")
        let layers = network.layers
        let reluNames = layers.indices.filter { layers[$0].isConvolution }.map { layers[$0 + 1].name }
        var sums = network.convolutions.map { [Double](repeating: 0, count: $0.outputChannels) }
        var positions = [Double](repeating: 0, count: network.convolutions.count)
        for image in images {
            let maps = forward(image, through: reluNames.last!, keeping: Set(reluNames))
            for (n, name) in reluNames.enumerated() {
                let relu = maps[name]!
                let c = relu.channels
                positions[n] += Double(relu.height * relu.width)
                for p in 0..<(relu.height * relu.width) {
                    for k in 0..<c { sums[n][k] += Double(relu.data[p * c + k]) }
                }
            }
        }
        return sums.enumerated().map { n, layerSums in layerSums.map { $0 / positions[n] } }
    }
}
