import Foundation
import Tensors

// A convolution of the transformation network: the picture reflection-padded by half the
// kernel's size (ReflectionPadding.swift), then chapter 4's convolution with shared weights and
// a bias, with a stride of 1 or 2 (a stride of 2 halves the picture: the network's way down).
//
// Training changes the weights, so the backward pass gives, besides dL/dInput, dL/dWeights: the
// rule of chapter 2, each weight's gradient the sum over every output it helped make of the
// input it saw times that output's gradient. The weights are shared by every position, so the
// sum runs over all positions (Tensors' `convolutionBackward`, `needsParameterGradients`).

/// One convolution layer: K kernels of C x k x k, a bias each, a stride, reflection padding k / 2.
public struct ConvolutionLayer: Sendable {
    /// (K, C, k, k).
    public var weights: Tensor
    /// (K).
    public var bias: Tensor
    public var stride: Int

    public var kernelSize: Int { weights.shape[2] }
    public var inputChannels: Int { weights.shape[1] }
    public var outputChannels: Int { weights.shape[0] }

    /// Weights drawn uniformly from +-1/sqrt(C k k) (PyTorch's default for a convolution, after
    /// He et al.), biases from the same range, from `seed`.
    public init(inputChannels: Int, outputChannels: Int, kernelSize: Int, stride: Int = 1, seed: UInt64) {
        let bound = 1 / Float(inputChannels * kernelSize * kernelSize).squareRoot()
        weights = Tensor.random(shape: [outputChannels, inputChannels, kernelSize, kernelSize], in: -bound...bound, seed: seed)
        bias = Tensor.random(shape: [outputChannels], in: -bound...bound, seed: seed &+ 1)
        self.stride = stride
    }

    /// input (C, H, W) -> (K, H / stride, W / stride) (for even sizes).
    public func forward(_ input: Tensor) -> Tensor {
        convolutionForward(input: reflectionPadForward(input, padding: kernelSize / 2), weights: weights, bias: bias, stride: stride)
    }

    /// dL/dInput, dL/dWeights and dL/dBias, given dL/dOutput and the layer's input.
    public func backward(dOutput: Tensor, input: Tensor) -> (dInput: Tensor, dWeights: Tensor, dBias: Tensor) {
        let padded = reflectionPadForward(input, padding: kernelSize / 2)
        let (dPadded, dWeights, dBias) = convolutionBackward(dOutput: dOutput, input: padded, weights: weights, stride: stride)
        return (reflectionPadBackward(dOutput: dPadded, padding: kernelSize / 2, inputShape: input.shape), dWeights, dBias)
    }
}
