import Tensors
import Parallel
import Kernels
import TransformationNetwork

// The fast twin of chapter 12's convolution layer (ConvolutionLayer.swift), on channels-last
// maps, as matrix products (Kernels' GEMM). Each output position's window, k x k taps of C
// channels, becomes one column of a matrix X_col^T ((k k C) x positions: "im2col"), and
//
//     forward:         Y^T     = W^T X_col^T       (K x positions: the K kernels are the rows)
//     weight gradient: dW^T   += dY^T X_col        (K x (k k C), summed over the positions)
//     input gradient:  dX_col^T = W dY^T           ((k k C) x positions), each column added back
//                                                  into the window it came from.
//
// The kernels are few (3 to 128) and the positions many, so the positions are the products'
// long side: the micro-kernel's 64 columns are always full. Three kinds of layer take other
// roads, each tested against the same chapter twin:
//  - the 3x3 convolutions of stride 1 (the residual blocks', the upsampling's: most of the work)
//    compute their output and their input gradient with VGG's Winograd kernels (Kernels'
//    WinogradConvolution3x3): a zero-padded convolution of the reflection-padded input whose
//    border is cropped away is the convolution without padding, and its input gradient, with a
//    zero border around dY, is the padded input's gradient;
//  - the other convolutions of stride 1 (the 9x9 ends) take their input gradient as a convolution
//    of dY, bordered by k - 1 zeros, with the kernels turned half a turn (`flipped`), not as
//    windows added back one by one;
//  - the other convolutions of stride 1 with at most three maps on one side (the first layer's
//    colours in, the last layer's out, and the last layer's input gradient), and the forward
//    pass of the stride-2 ones, read each window in place (Kernels' InPlaceWindowConvolution.swift)
//    instead of copying it out.
// The positions go in chunks: in the forward pass each chunk is one thread's whole product; in
// the backward pass the chunks follow one another and each product is shared out by rows (the
// input gradient) or by blocks of columns (the weight gradient), every sum in a fixed order, so
// the bits do not depend on the number of threads.

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
    /// Winograd's kernels, for a 3x3 convolution of stride 1 (nil: the matrix products do all).
    public var winograd: WinogradConvolution3x3?
    /// The weights laid out for a kernel that reads windows in place, for a layer of stride 1 (not
    /// Winograd's) with at most `fewChannels` kernels ([c][i][j][o], 3 places for o,
    /// `fewOutputsConvolution`), or kernels in whole vectors of 16 and either at most `fewChannels`
    /// input channels or a stride of 2 ([i][j][c][o], `outputVectorsConvolution`).
    let tapMajor: (weights: [Float], kernel: DirectKernel)?
    enum DirectKernel { case fewOutputs, outputVectors }
    /// The most maps on the few side that the direct kernels take.
    public static let fewChannels = 3

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
        winograd = k == 3 && layer.stride == 1 ? WinogradConvolution3x3(weights: layer.weights, bias: layer.bias) : nil
        let kernel: DirectKernel? = winograd != nil ? nil
            : layer.stride == 1 && kernels <= Self.fewChannels ? .fewOutputs
            : kernels % 16 == 0 && (layer.stride == 2 || channels <= Self.fewChannels) ? .outputVectors : nil
        if let kernel {
            var tapMajor = [Float](repeating: 0, count: depth * (kernel == .fewOutputs ? Self.fewChannels : kernels))
            for o in 0..<kernels {
                for c in 0..<channels {
                    for i in 0..<k {
                        for j in 0..<k {
                            let w = layer.weights.data[((o * channels + c) * k + i) * k + j]
                            switch kernel {
                            case .fewOutputs: tapMajor[((c * k + i) * k + j) * Self.fewChannels + o] = w
                            case .outputVectors: tapMajor[((i * k + j) * channels + c) * kernels + o] = w
                            }
                        }
                    }
                }
            }
            self.tapMajor = (tapMajor, kernel)
        } else {
            tapMajor = nil
        }
    }

    /// For a convolution of stride 1, the one whose output on dY (zero-padded by k - 1) is the
    /// padded input's gradient: each kernel turned half a turn, inputs and outputs swapped.
    var flipped: FastConvolutionLayer {
        let (kernels, channels) = (layer.outputChannels, layer.inputChannels)
        var turned = ConvolutionLayer(inputChannels: kernels, outputChannels: channels, kernelSize: k, seed: 0)
        for c in 0..<channels {
            for o in 0..<kernels {
                for i in 0..<k {
                    for j in 0..<k {
                        turned.weights.data[((c * kernels + o) * k + i) * k + j] = layer.weights.data[((o * channels + c) * k + k - 1 - i) * k + k - 1 - j]
                    }
                }
            }
        }
        turned.bias = Tensor(shape: [channels])
        var result = FastConvolutionLayer(turned)
        result.forwardChunk = forwardChunk
        return result
    }

    var k: Int { layer.kernelSize }

    var depth: Int { k * k * layer.inputChannels }

    /// Output rows per chunk of the backward pass.
    func chunkRows(outputWidth: Int) -> Int { max(1, chunkFloats / max(1, outputWidth * depth)) }

    /// Positions per chunk of the forward pass (each one thread's product).
    public var forwardChunk = 256

    /// X_col^T for `count` consecutive output positions from `first`: row (i k + j) C + c,
    /// column n, the padded input at the window's tap (i, j), channel c. Row stride `count`.
    /// Written row by row (each row's values one after another), reading each window's corner
    /// from `corners`, which it fills.
    func transposedWindows(_ padded: UnsafeBufferPointer<Float>, paddedWidth: Int, outputWidth: Int, first: Int, count: Int,
                           corners: UnsafeMutablePointer<Int>, into buffer: UnsafeMutablePointer<Float>) {
        let (c, s) = (layer.inputChannels, layer.stride)
        for n in 0..<count {
            let (oy, ox) = ((first + n) / outputWidth, (first + n) % outputWidth)
            corners[n] = (oy * s * paddedWidth + ox * s) * c
        }
        var row = 0
        for i in 0..<k {
            for j in 0..<k {
                let tap = (i * paddedWidth + j) * c
                for channel in 0..<c {
                    let destination = buffer + (row + channel) * count, offset = tap + channel
                    for n in 0..<count { destination[n] = padded[corners[n] + offset] }
                }
                row += c
            }
        }
    }

    /// (H, W, C) -> (H', W', K).
    public func forward(_ input: ChannelsLastMaps) -> ChannelsLastMaps {
        let padded = reflectionPadded(input, padding: k / 2)
        if let winograd { return winograd.forward(padded).cropped(by: 1) }
        return validForward(padded)
    }

    /// Whether `forwardUpsampled` applies to an input of this width: a 3x3 convolution of stride 1
    /// to whole vectors of 16 maps, on rows of at least 4 positions.
    public func takesUpsampled(width: Int) -> Bool { k == 3 && layer.stride == 1 && layer.outputChannels % 16 == 0 && width >= 4 }

    /// forward(upsampled(input)), without making the upsampled map: (H, W, C) -> (2H, 2W, K). The
    /// four phases' weights are summed here, for the picture being painted (training never asks).
    public func forwardUpsampled(_ input: ChannelsLastMaps) -> ChannelsLastMaps {
        precondition(takesUpsampled(width: input.width), "a 3x3 convolution to whole vectors of maps, 4 positions wide")
        let upsampledPhases = upsampledConvolutionWeights(layer.weights.data, kernels: layer.outputChannels, channels: layer.inputChannels)
        let padded = edgePadded(input)
        var output = ChannelsLastMaps(uninitializedHeight: 2 * input.height, width: 2 * input.width, channels: layer.outputChannels)
        padded.data.withUnsafeBufferPointer { x in
            upsampledPhases.withUnsafeBufferPointer { w in
                output.data.withUnsafeMutableBufferPointer { out in
                    upsampledConvolution(x.baseAddress!, height: input.height, width: input.width, channels: layer.inputChannels,
                                         phases: w.baseAddress!, bias: layer.bias.data, kernels: layer.outputChannels, output: out.baseAddress!)
                }
            }
        }
        return output
    }

    /// The convolution of maps already padded, with no padding of its own: (H + 2p, W + 2p, C) -> (H', W', K).
    func validForward(_ padded: ChannelsLastMaps) -> ChannelsLastMaps {
        let outputHeight = (padded.height - k) / layer.stride + 1, outputWidth = (padded.width - k) / layer.stride + 1
        let kernels = layer.outputChannels, positions = outputHeight * outputWidth
        var output = ChannelsLastMaps(uninitializedHeight: outputHeight, width: outputWidth, channels: kernels)
        if let (weights, kernel) = tapMajor {
            // Each window read in place (Kernels' InPlaceWindowConvolution.swift).
            padded.data.withUnsafeBufferPointer { x in
                weights.withUnsafeBufferPointer { w in
                    output.data.withUnsafeMutableBufferPointer { out in
                        switch kernel {
                        case .fewOutputs:
                            fewOutputsConvolution(x.baseAddress!, height: padded.height, width: padded.width, channels: layer.inputChannels, kernelSize: k,
                                                  weights: w.baseAddress!, bias: layer.bias.data, kernels: kernels, output: out.baseAddress!)
                        case .outputVectors:
                            outputVectorsConvolution(x.baseAddress!, height: padded.height, width: padded.width, channels: layer.inputChannels, kernelSize: k,
                                                     stride: layer.stride, weights: w.baseAddress!, bias: layer.bias.data, kernels: kernels, output: out.baseAddress!)
                        }
                    }
                }
            }
            return output
        }
        let chunk = forwardChunk, chunks = (positions + chunk - 1) / chunk
        padded.data.withUnsafeBufferPointer { x in
            transposed.withUnsafeBufferPointer { wt in
                output.data.withUnsafeMutableBufferPointer { out in
                    let pieces = parallelPieces(chunks, perThread: 4)
                    parallelFor(pieces) { piece in
                        var windows = [Float](repeating: 0, count: depth * chunk), result = [Float](repeating: 0, count: kernels * chunk)
                        var corners = [Int](repeating: 0, count: chunk)
                        corners.withUnsafeMutableBufferPointer { corners in windows.withUnsafeMutableBufferPointer { windows in
                            result.withUnsafeMutableBufferPointer { result in
                                for index in (chunks * piece / pieces)..<(chunks * (piece + 1) / pieces) {
                                    let first = index * chunk, count = min(chunk, positions - first)
                                    transposedWindows(x, paddedWidth: padded.width, outputWidth: outputWidth, first: first, count: count,
                                                      corners: corners.baseAddress!, into: windows.baseAddress!)
                                    matrixMultiply(rows: kernels, columns: count, depth: depth, a: StridedMatrix(base: wt.baseAddress!, rowStride: depth),
                                                   b: UnsafePointer(windows.baseAddress!), ldb: count, c: result.baseAddress!, ldc: count,
                                                   overwrite: true, threads: 1)
                                    for n in 0..<count {
                                        for o in 0..<kernels { out[(first + n) * kernels + o] = result[o * count + n] + layer.bias.data[o] }
                                    }
                                }
                            }
                        } }
                    }
                }
            }
        }
        return output
    }

    /// X_col for output rows `rows`: row n (a position), column (i k + j) C + c, into `buffer`.
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

    /// dL/dInput, dL/dWeights (K, C, k, k) and dL/dBias, given dL/dOutput and the layer's input.
    /// Without `needsInputGradient` (the network's first layer: nothing learns below it), dL/dInput is not
    /// computed and comes back as zeros.
    public func backward(dOutput: ChannelsLastMaps, input: ChannelsLastMaps,
                         needsInputGradient: Bool = true) -> (dInput: ChannelsLastMaps, dWeights: Tensor, dBias: Tensor) {
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
        var dTransposed = [Float](repeating: 0, count: kernels * depth)   // dW^T, K x (k k C)
        let blocks = (depth + 63) / 64
        // Stride 1 takes its input gradient as a convolution (below); only a strided layer whose
        // input gradient is needed gathers it window by window here.
        let gathers = layer.stride != 1 && needsInputGradient
        var dPadded = ChannelsLastMaps(height: gathers ? padded.height : 0, width: padded.width, channels: c)
        let step = chunkRows(outputWidth: outputWidth), most = min(outputHeight, step) * outputWidth
        var buffer = [Float](repeating: 0, count: most * depth)                      // X_col, then dX_col^T
        var dyTransposed = [Float](repeating: 0, count: gathers ? kernels * most : 0)   // dY^T
        dOutput.data.withUnsafeBufferPointer { dy in
            buffer.withUnsafeMutableBufferPointer { buffer in
                for (chunk, top) in stride(from: 0, to: outputHeight, by: step).enumerated() {
                    let rows = top..<min(outputHeight, top + step), positions = rows.count * outputWidth
                    let dyChunk = dy.baseAddress! + top * outputWidth * kernels
                    // dW^T (+)= dY^T X_col: dY^T read in place (its positions the depth), the
                    // columns shared out in blocks of 64; the chunks add up in order.
                    windows(padded, rows: rows, outputWidth: outputWidth, into: buffer.baseAddress!)
                    dTransposed.withUnsafeMutableBufferPointer { dw in
                        let pieces = parallelPieces(blocks, perThread: 2)
                        parallelFor(pieces) { piece in
                            for block in (blocks * piece / pieces)..<(blocks * (piece + 1) / pieces) {
                                let first = block * 64, width = min(64, depth - first)
                                matrixMultiply(rows: kernels, columns: width, depth: positions,
                                               a: StridedMatrix(base: dyChunk, rowStride: 1, depthStride: kernels),
                                               b: UnsafePointer(buffer.baseAddress! + first), ldb: depth, c: dw.baseAddress! + first, ldc: depth,
                                               overwrite: chunk == 0, threads: 1)
                            }
                        }
                    }
                    // dX_col^T = W dY^T, shared out by rows; then each column's window added back,
                    // the channels shared out (each thread adds into its own channels, in order).
                    if !gathers { continue }
                    dyTransposed.withUnsafeMutableBufferPointer { dyt in
                        for n in 0..<positions {
                            for o in 0..<kernels { dyt[o * positions + n] = dyChunk[n * kernels + o] }
                        }
                        columns.withUnsafeBufferPointer { w in
                            matrixMultiply(rows: depth, columns: positions, depth: kernels, a: StridedMatrix(base: w.baseAddress!, rowStride: kernels),
                                           b: UnsafePointer(dyt.baseAddress!), ldb: positions, c: buffer.baseAddress!, ldc: positions, overwrite: true)
                        }
                    }
                    dPadded.data.withUnsafeMutableBufferPointer { dx in
                        let pieces = parallelPieces(c, perThread: 1)
                        parallelFor(pieces) { piece in
                            for channel in (c * piece / pieces)..<(c * (piece + 1) / pieces) {
                                for n in 0..<positions {
                                    let (oy, ox) = (top + n / outputWidth, n % outputWidth)
                                    for i in 0..<k {
                                        for j in 0..<k {
                                            dx[((oy * s + i) * padded.width + ox * s + j) * c + channel] += buffer[((i * k + j) * c + channel) * positions + n]
                                        }
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
                        dWeights.data[((o * c + channel) * k + i) * k + j] = dTransposed[o * depth + (i * k + j) * c + channel]
                    }
                }
            }
        }
        if !needsInputGradient { return (ChannelsLastMaps(height: input.height, width: input.width, channels: c), dWeights, dBias) }
        if let winograd {
            dPadded = winograd.backwardInput(dOutput.bordered(by: 1))
        } else if layer.stride == 1 {
            // The padded input's gradient is dY, bordered by k - 1 zeros, convolved with the kernels turned half a turn.
            dPadded = flipped.validForward(dOutput.bordered(by: k - 1))
        }
        return (reflectionPadBackward(dPadded, padding: k / 2, height: input.height, width: input.width), dWeights, dBias)
    }
}

extension ChannelsLastMaps {
    /// The maps without a border of `b` positions on every side.
    func cropped(by b: Int) -> ChannelsLastMaps {
        let (height, width) = (self.height - 2 * b, self.width - 2 * b)
        var result = ChannelsLastMaps(uninitializedHeight: height, width: width, channels: channels)
        data.withUnsafeBufferPointer { x in
            result.data.withUnsafeMutableBufferPointer { out in
                let pieces = parallelPieces(height, perThread: 4)
                parallelFor(pieces) { piece in
                    for y in (height * piece / pieces)..<(height * (piece + 1) / pieces) {
                        (out.baseAddress! + y * width * channels).update(from: x.baseAddress! + ((y + b) * self.width + b) * channels, count: width * channels)
                    }
                }
            }
        }
        return result
    }

    /// The maps inside a border of `b` positions of zeros on every side.
    func bordered(by b: Int) -> ChannelsLastMaps {
        let width = self.width + 2 * b
        var result = ChannelsLastMaps(height: height + 2 * b, width: width, channels: channels)
        data.withUnsafeBufferPointer { x in
            result.data.withUnsafeMutableBufferPointer { out in
                let pieces = parallelPieces(height, perThread: 4)
                parallelFor(pieces) { piece in
                    for y in (height * piece / pieces)..<(height * (piece + 1) / pieces) {
                        (out.baseAddress! + ((y + b) * width + b) * channels).update(from: x.baseAddress! + y * self.width * channels, count: self.width * channels)
                    }
                }
            }
        }
        return result
    }
}
