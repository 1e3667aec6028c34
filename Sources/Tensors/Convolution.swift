// 2-D convolution: the operation of local receptive fields with shared weights.
//
// Each output neuron (k, y, x) looks at a kh x kw window of every input map, starting at
// (y * stride - padding, x * stride - padding), and sums the window times kernel k, plus bias k.
// Positions outside the input count as zero (zero padding). As in PyTorch and Caffe this is
// cross-correlation: the kernel is not flipped.
//
// This file is the plain reference, written like the formula. In the module Kernels,
// WinogradConvolution.swift computes the same thing for VGG's 3x3 layers through Winograd's
// transforms and matrix products (and DirectConvolution.swift for the first layer); tests check
// they agree.

/// Output size along one axis.
@inline(__always)
public func convolutionOutputSize(_ input: Int, kernel: Int, stride: Int, padding: Int) -> Int {
    (input + 2 * padding - kernel) / stride + 1
}

/// input (C, H, W), weights (K, C, kh, kw), bias (K) -> output (K, H', W').
public func convolutionForward(input: Tensor, weights: Tensor, bias: Tensor, stride: Int = 1, padding: Int = 0) -> Tensor {
    let (channels, height, width) = (input.shape[0], input.shape[1], input.shape[2])
    let (kernels, kh, kw) = (weights.shape[0], weights.shape[2], weights.shape[3])
    precondition(weights.shape[1] == channels && bias.count == kernels, "shapes do not match")
    let outHeight = convolutionOutputSize(height, kernel: kh, stride: stride, padding: padding)
    let outWidth = convolutionOutputSize(width, kernel: kw, stride: stride, padding: padding)
    var output = Tensor(shape: [kernels, outHeight, outWidth])
    for k in 0..<kernels {
        for oy in 0..<outHeight {
            for ox in 0..<outWidth {
                var sum = bias.data[k]
                for c in 0..<channels {
                    for i in 0..<kh {
                        let y = oy * stride - padding + i
                        if y < 0 || y >= height { continue }
                        for j in 0..<kw {
                            let x = ox * stride - padding + j
                            if x < 0 || x >= width { continue }
                            sum += weights.data[((k * channels + c) * kh + i) * kw + j] * input[c, y, x]
                        }
                    }
                }
                output[k, oy, ox] = sum
            }
        }
    }
    return output
}

/// Backward pass of `convolutionForward`. Given dL/dOutput, returns dL/dInput, dL/dWeights
/// and dL/dBias. Every output neuron sent `weight * input` forward, so its gradient flows back
/// to each input it saw (times the weight) and to each weight it used (times the input).
/// With `needsParameterGradients: false` (a fixed network, as in style transfer) only dL/dInput
/// is computed, and dL/dWeights and dL/dBias come back as zeros.
public func convolutionBackward(dOutput: Tensor, input: Tensor, weights: Tensor, stride: Int = 1, padding: Int = 0,
                                needsParameterGradients: Bool = true)
    -> (dInput: Tensor, dWeights: Tensor, dBias: Tensor)
{
    let (channels, height, width) = (input.shape[0], input.shape[1], input.shape[2])
    let (kernels, kh, kw) = (weights.shape[0], weights.shape[2], weights.shape[3])
    let (outHeight, outWidth) = (dOutput.shape[1], dOutput.shape[2])
    var dInput = Tensor(shape: input.shape)
    var dWeights = Tensor(shape: weights.shape)
    var dBias = Tensor(shape: [kernels])
    for k in 0..<kernels {
        for oy in 0..<outHeight {
            for ox in 0..<outWidth {
                let d = dOutput[k, oy, ox]
                if needsParameterGradients { dBias.data[k] += d }
                for c in 0..<channels {
                    for i in 0..<kh {
                        let y = oy * stride - padding + i
                        if y < 0 || y >= height { continue }
                        for j in 0..<kw {
                            let x = ox * stride - padding + j
                            if x < 0 || x >= width { continue }
                            let w = ((k * channels + c) * kh + i) * kw + j
                            dInput[c, y, x] += weights.data[w] * d
                            if needsParameterGradients { dWeights.data[w] += input[c, y, x] * d }
                        }
                    }
                }
            }
        }
    }
    return (dInput, dWeights, dBias)
}
