import Tensors
import Parallel
import Kernels
import TransformationNetwork

// The fast twin of chapter 12's convolution layer (ConvolutionLayer.swift), on channels-last
// maps, as matrix products (Kernels' GEMM). Each output position's window, k x k taps of C
// channels, is copied into one row of a matrix ("im2col"), so that the convolution is that
// matrix times the kernels laid out as (k k C) x K:
//
//     forward:         Y     = X_col W            (positions x K)
//     weight gradient: dW    = X_col^T dY         ((k k C) x K, summed over the positions)
//     input gradient:  dX_col = dY W^T, each row added back into the window it came from.
//
// The positions go in chunks of output rows, so X_col never holds more than about 16 MB. Every
// sum has a fixed order: the GEMM gives each row of C to one thread with the depth in a fixed
// order, the weight gradient adds the chunks one after another, and the windows are added back
// one position after another: the bits do not depend on the number of threads.

/// A convolution layer of the transformation network, ready for matrix products.
public struct FastConvolutionLayer: Sendable {
    /// The chapter's layer (weights (K, C, k, k), bias, stride).
    public let layer: ConvolutionLayer
    /// W as (k k C) x K, row (i k + j) C + c: the taps in the order an im2col row holds them.
    let columns: [Float]
    /// W^T, K x (k k C).
    let transposed: [Float]
    /// The most floats one chunk's im2col matrix may hold.
    public var chunkFloats = 1 << 22

    /// The layer's weights laid out for the products.
    public init(_ layer: ConvolutionLayer) {
        self.layer = layer
        let (kernels, channels, k) = (layer.outputChannels, layer.inputChannels, layer.kernelSize)
        let depth = k * k * channels
        var columns = [Float](repeating: 0, count: depth * kernels), transposed = columns
        for o in 0..<kernels {
            for c in 0..<channels {
                for i in 0..<k {
                    for j in 0..<k {
                        let w = layer.weights.data[((o * channels + c) * k + i) * k + j], row = (i * k + j) * channels + c
                        columns[row * kernels + o] = w
                        transposed[o * depth + row] = w
                    }
                }
            }
        }
        self.columns = columns
        self.transposed = transposed
    }

    var k: Int { layer.kernelSize }
    var depth: Int { k * k * layer.inputChannels }

    /// The output's size for an input of `height` x `width`.
    public func outputSize(height: Int, width: Int) -> (height: Int, width: Int) {
        ((height + 2 * (k / 2) - k) / layer.stride + 1, (width + 2 * (k / 2) - k) / layer.stride + 1)
    }

    /// Output rows per chunk.
    func chunkRows(outputWidth: Int) -> Int { max(1, chunkFloats / max(1, outputWidth * depth)) }

    /// The im2col rows of output rows `rows` from the padded input, into `buffer`.
    func windows(_ padded: ChannelsLastMaps, rows: Range<Int>, outputWidth: Int, into buffer: UnsafeMutablePointer<Float>) {
        let (c, s) = (layer.inputChannels, layer.stride)
        let positions = rows.count * outputWidth
        padded.data.withUnsafeBufferPointer { x in
            let pieces = parallelPieces(positions, perThread: 8)
            parallelFor(pieces) { piece in
                for n in (positions * piece / pieces)..<(positions * (piece + 1) / pieces) {
                    let (oy, ox) = (rows.lowerBound + n / outputWidth, n % outputWidth)
                    var destination = n * depth
                    for i in 0..<k {
                        for j in 0..<k {
                            let source = ((oy * s + i) * padded.width + ox * s + j) * c
                            for channel in 0..<c { buffer[destination + channel] = x[source + channel] }
                            destination += c
                        }
                    }
                }
            }
        }
    }

    /// (H, W, C) -> (H', W', K).
    public func forward(_ input: ChannelsLastMaps) -> ChannelsLastMaps {
        let padded = reflectionPadded(input, padding: k / 2)
        let (outputHeight, outputWidth) = outputSize(height: input.height, width: input.width)
        let kernels = layer.outputChannels
        var output = ChannelsLastMaps(uninitializedHeight: outputHeight, width: outputWidth, channels: kernels)
        let step = chunkRows(outputWidth: outputWidth)
        var buffer = [Float](repeating: 0, count: min(outputHeight, step) * outputWidth * depth)
        output.data.withUnsafeMutableBufferPointer { out in
            for p in 0..<(outputHeight * outputWidth) {
                for o in 0..<kernels { out[p * kernels + o] = layer.bias.data[o] }
            }
            buffer.withUnsafeMutableBufferPointer { buffer in
                columns.withUnsafeBufferPointer { w in
                    for top in stride(from: 0, to: outputHeight, by: step) {
                        let rows = top..<min(outputHeight, top + step)
                        windows(padded, rows: rows, outputWidth: outputWidth, into: buffer.baseAddress!)
                        matrixMultiply(rows: rows.count * outputWidth, columns: kernels, depth: depth,
                                       a: StridedMatrix(base: UnsafePointer(buffer.baseAddress!), rowStride: depth), b: w.baseAddress!, ldb: kernels,
                                       c: out.baseAddress! + top * outputWidth * kernels, ldc: kernels)
                    }
                }
            }
        }
        return output
    }

