import Tensors

// Chapter 12: a network that paints in one pass. Johnson, Alahi and Fei-Fei, "Perceptual Losses
// for Real-Time Style Transfer and Super-Resolution" (ECCV 2016), train a feed-forward network
// f_W to turn any photo x into a picture y = f_W(x) whose style-transfer loss (chapter 9's,
// computed through VGG) is low: "we train feed-forward transformation networks for image
// transformation tasks, but rather than using per-pixel loss functions depending only on
// low-level pixel information, we train our networks using perceptual loss functions that
// depend on high-level features from a pretrained loss network." The optimisation chapter 9
// runs for every picture is run once, over many photos, on the network's weights; afterwards a
// picture costs one forward pass.
//
// The network of their supplementary material (Table 1), with instance normalisation for batch
// normalisation (Ulyanov et al.) and upsampling then convolving for the fractionally-strided
// convolutions (Odena et al.):
//
//   9x9 convolution, W maps          (the picture as it is)
//   3x3 convolution, stride 2, 2W    (half the size)
//   3x3 convolution, stride 2, 4W    (a quarter)
//   5 residual blocks of 4W          (each: 3x3 conv, norm, ReLU, 3x3 conv, norm; plus its input)
//   upsample x2, 3x3 convolution, 2W (half)
//   upsample x2, 3x3 convolution, W  (full size)
//   9x9 convolution, 3 maps; scaled tanh to 0...255
//
// with instance normalisation and a ReLU after every convolution but those of the residual
// blocks' second half (normalised, no ReLU) and the last. W = 32 is theirs; `width` chooses.
// The input is the photo's RGB values divided by 255; the output is RGB in 0...255.

/// The image transformation network: its layers and their weights.
public struct TransformationNetwork: Sendable {
    /// W: the first convolution's maps (32 in Johnson et al.); the others have 2W and 4W.
    public let width: Int
    /// The residual blocks (5 in Johnson et al.).
    public let residualBlocks: Int
    /// The layers, in order (`LayerStack` holds each one's forward and backward pass).
    public var stack: LayerStack

    /// Johnson et al.'s network with `width` maps at full size and `residualBlocks` blocks, its
    /// weights drawn from `seed`.
    public init(width: Int = 32, residualBlocks: Int = 5, seed: UInt64) {
        self.width = width
        self.residualBlocks = residualBlocks
        var seeds = seed
        func next() -> UInt64 { seeds &+= 0x9E37_79B9_7F4A_7C15; return seeds }
        func convolution(_ input: Int, _ output: Int, _ kernel: Int, stride: Int = 1) -> Layer {
            .convolution(ConvolutionLayer(inputChannels: input, outputChannels: output, kernelSize: kernel, stride: stride, seed: next()))
        }
        func normalised(_ channels: Int) -> Layer { .instanceNormalisation(InstanceNormalisation(channels: channels)) }
        let (w1, w2, w4) = (width, 2 * width, 4 * width)
        var layers: [Layer] = [
            convolution(3, w1, 9), normalised(w1), .relu,
            convolution(w1, w2, 3, stride: 2), normalised(w2), .relu,
            convolution(w2, w4, 3, stride: 2), normalised(w4), .relu,
        ]
        for _ in 0..<residualBlocks {
            layers.append(.residual(LayerStack([convolution(w4, w4, 3), normalised(w4), .relu, convolution(w4, w4, 3), normalised(w4)])))
        }
        layers += [
            .upsample, convolution(w4, w2, 3), normalised(w2), .relu,
            .upsample, convolution(w2, w1, 3), normalised(w1), .relu,
            convolution(w1, 3, 9), .scaledTanh,
        ]
        stack = LayerStack(layers)
    }

    /// The network's input for a picture (RGB 0...255, (3, H, W)): its values divided by 255.
    public static func input(_ rgb: Tensor) -> Tensor { Tensor(shape: rgb.shape, data: rgb.data.map { $0 / 255 }) }

    /// The picture the network paints from `rgb` (3, H, W, 0...255; H and W multiples of 4, so
    /// the two halvings and the two doublings meet), and the tape for `backward`.
    public func forward(_ rgb: Tensor) -> (picture: Tensor, tape: [Tape]) {
        precondition(rgb.shape.count == 3 && rgb.shape[0] == 3 && rgb.shape[1] % 4 == 0 && rgb.shape[2] % 4 == 0,
                     "an RGB picture whose sides are multiples of 4")
        let (picture, tape) = stack.forward(Self.input(rgb))
        return (picture, tape)
    }

    /// The gradients of every weight (`parameters`' order) given dL/dPicture and the tape.
    public func backward(dPicture: Tensor, tape: [Tape]) -> [Tensor] {
        stack.backward(dOutput: dPicture, tape: tape).gradients
    }

    /// Every weight, in order: the values training moves.
    public var parameters: [Tensor] { stack.parameters }

    /// Their names, as a model file stores them (`3.weight`: layer 3's weights; `9.1.weight`:
    /// the first residual block's second layer).
    public var parameterNames: [String] { stack.parameterNames(prefix: "") }

    /// The network with its weights replaced by `values` (the same shapes, in order).
    public func replacingParameters(_ values: [Tensor]) -> TransformationNetwork {
        precondition(values.map(\.shape) == parameters.map(\.shape), "one tensor of the same shape per parameter")
        var iterator = values.makeIterator()
        var network = self
        network.stack = stack.replacingParameters(from: &iterator)
        return network
    }

    /// All weights as one vector (what chapter 6b's optimisers move), and back.
    public var parameterVector: [Float] { parameters.flatMap(\.data) }
    public func replacingParameters(vector: [Float]) -> TransformationNetwork {
        var offset = 0
        return replacingParameters(parameters.map { tensor in
            defer { offset += tensor.count }
            return Tensor(shape: tensor.shape, data: Array(vector[offset..<(offset + tensor.count)]))
        })
    }
}
