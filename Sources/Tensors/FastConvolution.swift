// The fast 3x3 convolution (stride 1, padding 1) of every VGG layer, as matrix multiplication.
//
// Pad the input with a border of zeros, so each plane is (H + 2) x (W + 2). Then output pixel
// (y, x) reads the input at (y + i, x + j) for the nine taps (i, j) of the kernel. Number the
// output pixels along the padded rows, p = y * (W + 2) + x: the tap (i, j) then reads padded
// position p + i * (W + 2) + j, a fixed shift. So the convolution is one matrix product
//
//     output[k][p] = bias[k] + sum over (c, i, j) of W[k][c][i][j] * padded[c][p + shift(i, j)]
//
// with A = the weights as a K x (C * 9) matrix and B = the padded input read through nine
// shifted windows per channel (a row-offset table, nothing copied). Columns with x >= W are
// computed too, into the padding, and dropped: 2 of every W + 2.
//
// The input gradient is the same operation: dL/dInput is the "full" correlation of dL/dOutput
// with the kernels flipped in both directions and transposed (input and output channels
// swapped), again a 3x3 convolution with padding 1.

public struct Convolution3x3: Sendable {
    public let inputChannels: Int
    public let outputChannels: Int
    /// A for the forward pass: row k, column c * 9 + i * 3 + j holds W[k][c][i][j].
    let forwardWeights: PackedPanels
    /// A for the input gradient: row c, column k * 9 + i * 3 + j holds W[k][c][2 - i][2 - j].
    let backwardWeights: PackedPanels
    public let bias: [Float]

    /// weights (K, C, 3, 3), bias (K).
    public init(weights: Tensor, bias: Tensor) {
        precondition(weights.shape.count == 4 && weights.shape[2] == 3 && weights.shape[3] == 3, "need (K, C, 3, 3) weights")
        let k = weights.shape[0], c = weights.shape[1]
        inputChannels = c
        outputChannels = k
        forwardWeights = PackedPanels(rows: k, depth: c * 9) { row, column in weights.data[row * c * 9 + column] }
        backwardWeights = PackedPanels(rows: c, depth: k * 9) { row, column in
            let (kernel, tap) = (column / 9, column % 9)
            return weights.data[(kernel * c + row) * 9 + (8 - tap)]
        }
        self.bias = bias.data
    }

    /// input (C, H, W) -> output (K, H, W).
    public func forward(_ input: Tensor) -> Tensor {
        precondition(input.shape[0] == inputChannels, "expected \(inputChannels) input channels")
        return Convolution3x3.convolve(input, weights: forwardWeights, bias: bias)
    }

    /// dL/dOutput (K, H, W) -> dL/dInput (C, H, W).
    public func backwardInput(_ dOutput: Tensor) -> Tensor {
        precondition(dOutput.shape[0] == outputChannels, "expected \(outputChannels) gradient channels")
        return Convolution3x3.convolve(dOutput, weights: backwardWeights, bias: nil)
    }

    /// The shared work: pad, multiply, crop.
    static func convolve(_ input: Tensor, weights: PackedPanels, bias: [Float]?) -> Tensor {
        let (channels, height, width) = (input.shape[0], input.shape[1], input.shape[2])
        let rowLength = width + 2
        let plane = (height + 2) * rowLength
        let columns = height * rowLength
        let outputs = weights.rows

        // The padded input, with a few floats of slack: the last shifted window reads two past the end.
        var padded = [Float](repeating: 0, count: channels * plane + 8)
        input.data.withUnsafeBufferPointer { source in
            padded.withUnsafeMutableBufferPointer { destination in
                parallelFor(channels) { c in
                    for y in 0..<height {
                        (destination.baseAddress! + c * plane + (y + 1) * rowLength + 1)
                            .update(from: source.baseAddress! + (c * height + y) * width, count: width)
                    }
                }
            }
        }
        var offsets = [Int](repeating: 0, count: channels * 9)
        for c in 0..<channels {
            for tap in 0..<9 { offsets[c * 9 + tap] = c * plane + (tap / 3) * rowLength + tap % 3 }
        }

        // C starts as the bias, then accumulates the product.
        var product = [Float](repeating: 0, count: outputs * columns)
        if let bias {
            product.withUnsafeMutableBufferPointer { p in
                parallelFor(outputs) { k in (p.baseAddress! + k * columns).update(repeating: bias[k], count: columns) }
            }
        }
        padded.withUnsafeBufferPointer { paddedBuffer in
            offsets.withUnsafeBufferPointer { offsetBuffer in
                product.withUnsafeMutableBufferPointer { c in
                    let b = MatrixLayout(base: paddedBuffer.baseAddress!, rowStride: 0, rowOffsets: offsetBuffer.baseAddress!)
                    matrixMultiply(a: weights, b: b, columns: columns, c: c.baseAddress!, ldc: columns)
                }
            }
        }

        // Drop the two padding columns of every row.
        var output = Tensor(shape: [outputs, height, width])
        product.withUnsafeBufferPointer { source in
            output.data.withUnsafeMutableBufferPointer { destination in
                parallelFor(outputs) { k in
                    for y in 0..<height {
                        (destination.baseAddress! + (k * height + y) * width)
                            .update(from: source.baseAddress! + k * columns + y * rowLength, count: width)
                    }
                }
            }
        }
        return output
    }
}
