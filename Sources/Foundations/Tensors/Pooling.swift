// Pooling layers: each output summarises a small window of one feature map. Max pooling
// keeps the strongest response ("was the feature found somewhere here?"); average pooling,
// which Gatys et al. found gives slightly better-looking images, keeps the mean.
//
// Windows are `size` x `size`, `stride` apart (VGG: 2 and 2). An input with an odd size has a
// last row or column that no window covers; like PyTorch and Torch7's neural-style, it is left
// out (output size = floor((n - size) / stride) + 1), and its gradient is zero.

/// Which summary a pooling layer keeps: the strongest response or the mean. (Chapter 5's small
/// network and VGG both take one; "avg" is how neural-style's `-pooling` option spells average.)
public enum PoolingKind: String, Sendable, CaseIterable {
    case max, average = "avg"
}

/// input (C, H, W) -> output (C, H', W'), 2x2 windows with stride 2, pooled as `kind` says.
public func poolForward(_ input: Tensor, kind: PoolingKind) -> Tensor {
    kind == .max ? maxPoolForward(input) : averagePoolForward(input)
}

/// The gradient of `poolForward`.
public func poolBackward(dOutput: Tensor, input: Tensor, kind: PoolingKind) -> Tensor {
    kind == .max ? maxPoolBackward(dOutput: dOutput, input: input) : averagePoolBackward(dOutput: dOutput, inputShape: input.shape)
}

/// input (C, H, W) -> output (C, H', W') with the maximum of each window.
public func maxPoolForward(_ input: Tensor, size: Int = 2, stride: Int = 2) -> Tensor {
    let (channels, height, width) = (input.shape[0], input.shape[1], input.shape[2])
    let outHeight = (height - size) / stride + 1, outWidth = (width - size) / stride + 1
    var output = Tensor(shape: [channels, outHeight, outWidth])
    for c in 0..<channels {
        for oy in 0..<outHeight {
            for ox in 0..<outWidth {
                var best = -Float.infinity
                for i in 0..<size {
                    for j in 0..<size { best = max(best, input[c, oy * stride + i, ox * stride + j]) }
                }
                output[c, oy, ox] = best
            }
        }
    }
    return output
}

/// The gradient goes to the one input that was the maximum (the first, if several tie).
public func maxPoolBackward(dOutput: Tensor, input: Tensor, size: Int = 2, stride: Int = 2) -> Tensor {
    var dInput = Tensor(shape: input.shape)
    let (channels, outHeight, outWidth) = (dOutput.shape[0], dOutput.shape[1], dOutput.shape[2])
    for c in 0..<channels {
        for oy in 0..<outHeight {
            for ox in 0..<outWidth {
                var best = -Float.infinity, bestY = 0, bestX = 0
                for i in 0..<size {
                    for j in 0..<size where input[c, oy * stride + i, ox * stride + j] > best {
                        best = input[c, oy * stride + i, ox * stride + j]
                        bestY = oy * stride + i
                        bestX = ox * stride + j
                    }
                }
                dInput[c, bestY, bestX] += dOutput[c, oy, ox]
            }
        }
    }
    return dInput
}

/// input (C, H, W) -> output (C, H', W') with the mean of each window.
public func averagePoolForward(_ input: Tensor, size: Int = 2, stride: Int = 2) -> Tensor {
    let (channels, height, width) = (input.shape[0], input.shape[1], input.shape[2])
    let outHeight = (height - size) / stride + 1, outWidth = (width - size) / stride + 1
    var output = Tensor(shape: [channels, outHeight, outWidth])
    let scale = 1 / Float(size * size)
    for c in 0..<channels {
        for oy in 0..<outHeight {
            for ox in 0..<outWidth {
                var sum: Float = 0
                for i in 0..<size {
                    for j in 0..<size { sum += input[c, oy * stride + i, ox * stride + j] }
                }
                output[c, oy, ox] = sum * scale
            }
        }
    }
    return output
}

/// Each input of a window receives an equal share of the window's gradient.
public func averagePoolBackward(dOutput: Tensor, inputShape: [Int], size: Int = 2, stride: Int = 2) -> Tensor {
    var dInput = Tensor(shape: inputShape)
    let (channels, outHeight, outWidth) = (dOutput.shape[0], dOutput.shape[1], dOutput.shape[2])
    let scale = 1 / Float(size * size)
    for c in 0..<channels {
        for oy in 0..<outHeight {
            for ox in 0..<outWidth {
                for i in 0..<size {
                    for j in 0..<size { dInput[c, oy * stride + i, ox * stride + j] += dOutput[c, oy, ox] * scale }
                }
            }
        }
    }
    return dInput
}
