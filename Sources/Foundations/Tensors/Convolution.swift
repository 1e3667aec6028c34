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

/// The output positions o (0..<outputSize) whose input position o * stride - padding + tap
/// lies inside 0..<inputSize: the range of outputs one tap of the kernel reaches.
@inline(__always)
func positionsInside(outputSize: Int, inputSize: Int, tap: Int, stride: Int, padding: Int) -> Range<Int> {
    // o * stride + (tap - padding) >= 0 and <= inputSize - 1
    let offset = tap - padding
    let first = offset >= 0 ? 0 : (-offset + stride - 1) / stride
    let last = inputSize - 1 - offset < 0 ? -1 : (inputSize - 1 - offset) / stride
    return first..<max(first, min(outputSize, last + 1))
}

/// input (C, H, W), weights (K, C, kh, kw), bias (K) -> output (K, H', W').
///
/// output[k][oy][ox] = bias[k] + sum over c, i, j of weights[k][c][i][j] * input[c][oy*s - p + i][ox*s - p + j].
/// The loops take that sum one weight at a time: weight (k, c, i, j) adds itself times input map
/// c, shifted by (i, j), to output map k. Every neuron of map k uses the same weights: shared
/// weights are exactly this. (Looping this way also reads each row of memory in order.)
public func convolutionForward(input: Tensor, weights: Tensor, bias: Tensor, stride: Int = 1, padding: Int = 0) -> Tensor {
    let (channels, height, width) = (input.shape[0], input.shape[1], input.shape[2])
    let (kernels, kh, kw) = (weights.shape[0], weights.shape[2], weights.shape[3])
    precondition(weights.shape[1] == channels && bias.count == kernels, "shapes do not match")
    let outHeight = convolutionOutputSize(height, kernel: kh, stride: stride, padding: padding)
    let outWidth = convolutionOutputSize(width, kernel: kw, stride: stride, padding: padding)
    // Flat arrays: map k's row oy starts at (k * outHeight + oy) * outWidth, and so on.
    let x = input.data, w = weights.data
    var out = [Float](repeating: 0, count: kernels * outHeight * outWidth)
    for k in 0..<kernels {
        for n in 0..<(outHeight * outWidth) { out[k * outHeight * outWidth + n] = bias.data[k] }
        for c in 0..<channels {
            for i in 0..<kh {
                for j in 0..<kw {
                    let weight = w[((k * channels + c) * kh + i) * kw + j]
                    let columns = positionsInside(outputSize: outWidth, inputSize: width, tap: j, stride: stride, padding: padding)
                    for oy in positionsInside(outputSize: outHeight, inputSize: height, tap: i, stride: stride, padding: padding) {
                        let outRow = (k * outHeight + oy) * outWidth
                        let inRow = (c * height + oy * stride - padding + i) * width - padding + j
                        for ox in columns { out[outRow + ox] += weight * x[inRow + ox * stride] }
                    }
                }
            }
        }
    }
    return Tensor(shape: [kernels, outHeight, outWidth], data: out)
}

/// Backward pass of `convolutionForward`. Given dL/dOutput, returns dL/dInput, dL/dWeights
/// and dL/dBias. Every output neuron sent `weight * input` forward, so its gradient flows back
/// to each input it saw (times the weight) and to each weight it used (times the input); the
/// bias was added to every neuron of its map, so it collects the whole map's gradient.
/// With `needsParameterGradients: false` (a fixed network, as in style transfer) only dL/dInput
/// is computed, and dL/dWeights and dL/dBias come back as zeros.
public func convolutionBackward(dOutput: Tensor, input: Tensor, weights: Tensor, stride: Int = 1, padding: Int = 0,
                                needsParameterGradients: Bool = true)
    -> (dInput: Tensor, dWeights: Tensor, dBias: Tensor)
{
    let (channels, height, width) = (input.shape[0], input.shape[1], input.shape[2])
    let (kernels, kh, kw) = (weights.shape[0], weights.shape[2], weights.shape[3])
    let (outHeight, outWidth) = (dOutput.shape[1], dOutput.shape[2])
    let x = input.data, w = weights.data, dy = dOutput.data
    var dx = [Float](repeating: 0, count: input.count)
    var dw = [Float](repeating: 0, count: weights.count)
    var db = [Float](repeating: 0, count: kernels)
    for k in 0..<kernels {
        if needsParameterGradients {
            for n in 0..<(outHeight * outWidth) { db[k] += dy[k * outHeight * outWidth + n] }
        }
        for c in 0..<channels {
            for i in 0..<kh {
                for j in 0..<kw {
                    let index = ((k * channels + c) * kh + i) * kw + j
                    let weight = w[index]
                    var dWeight: Float = 0
                    let columns = positionsInside(outputSize: outWidth, inputSize: width, tap: j, stride: stride, padding: padding)
                    for oy in positionsInside(outputSize: outHeight, inputSize: height, tap: i, stride: stride, padding: padding) {
                        let outRow = (k * outHeight + oy) * outWidth
                        let inRow = (c * height + oy * stride - padding + i) * width - padding + j
                        for ox in columns {
                            dx[inRow + ox * stride] += weight * dy[outRow + ox]
                            if needsParameterGradients { dWeight += x[inRow + ox * stride] * dy[outRow + ox] }
                        }
                    }
                    dw[index] = dWeight
                }
            }
        }
    }
    return (Tensor(shape: input.shape, data: dx), Tensor(shape: weights.shape, data: dw), Tensor(shape: [kernels], data: db))
}
