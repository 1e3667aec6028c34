import Tensors

// The transformation network's layers, each with its forward and backward pass, and a stack of
// them. Unlike VGG in chapters 6 to 9, this network learns: its backward pass gives, besides
// dL/dInput, the gradient of every weight it holds, in one fixed order (`parameters`), so that
// chapter 6b's Adam can move them all as one vector.

/// One layer of the transformation network.
public enum Layer: Sendable {
    case convolution(ConvolutionLayer)
    case instanceNormalisation(InstanceNormalisation)
    case relu
    /// Nearest-neighbour x2 (Upsampling.swift).
    case upsample
    /// x + f(x), f a stack of its own: a residual block.
    case residual(LayerStack)
    /// 127.5 (tanh(x) + 1): the pixel range (ScaledTanh.swift).
    case scaledTanh

    /// The layer's weights, in the order its gradients come back.
    public var parameters: [Tensor] {
        switch self {
        case .convolution(let layer): return [layer.weights, layer.bias]
        case .instanceNormalisation(let layer): return [layer.scale, layer.shift]
        case .residual(let stack): return stack.parameters
        case .relu, .upsample, .scaledTanh: return []
        }
    }

    /// The parameters' names, after `prefix` (as a model file stores them).
    public func parameterNames(prefix: String) -> [String] {
        switch self {
        case .convolution: return [prefix + ".weight", prefix + ".bias"]
        case .instanceNormalisation: return [prefix + ".scale", prefix + ".shift"]
        case .residual(let stack): return stack.parameterNames(prefix: prefix)
        case .relu, .upsample, .scaledTanh: return []
        }
    }

    /// The layer with its parameters taken, in order, from `values`.
    func replacingParameters(from values: inout IndexingIterator<[Tensor]>) -> Layer {
        switch self {
        case .convolution(var layer):
            layer.weights = values.next()!
            layer.bias = values.next()!
            return .convolution(layer)
        case .instanceNormalisation(var layer):
            layer.scale = values.next()!
            layer.shift = values.next()!
            return .instanceNormalisation(layer)
        case .residual(let stack): return .residual(stack.replacingParameters(from: &values))
        case .relu, .upsample, .scaledTanh: return self
        }
    }
}

/// What a forward pass keeps for the backward pass: each layer's input (and, inside a residual
/// block, its own layers' inputs).
public indirect enum Tape: Sendable {
    case input(Tensor)
    case block(input: Tensor, inner: [Tape])

    var input: Tensor {
        switch self {
        case .input(let x), .block(let x, _): return x
        }
    }
}

/// Layers applied one after another.
public struct LayerStack: Sendable {
    public var layers: [Layer]

    public init(_ layers: [Layer]) { self.layers = layers }

    /// Every layer's parameters, in order.
    public var parameters: [Tensor] { layers.flatMap(\.parameters) }

    /// Their names: `prefix.INDEX.weight` and so on.
    public func parameterNames(prefix: String) -> [String] {
        layers.enumerated().flatMap { index, layer in layer.parameterNames(prefix: prefix.isEmpty ? "\(index)" : "\(prefix).\(index)") }
    }

    func replacingParameters(from values: inout IndexingIterator<[Tensor]>) -> LayerStack {
        LayerStack(layers.map { $0.replacingParameters(from: &values) })
    }

    /// The output, and the tape the backward pass needs.
    public func forward(_ input: Tensor) -> (output: Tensor, tape: [Tape]) {
        var x = input
        var tape: [Tape] = []
        for layer in layers {
            switch layer {
            case .convolution(let convolution): tape.append(.input(x)); x = convolution.forward(x)
            case .instanceNormalisation(let normalisation): tape.append(.input(x)); x = normalisation.forward(x)
            case .relu: tape.append(.input(x)); x = reluForward(x)
            case .upsample: tape.append(.input(x)); x = upsampleForward(x)
            case .scaledTanh: tape.append(.input(x)); x = scaledTanhForward(x)
            case .residual(let block):
                let (f, inner) = block.forward(x)
                tape.append(.block(input: x, inner: inner))
                x = Tensor(shape: x.shape, data: zip(x.data, f.data).map { $0 + $1 })
            }
        }
        return (x, tape)
    }

    /// dL/dInput and the gradients of `parameters`, in their order, given dL/dOutput and the tape.
    public func backward(dOutput: Tensor, tape: [Tape]) -> (dInput: Tensor, gradients: [Tensor]) {
        var g = dOutput
        var gradients: [[Tensor]] = []   // per layer, last layer first
        for (layer, kept) in zip(layers, tape).reversed() {
            let x = kept.input
            switch layer {
            case .convolution(let convolution):
                let (dx, dw, db) = convolution.backward(dOutput: g, input: x)
                g = dx
                gradients.append([dw, db])
            case .instanceNormalisation(let normalisation):
                let (dx, dScale, dShift) = normalisation.backward(dOutput: g, input: x)
                g = dx
                gradients.append([dScale, dShift])
            case .relu: g = reluBackward(dOutput: g, input: x); gradients.append([])
            case .upsample: g = upsampleBackward(dOutput: g); gradients.append([])
            case .scaledTanh: g = scaledTanhBackward(dOutput: g, input: x); gradients.append([])
            case .residual(let block):
                guard case .block(_, let inner) = kept else { preconditionFailure("a residual block's tape") }
                // y = x + f(x): the gradient reaches x both directly and through f.
                let (df, blockGradients) = block.backward(dOutput: g, tape: inner)
                g = Tensor(shape: g.shape, data: zip(g.data, df.data).map { $0 + $1 })
                gradients.append(blockGradients)
            }
        }
        return (g, gradients.reversed().flatMap { $0 })
    }
}
