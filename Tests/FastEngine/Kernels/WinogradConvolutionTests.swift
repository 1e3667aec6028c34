import XCTest
import Tensors
import TestSupport
import Kernels
import StyleRepresentation

/// The Winograd layer against the plain convolution: odd shapes, then every branch of its
/// schedule at the widths and sizes VGG19 really runs.
final class WinogradConvolutionTests: XCTestCase {
    /// Forward (with and without the fused ReLU) and input gradient (with and without the fused
    /// ReLU mask) of one layer, against the plain operations. `schedule` forces a branch.
    func check(inputs: Int, outputs: Int, height: Int, width: Int, seed: UInt64, schedule: WinogradSchedule? = nil,
               backwardSchedule: WinogradSchedule? = nil, _ label: String, line: UInt = #line) {
        let (weights, bias) = randomLayer(inputs: inputs, outputs: outputs, seed: seed)
        let layer = WinogradConvolution3x3(weights: weights, bias: bias)
        let x = randomMaps(channels: inputs, height: height, width: width, seed: seed + 1)
        let plain = convolutionForward(input: x.plain, weights: weights, bias: bias, stride: 1, padding: 1)
        assertClose(layer.forward(x.fast, schedule: schedule).tensor, plain, "\(label) forward", line: line)
        assertClose(layer.forward(x.fast, relu: true, schedule: schedule).tensor, reluForward(plain), "\(label) forward + ReLU", line: line)

        let d = randomMaps(channels: outputs, height: height, width: width, seed: seed + 2)
        let backward = convolutionBackward(dOutput: d.plain, input: x.plain, weights: weights, stride: 1, padding: 1,
                                                needsParameterGradients: false).dInput
        assertClose(layer.backwardInput(d.fast, schedule: backwardSchedule).tensor, backward, "\(label) backward", line: line)
        // The ReLU below this layer (its output is the input x, here made non-negative with zeros).
        let reluBelow = reluForward(x.plain)
        assertClose(layer.backwardInput(d.fast, reluOutput: ChannelsLastMaps(reluBelow), schedule: backwardSchedule).tensor,
                    reluBackward(dOutput: backward, input: reluBelow), "\(label) backward through ReLU", line: line)
        // A loss's gradient at that ReLU's output, added before its mask in the same pass.
        let extra = randomMaps(channels: inputs, height: height, width: width, seed: seed + 3)
        let sum = Tensor(shape: backward.shape, data: (0..<backward.count).map { backward.data[$0] + extra.plain.data[$0] })
        assertClose(layer.backwardInput(d.fast, reluOutput: ChannelsLastMaps(reluBelow), adding: extra.fast, schedule: backwardSchedule).tensor,
                    reluBackward(dOutput: sum, input: reluBelow), "\(label) backward, adding a gradient, through ReLU", line: line)
        // A Gram matrix's gradient at that ReLU's output (F S, F the ReLU's output), each run of
        // rows multiplied in the output pass; alone, and together with the gradient above.
        let dGram = Tensor.random(shape: [inputs, inputs], seed: seed + 4)
        let gramPart = gramMatrixBackward(dGram: dGram, features: reluBelow)
        let factor = GramGradientFactor(dGram: dGram, positions: height * width)
        let withGram = Tensor(shape: backward.shape, data: (0..<backward.count).map { backward.data[$0] + gramPart.data[$0] })
        assertClose(layer.backwardInput(d.fast, reluOutput: ChannelsLastMaps(reluBelow), addingFeaturesTimes: factor,
                                        schedule: backwardSchedule).tensor,
                    reluBackward(dOutput: withGram, input: reluBelow), "\(label) backward, adding F S, through ReLU", line: line)
        let withBoth = Tensor(shape: sum.shape, data: (0..<sum.count).map { sum.data[$0] + gramPart.data[$0] })
        assertClose(layer.backwardInput(d.fast, reluOutput: ChannelsLastMaps(reluBelow), adding: extra.fast, addingFeaturesTimes: factor,
                                        schedule: backwardSchedule).tensor,
                    reluBackward(dOutput: withBoth, input: reluBelow), "\(label) backward, adding a gradient and F S, through ReLU",
                    line: line)
    }

    func testOddShapesMatchPlain() {
        // Sizes that are not whole 4x4 tiles, channel counts that are not whole vectors of 16.
        for (n, (c, k, h, w)) in [(3, 16, 5, 7), (5, 9, 8, 8), (17, 20, 6, 11), (1, 1, 1, 1), (16, 3, 13, 4), (32, 64, 9, 10)].enumerated() {
            check(inputs: c, outputs: k, height: h, width: w, seed: UInt64(10 * n), "\(c)->\(k) \(h)x\(w)")
        }
    }

