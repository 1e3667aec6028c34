import Foundation
import Tensors
import Parallel
import Kernels
import TransformationNetwork

// The fast twin of chapter 12's network (TransformationNetwork.swift, Layers.swift): the same
// layers, in the same order, on channels-last maps, with the fast convolution, normalisation
// and upsampling of this folder. Its weight gradients come back as the chapter's do, one tensor
// per parameter in the chapter's order, so the chapter's training and Adam use them unchanged.

/// What the fast forward pass keeps: each layer's input (inside a residual block, its own layers').
public indirect enum FastTape {
    case input(ChannelsLastMaps)
    case block(input: ChannelsLastMaps, inner: [FastTape])

    var input: ChannelsLastMaps {
        switch self {
        case .input(let x), .block(let x, _): return x
        }
    }
}

/// A layer stack of the chapter's, its convolutions prepared for matrix products.
public struct FastLayerStack: Sendable {
    enum FastLayer: Sendable {
        case convolution(FastConvolutionLayer)
        case instanceNormalisation(InstanceNormalisation)
        case relu, upsample, scaledTanh
        case residual(FastLayerStack)
    }
    let layers: [FastLayer]

    /// The fast twin of `stack`.
    public init(_ stack: LayerStack) {
        layers = stack.layers.map { layer in
            switch layer {
            case .convolution(let convolution): return .convolution(FastConvolutionLayer(convolution))
            case .instanceNormalisation(let normalisation): return .instanceNormalisation(normalisation)
            case .relu: return .relu
            case .upsample: return .upsample
            case .scaledTanh: return .scaledTanh
            case .residual(let block): return .residual(FastLayerStack(block))
            }
        }
    }

    /// The output alone, keeping nothing for a backward pass (painting a picture: no layer's
    /// input outlives the next layer). An upsampling and the convolution after it are one step
    /// (`forwardUpsampled`): the upsampled map is never made.
    public func apply(_ input: ChannelsLastMaps) -> ChannelsLastMaps {
        var x = input
        var skipping = false
        for (index, layer) in layers.enumerated() {
            if skipping { skipping = false; continue }
            if case .upsample = layer, index + 1 < layers.count, case .convolution(let next) = layers[index + 1], next.takesUpsampled(width: x.width) {
                x = next.forwardUpsampled(x)
                skipping = true
                continue
            }
            switch layer {
            case .convolution(let convolution): x = convolution.forward(x)
            case .instanceNormalisation(let normalisation): x = normalisation.forward(x)
            case .relu: reluInPlace(&x)
            case .upsample: x = upsampled(x)
            case .scaledTanh: x = Self.elementwise(x) { 127.5 * (tanh($0) + 1) }
            case .residual(let block): x = Self.sum(x, block.apply(x))
            }
        }
        return x
    }

    /// The output and the tape.
    public func forward(_ input: ChannelsLastMaps) -> (output: ChannelsLastMaps, tape: [FastTape]) {
        var x = input
        var tape: [FastTape] = []
        for layer in layers {
            switch layer {
            case .convolution(let convolution): tape.append(.input(x)); x = convolution.forward(x)
            case .instanceNormalisation(let normalisation): tape.append(.input(x)); x = normalisation.forward(x)
            case .relu: tape.append(.input(x)); reluInPlace(&x)
            case .upsample: tape.append(.input(x)); x = upsampled(x)
            case .scaledTanh: tape.append(.input(x)); x = Self.elementwise(x) { 127.5 * (tanh($0) + 1) }
            case .residual(let block):
                let (f, inner) = block.forward(x)
                tape.append(.block(input: x, inner: inner))
                x = Self.sum(x, f)
            }
        }
        return (x, tape)
    }

