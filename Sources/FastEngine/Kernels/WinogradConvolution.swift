// The fast 3x3 convolution (stride 1, padding 1) of every VGG layer: Winograd's minimal
// filtering algorithm F(4x4, 3x3), as Lavin and Gray applied it to convolutional networks
// ("Fast Algorithms for Convolutional Neural Networks", 2015).
//
// A 4x4 block of outputs depends on a 6x6 patch of input. Computed directly, that is
// 16 x 9 = 144 multiplications per input/output channel pair. Winograd transforms the patch
// (V = B^T d B) and the kernel (U = G g G^T) into 6x6 arrays whose elementwise product,
// transformed back (Y = A^T (U * V) A), is exactly the 4x4 block: 36 multiplications, a quarter.
// Summed over input channels, the elementwise products become 36 independent matrix products
//
//     M[xi] (tiles x K) = V[xi] (tiles x C) . U[xi] (C x K),   xi = 0..<36,
//
// which the GEMM of GEMM.swift computes at close to the machine's peak. The transforms are
// additions and a few multiplications by small constants, done 16 channels at a time.
//
// The input gradient is the same operation with the kernels flipped and transposed, so the
// backward pass reuses everything. `convolutionForward`/`convolutionBackward` in
// Convolution.swift (module Tensors) are the plain twins; tests check that they agree.
//
// This file is the layer: its weights, their transforms (cached), and the forward and backward
// entry points. The transforms' arithmetic is in WinogradTransforms.swift (with a scalar twin in
// WinogradTile.swift), the sharing of tiles between threads in WinogradScheduling.swift.
import Parallel
import Foundation
import Tensors

public final class WinogradConvolution3x3: @unchecked Sendable {
    public let inputChannels: Int
    public let outputChannels: Int
    /// The kernels as given, (K, C, 3, 3), and the bias (K).
    public let weights: Tensor
    public let bias: [Float]

    /// U for the forward pass (36 matrices of input x output channels, padded to whole
    /// vectors) and for the input gradient (from the flipped, transposed kernels). Each is
    /// computed on first use: a network run only to relu5_1 never pays for conv5_2 to conv5_4.
    public var forwardKernels: [Float] {
        cached(&cachedForward) { [inputChannels, outputChannels, weights] in
            let (c, w) = (inputChannels, weights.data)
            return WinogradConvolution3x3.transformKernels(inputs: c, outputs: outputChannels) { input, output in
                Array(w[((output * c + input) * 9)..<((output * c + input) * 9 + 9)])
            }
        }
    }

    public var backwardKernels: [Float] {
        cached(&cachedBackward) { [inputChannels, outputChannels, weights] in
            let (c, w) = (inputChannels, weights.data)
            // Input and output channels swapped, each kernel turned 180 degrees.
            return WinogradConvolution3x3.transformKernels(inputs: outputChannels, outputs: c) { input, output in
                Array(w[((input * c + output) * 9)..<((input * c + output) * 9 + 9)].reversed())
            }
        }
    }

    /// The value in `slot`, computed by `make` the first time (under a lock, so two threads
    /// never compute it twice).
    private func cached(_ slot: inout [Float]?, _ make: () -> [Float]) -> [Float] {
        lock.lock()
        defer { lock.unlock() }
        if let value = slot { return value }
        let value = make()
        slot = value
        return value
    }

    private var cachedForward: [Float]?
    private var cachedBackward: [Float]?
    private let lock = NSLock()

    /// weights (K, C, 3, 3), bias (K).
    public init(weights: Tensor, bias: Tensor) {
        precondition(weights.shape.count == 4 && weights.shape[2] == 3 && weights.shape[3] == 3, "need (K, C, 3, 3) weights")
        precondition(bias.count == weights.shape[0], "need one bias per kernel")
        outputChannels = weights.shape[0]
        inputChannels = weights.shape[1]
        self.weights = weights
        self.bias = bias.data
    }

    /// Channels rounded up to whole SIMD vectors of 16.
    @inline(__always) static func padded(_ channels: Int) -> Int { (channels + 15) / 16 * 16 }

    /// U = G g G^T for every (input, output) pair, as 36 matrices (input x output channels),
    /// each packed for the GEMM with `packColumnPanels`: `packedKernelFloats` apart.
    /// `kernel(input, output)` gives the pair's 3x3 kernel, row by row.
    static func transformKernels(inputs: Int, outputs: Int, kernel: (Int, Int) -> [Float]) -> [Float] {
        let ci = padded(inputs), co = padded(outputs)
        let u = WinogradTransforms.transformKernelsRowMajor(inputs: inputs, outputs: outputs, kernel: kernel)
        let size = packedKernelFloats(ci, co)
        var packed = [Float](repeating: 0, count: 36 * size)
        u.withUnsafeBufferPointer { source in
            packed.withUnsafeMutableBufferPointer { destination in
                parallelFor(36) { xi in
                    let panels = packColumnPanels(source.baseAddress! + xi * ci * co, ldb: co, depth: ci, columns: co)
                    panels.withUnsafeBufferPointer { (destination.baseAddress! + xi * size).update(from: $0.baseAddress!, count: size) }
                }
            }
        }
        return packed
    }

    /// Floats of one packed 36th of the transformed kernels.
    static func packedKernelFloats(_ ci: Int, _ co: Int) -> Int { (co + 63) / 64 * 64 * ci }

    /// Whether the first layer's direct kernels do this layer's work (3 input channels: see
    /// DirectConvolution.swift) instead of Winograd's transforms.
    public var isDirect: Bool { DirectConvolution3x3.applies(fewChannels: inputChannels, manyChannels: outputChannels) }