    /// dL/dInput, dL/dWeights (K, C, k, k) and dL/dBias, given dL/dOutput and the layer's input.
    public func backward(dOutput: ChannelsLastMaps, input: ChannelsLastMaps) -> (dInput: ChannelsLastMaps, dWeights: Tensor, dBias: Tensor) {
        let padded = reflectionPadded(input, padding: k / 2)
        let (outputHeight, outputWidth) = (dOutput.height, dOutput.width)
        let (kernels, c, s) = (layer.outputChannels, layer.inputChannels, layer.stride)
        // The bias: each kernel's gradient summed over the positions, in order.
        var dBias = Tensor(shape: [kernels])
        var sums = [Double](repeating: 0, count: kernels)
        for p in 0..<(outputHeight * outputWidth) {
            for o in 0..<kernels { sums[o] += Double(dOutput.data[p * kernels + o]) }
        }
        for o in 0..<kernels { dBias.data[o] = Float(sums[o]) }
        var dColumns = [Float](repeating: 0, count: depth * kernels)
        var dPadded = ChannelsLastMaps(height: padded.height, width: padded.width, channels: c)
        let step = chunkRows(outputWidth: outputWidth)
        var buffer = [Float](repeating: 0, count: min(outputHeight, step) * outputWidth * depth)
        var dWindows = buffer
        dOutput.data.withUnsafeBufferPointer { dy in
            buffer.withUnsafeMutableBufferPointer { buffer in
                dWindows.withUnsafeMutableBufferPointer { dWindows in
                    for (chunk, top) in stride(from: 0, to: outputHeight, by: step).enumerated() {
                        let rows = top..<min(outputHeight, top + step), positions = rows.count * outputWidth
                        let dyChunk = dy.baseAddress! + top * outputWidth * kernels
                        // dW (+)= X_col^T dY: X_col read transposed, its positions the depth.
                        windows(padded, rows: rows, outputWidth: outputWidth, into: buffer.baseAddress!)
                        dColumns.withUnsafeMutableBufferPointer { dw in
                            matrixMultiply(rows: depth, columns: kernels, depth: positions,
                                           a: StridedMatrix(base: UnsafePointer(buffer.baseAddress!), rowStride: 1, depthStride: depth),
                                           b: dyChunk, ldb: kernels, c: dw.baseAddress!, ldc: kernels, overwrite: chunk == 0)
                        }
                        // dX_col = dY W^T, each window added back where it was read, position by position.
                        transposed.withUnsafeBufferPointer { wt in
                            matrixMultiply(rows: positions, columns: depth, depth: kernels, a: StridedMatrix(base: dyChunk, rowStride: kernels),
                                           b: wt.baseAddress!, ldb: depth, c: dWindows.baseAddress!, ldc: depth, overwrite: true)
                        }
                        dPadded.data.withUnsafeMutableBufferPointer { dx in
                            for n in 0..<positions {
                                let (oy, ox) = (top + n / outputWidth, n % outputWidth)
                                var source = n * depth
                                for i in 0..<k {
                                    for j in 0..<k {
                                        let destination = ((oy * s + i) * padded.width + ox * s + j) * c
                                        for channel in 0..<c { dx[destination + channel] += dWindows[source + channel] }
                                        source += c
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        var dWeights = Tensor(shape: layer.weights.shape)
        for o in 0..<kernels {
            for channel in 0..<c {
                for i in 0..<k {
                    for j in 0..<k {
                        dWeights.data[((o * c + channel) * k + i) * k + j] = dColumns[((i * k + j) * c + channel) * kernels + o]
                    }
                }
            }
        }
        return (reflectionPadBackward(dPadded, padding: k / 2, height: input.height, width: input.width), dWeights, dBias)
    }
}