    /// conv1_2 (64 -> 64) is the shallow branch: each thread runs its own chunks of tiles.
    /// At 24x24 (36 tiles) that is one chunk; at 64x64 (256 tiles) several, shared by the threads.
    func testShallowBranchAtVGGWidth() {
        let layer = WinogradConvolution3x3(weights: Tensor(shape: [64, 64, 3, 3]), bias: Tensor(shape: [64]))
        let small = layer.automaticSchedule(height: 24, width: 24), large = layer.automaticSchedule(height: 64, width: 64)
        XCTAssertEqual(small.sharing, .perThread)
        XCTAssertEqual(small.chunks(tiles: 36), 1)
        XCTAssertEqual(large.sharing, .perThread)
        XCTAssertGreaterThan(large.chunks(tiles: 256), 2)
        check(inputs: 64, outputs: 64, height: 24, width: 24, seed: 1, "conv1_2 at 24x24 (one chunk)")
        check(inputs: 64, outputs: 64, height: 64, width: 64, seed: 2, "conv1_2 at 64x64 (many chunks)")
        // Chunks that do not divide the tiles evenly, more chunks than threads, odd image sizes.
        check(inputs: 64, outputs: 64, height: 37, width: 29, seed: 3,
              schedule: WinogradSchedule(sharing: .perThread, tilesPerChunk: 7),
              backwardSchedule: WinogradSchedule(sharing: .perThread, tilesPerChunk: 11), "conv1_2 at 37x29, chunks of 7 and 11")
    }

    /// A deep layer's chunks are whole blocks of the micro-kernel's 6 rows, so that only the last
    /// chunk of a layer has a ragged edge (conv4_x at 512: 54 tiles a chunk, not 56).
    func testDeepChunksAreWholeRowBlocks() {
        for (c, k) in [(128, 128), (256, 256), (512, 512)] {
            let layer = WinogradConvolution3x3(weights: Tensor(shape: [k, c, 3, 3]), bias: Tensor(shape: [k]))
            let schedule = layer.automaticSchedule(height: 128, width: 128)
            XCTAssertEqual(schedule.sharing, .shared)
            XCTAssertEqual(schedule.tilesPerChunk % 6, 0, "\(c)->\(k): \(schedule.tilesPerChunk) tiles a chunk")
        }
    }

    /// Every layer from conv2_1 on is the deep branch: all threads share one chunk at a time.
    func testDeepBranchAtVGGWidths() {
        for (n, (c, k, side)) in [(64, 128, 32), (128, 256, 16), (256, 512, 8), (512, 512, 4)].enumerated() {
            let layer = WinogradConvolution3x3(weights: Tensor(shape: [k, c, 3, 3]), bias: Tensor(shape: [k]))
            XCTAssertEqual(layer.automaticSchedule(height: side, width: side).sharing, .shared, "\(c)->\(k)")
            XCTAssertEqual(layer.automaticSchedule(height: side, width: side, backward: true).sharing, .shared, "\(k)->\(c)")
            check(inputs: c, outputs: k, height: side, width: side, seed: UInt64(20 + n), "\(c)->\(k) at \(side)x\(side)")
        }
        // Several chunks in turn (at 512 pixels conv2_1 has 4096 tiles, more than one chunk holds).
        let forced = WinogradSchedule(sharing: .shared, tilesPerChunk: 5)
        check(inputs: 128, outputs: 256, height: 18, width: 14, seed: 30, schedule: forced, backwardSchedule: forced,
              "128->256 at 18x14, chunks of 5")
    }

    /// Every micro-kernel shape inside the convolution, on both branches at VGG's widths: the
    /// shallow one (64 -> 64, several chunks) and the deep one (256 -> 512, 512 -> 512).
    func testEveryMicroKernelAtVGGWidths() {
        for kernel in MicroKernelShape.allCases {
            let perThread = WinogradSchedule(sharing: .perThread, tilesPerChunk: 48, microKernel: kernel)
            check(inputs: 64, outputs: 64, height: 40, width: 36, seed: 40, schedule: perThread, backwardSchedule: perThread,
                  "\(kernel): conv1_2 at 40x36, chunks of 48")
            let shared = WinogradSchedule(sharing: .shared, tilesPerChunk: 13, microKernel: kernel)
            check(inputs: 256, outputs: 512, height: 8, width: 12, seed: 41, schedule: shared, backwardSchedule: shared,
                  "\(kernel): conv4_1 at 8x12, chunks of 13")
        }
    }
}