    /// How the threads share the forward pass (or, with `backward`, the input gradient) over
    /// `height` x `width` maps.
    public func automaticSchedule(height: Int, width: Int, backward: Bool = false) -> WinogradSchedule {
        backward ? .automatic(inputChannels: outputChannels, outputChannels: inputChannels, height: height, width: width)
            : .automatic(inputChannels: inputChannels, outputChannels: outputChannels, height: height, width: width)
    }

    /// input (H, W, C) -> output (H, W, K). (For the image's 3 channels, a direct kernel does the
    /// work: see DirectConvolution.swift.) With `relu`, the ReLU that follows every VGG
    /// convolution is applied as each value is written, saving a pass over the output.
    /// `schedule` overrides the automatic choice (tests use it to reach every branch).
    public func forward(_ input: ChannelsLastMaps, relu: Bool = false, schedule: WinogradSchedule? = nil) -> ChannelsLastMaps {
        precondition(input.channels == inputChannels, "expected \(inputChannels) input channels")
        if isDirect && schedule == nil {
            return DirectConvolution3x3.forward(input, weights: weights, bias: bias, relu: relu)
        }
        return WinogradConvolution3x3.convolve(input, kernels: forwardKernels, outputChannels: outputChannels, bias: bias,
                                               relu: relu, mask: nil,
                                               schedule: schedule ?? automaticSchedule(height: input.height, width: input.width))
    }

    /// dL/dOutput (H, W, K) -> dL/dInput (H, W, C). With `reluOutput` (the output of the ReLU
    /// that fed this convolution), the gradient is also passed back through that ReLU: zeroed
    /// wherever the ReLU's output was not positive. With `adding` as well (a loss's gradient at
    /// that ReLU's output, (H, W, C)), it is added before the ReLU's mask, in the same pass. With
    /// `addingFeaturesTimes` (a Gram matrix's gradient at that ReLU's output, F S with F the
    /// ReLU's output), F S is added too, each run of rows multiplied while it is in cache; the
    /// seconds that takes are moved from `stageTimes`' convolutions to its Gram matrices.
    public func backwardInput(_ dOutput: ChannelsLastMaps, reluOutput: ChannelsLastMaps? = nil, adding addend: ChannelsLastMaps? = nil,
                              addingFeaturesTimes factor: GramGradientFactor? = nil, stageTimes: StageTimes? = nil,
                              schedule: WinogradSchedule? = nil) -> ChannelsLastMaps {
        precondition(dOutput.channels == outputChannels, "expected \(outputChannels) gradient channels")
        precondition((addend == nil && factor == nil) || reluOutput != nil, "a gradient is added only together with a ReLU's mask")
        if let addend {
            precondition(addend.channels == inputChannels && addend.height == dOutput.height && addend.width == dOutput.width,
                         "the added gradient has the input's shape")
        }
        precondition(factor == nil || factor!.channels == inputChannels, "S is C x C for the input's C channels")
        if reluOutput == nil && isDirect && schedule == nil {
            return DirectConvolution3x3.backwardInput(dOutput, weights: weights)
        }
        return WinogradConvolution3x3.convolve(dOutput, kernels: backwardKernels, outputChannels: inputChannels, bias: nil,
                                               relu: false, mask: reluOutput, addend: addend, factor: factor, stageTimes: stageTimes,
                                               schedule: schedule ?? automaticSchedule(height: dOutput.height, width: dOutput.width,
                                                                                       backward: true))
    }

    static func convolve(_ input: ChannelsLastMaps, kernels: [Float], outputChannels: Int, bias: [Float]?,
                         relu: Bool, mask: ChannelsLastMaps?, addend: ChannelsLastMaps? = nil,
                         factor: GramGradientFactor? = nil, stageTimes: StageTimes? = nil,
                         schedule: WinogradSchedule) -> ChannelsLastMaps {
        var output = ChannelsLastMaps(uninitializedHeight: input.height, width: input.width, channels: outputChannels)
        // The bias padded to whole vectors (zeros for the input gradient, which has none).
        var paddedBias = [Float](repeating: 0, count: padded(outputChannels))
        if let bias { for i in 0..<bias.count { paddedBias[i] = bias[i] } }
        let maskData = mask?.data ?? [], addendData = addend?.data ?? [], factorData = factor?.packed ?? []
        let fusedTimes = factor != nil && stageTimes != nil ? StageTimes() : nil
        defer {
            // Each thread timed its own products: their mean is the wall-clock share.
            if let fusedTimes, let stageTimes {
                stageTimes.move(fusedTimes[.gramMatrices] / Double(kernelThreads), from: .convolutions, to: .gramMatrices)
            }
        }
        factorData.withUnsafeBufferPointer { factorBuffer in
            input.data.withUnsafeBufferPointer { source in
                paddedBias.withUnsafeBufferPointer { biasBuffer in
                    maskData.withUnsafeBufferPointer { maskBuffer in addendData.withUnsafeBufferPointer { addendBuffer in
                        kernels.withUnsafeBufferPointer { u in
                            output.data.withUnsafeMutableBufferPointer { out in
                                let pass = WinogradPass(input: source.baseAddress!, height: input.height, width: input.width,
                                                        channels: input.channels, kernels: u.baseAddress!, bias: biasBuffer.baseAddress!,
                                                        output: out.baseAddress!, outputChannels: outputChannels, relu: relu,
                                                        mask: mask == nil ? nil : maskBuffer.baseAddress!,
                                                        addend: addend == nil ? nil : addendBuffer.baseAddress!,
                                                        factor: factor == nil ? nil : factorBuffer.baseAddress!, factorTimes: fusedTimes)
                                pass.run(schedule)
                            }
                        }
                    } }
                }
            }
        }
        return output
    }
}
