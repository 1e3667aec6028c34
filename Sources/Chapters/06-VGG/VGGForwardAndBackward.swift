import Tensors

// VGG run with the plain operations, one layer after another: the network as the article
// describes it, and the reference its fast twin in the engine (`FastVGG`, in
// Sources/FastEngine/FastNetwork) is tested against.
//
// Every tensor here is (C, H, W). The forward pass records the activations of each layer, which
// is all the later chapters need: the content representation is one layer's activations, the
// style representation the Gram matrices of several. The backward pass runs the layers in
// reverse, each with its own backward function from Tensors, and carries dL/d(activation) down
// to dL/dImage; no weight gradients are needed, since the network is fixed and the image changes.

extension VGG {
    /// The image (3, H, W), already preprocessed, through every layer up to `lastLayer`:
    /// element n of the result is the output of `layers[n]`.
    public func forward(_ image: Tensor, through lastLayer: String) -> [Tensor] {
        guard let last = layerIndex(lastLayer) else { preconditionFailure("no layer named \(lastLayer)") }
        var outputs: [Tensor] = []
        var x = image
        for index in 0...last {
            switch layers[index] {
            case .convolution(let n, _):
                x = convolutionForward(input: x, weights: convolutions[n].weights, bias: convolutions[n].bias, stride: 1, padding: 1)
            case .relu:
                x = reluForward(x)
            case .pool:
                x = poolForward(x, kind: pooling)
            }
            outputs.append(x)
        }
        return outputs
    }

    /// Backpropagation to the image. `outputs` is what `forward` returned for `image`;
    /// `gradients[n]` is dL/d(output of layer n) for each layer the loss looks at. Each layer,
    /// from the deepest down, adds any gradient the loss has for its output, then passes the sum
    /// back through itself. Returns dL/dImage, (3, H, W).
    public func backward(image: Tensor, outputs: [Tensor], gradients: [Int: Tensor]) -> Tensor {
        var dOutput: Tensor? = nil
        for index in stride(from: outputs.count - 1, through: 0, by: -1) {
            if let extra = gradients[index] {
                if var sum = dOutput {
                    for i in 0..<sum.count { sum.data[i] += extra.data[i] }
                    dOutput = sum
                } else {
                    dOutput = extra
                }
            }
            guard let d = dOutput else { continue }
            let input = index == 0 ? image : outputs[index - 1]
            switch layers[index] {
            case .convolution(let n, _):
                dOutput = convolutionBackward(dOutput: d, input: input, weights: convolutions[n].weights, stride: 1, padding: 1,
                                              needsParameterGradients: false).dInput
            case .relu:
                dOutput = reluBackward(dOutput: d, input: input)
            case .pool:
                dOutput = poolBackward(dOutput: d, input: input, kind: pooling)
            }
        }
        return dOutput ?? Tensor(shape: image.shape)
    }
}