    /// dL/dInput and the parameters' gradients, in the chapter's order. Without
    /// `needsInputGradient`, the first layer's input gradient is not computed (dInput is then
    /// not dL/dInput).
    public func backward(dOutput: ChannelsLastMaps, tape: [FastTape], needsInputGradient: Bool = true) -> (dInput: ChannelsLastMaps, gradients: [Tensor]) {
        var g = dOutput
        var gradients: [[Tensor]] = []
        for (index, (layer, kept)) in zip(layers, tape).enumerated().reversed() {
            let x = kept.input
            switch layer {
            case .convolution(let convolution):
                let (dx, dw, db) = convolution.backward(dOutput: g, input: x, needsInputGradient: needsInputGradient || index > 0)
                g = dx
                gradients.append([dw, db])
            case .instanceNormalisation(let normalisation):
                let (dx, dScale, dShift) = normalisation.backward(dOutput: g, input: x)
                g = dx
                gradients.append([dScale, dShift])
            case .relu: g = Self.elementwise(g, x) { $1 > 0 ? $0 : 0 }; gradients.append([])
            case .upsample: g = upsampleBackward(g); gradients.append([])
            case .scaledTanh: g = Self.elementwise(g, x) { dy, x in let t = tanh(x); return dy * 127.5 * (1 - t * t) }; gradients.append([])
            case .residual(let block):
                guard case .block(_, let inner) = kept else { preconditionFailure("a residual block's tape") }
                let (df, blockGradients) = block.backward(dOutput: g, tape: inner)
                g = Self.sum(g, df)
                gradients.append(blockGradients)
            }
        }
        return (g, gradients.reversed().flatMap { $0 })
    }

    /// f applied to each value, over bands of the values.
    static func elementwise(_ a: ChannelsLastMaps, _ f: (Float) -> Float) -> ChannelsLastMaps {
        var out = ChannelsLastMaps(uninitializedHeight: a.height, width: a.width, channels: a.channels)
        a.data.withUnsafeBufferPointer { a in
            out.data.withUnsafeMutableBufferPointer { o in
                let n = o.count, pieces = parallelPieces(n / 1024 + 1, perThread: 4)
                parallelFor(pieces) { piece in
                    for i in (n * piece / pieces)..<(n * (piece + 1) / pieces) { o[i] = f(a[i]) }
                }
            }
        }
        return out
    }

    /// f applied to each pair of values.
    static func elementwise(_ a: ChannelsLastMaps, _ b: ChannelsLastMaps, _ f: (Float, Float) -> Float) -> ChannelsLastMaps {
        var out = ChannelsLastMaps(uninitializedHeight: a.height, width: a.width, channels: a.channels)
        a.data.withUnsafeBufferPointer { a in
            b.data.withUnsafeBufferPointer { b in
                out.data.withUnsafeMutableBufferPointer { o in
                    let n = o.count, pieces = parallelPieces(n / 1024 + 1, perThread: 4)
                    parallelFor(pieces) { piece in
                        for i in (n * piece / pieces)..<(n * (piece + 1) / pieces) { o[i] = f(a[i], b[i]) }
                    }
                }
            }
        }
        return out
    }

    static func sum(_ a: ChannelsLastMaps, _ b: ChannelsLastMaps) -> ChannelsLastMaps { elementwise(a, b) { $0 + $1 } }
}

/// The fast twin of the chapter's `TransformationNetwork`.
public struct FastTransformationNetwork: Sendable {
    /// The chapter's network, whose weights these are.
    public let network: TransformationNetwork
    let stack: FastLayerStack

    /// The network's layers prepared for the fast passes.
    public init(_ network: TransformationNetwork) {
        self.network = network
        stack = FastLayerStack(network.stack)
    }

    /// The picture painted from `rgb` (3, H, W, 0...255; sides multiples of 4) as a (3, H, W)
    /// tensor in 0...255, and the tape for `backward`.
    public func forward(_ rgb: Tensor) -> (picture: Tensor, tape: [FastTape]) {
        precondition(rgb.shape.count == 3 && rgb.shape[0] == 3 && rgb.shape[1] % 4 == 0 && rgb.shape[2] % 4 == 0,
                     "an RGB picture whose sides are multiples of 4")
        let (output, tape) = stack.forward(ChannelsLastMaps(TransformationNetwork.input(rgb)))
        return (output.tensor, tape)
    }

    /// The picture painted from `rgb` (3, H, W, 0...255; sides multiples of 4), in 0...255,
    /// without a tape: what painting a picture takes.
    public func paint(_ rgb: Tensor) -> Tensor {
        precondition(rgb.shape.count == 3 && rgb.shape[0] == 3 && rgb.shape[1] % 4 == 0 && rgb.shape[2] % 4 == 0,
                     "an RGB picture whose sides are multiples of 4")
        return stack.apply(ChannelsLastMaps(TransformationNetwork.input(rgb))).tensor
    }

    /// The weights' gradients (the chapter's order) given dL/dPicture (3, H, W) and the tape.
    public func backward(dPicture: Tensor, tape: [FastTape]) -> [Tensor] {
        // Nothing learns below the first layer: its input gradient is not needed.
        stack.backward(dOutput: ChannelsLastMaps(dPicture), tape: tape, needsInputGradient: false).gradients
    }
}
