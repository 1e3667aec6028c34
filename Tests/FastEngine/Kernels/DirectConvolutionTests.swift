import XCTest
import Tensors
import TestSupport
import Kernels

/// conv1_1 (3 -> 64 channels) runs on the direct kernels, forward with its fused ReLU, and its
/// input gradient (the image's gradient) directly too.
final class DirectConvolutionTests: XCTestCase {
    func testFirstLayerAtVGGWidth() {
        for (n, (kernels, height, width)) in [(64, 64, 64), (64, 13, 7), (128, 9, 10)].enumerated() {
            let (weights, bias) = randomLayer(inputs: 3, outputs: kernels, seed: UInt64(n))
            let layer = WinogradConvolution3x3(weights: weights, bias: bias)
            XCTAssertTrue(layer.isDirect)
            let x = randomMaps(channels: 3, height: height, width: width, seed: UInt64(10 + n))
            let plain = convolutionForward(input: x.plain, weights: weights, bias: bias, stride: 1, padding: 1)
            XCTAssertTrue(plain.data.contains { $0 < 0 } && plain.data.contains { $0 > 0 }, "the ReLU has something to do")
            assertClose(layer.forward(x.fast).tensor, plain, "3->\(kernels) \(height)x\(width) forward")
            assertClose(layer.forward(x.fast, relu: true).tensor, reluForward(plain), "3->\(kernels) \(height)x\(width) forward + ReLU")
            let d = randomMaps(channels: kernels, height: height, width: width, seed: UInt64(20 + n))
            assertClose(layer.backwardInput(d.fast).tensor,
                        convolutionBackward(dOutput: d.plain, input: x.plain, weights: weights, stride: 1, padding: 1).dInput,
                        "3->\(kernels) \(height)x\(width) input gradient")
        }
        // Fewer than 3 channels (a gray image) takes the same kernels.
        let (weights, bias) = randomLayer(inputs: 2, outputs: 64, seed: 40)
        let layer = WinogradConvolution3x3(weights: weights, bias: bias)
        let x = randomMaps(channels: 2, height: 6, width: 5, seed: 41)
        assertClose(layer.forward(x.fast, relu: true).tensor,
                    reluForward(convolutionForward(input: x.plain, weights: weights, bias: bias, stride: 1, padding: 1)), "2->64 + ReLU")
        // The input gradient for 1, 2 and 4 channels: every channel's sums, and none written beyond C.
        for channels in [1, 2, 4] {
            let (weights, bias) = randomLayer(inputs: channels, outputs: 64, seed: UInt64(42 + channels))
            let layer = WinogradConvolution3x3(weights: weights, bias: bias)
            let x = randomMaps(channels: channels, height: 7, width: 9, seed: 43)
            let d = randomMaps(channels: 64, height: 7, width: 9, seed: 44)
            assertClose(layer.backwardInput(d.fast).tensor,
                        convolutionBackward(dOutput: d.plain, input: x.plain, weights: weights, stride: 1, padding: 1).dInput,
                        "\(channels)->64 input gradient")
        }
    }

    func testWinogradRouteAgreesForTheFirstLayer() {
        // The same layer forced through Winograd (a schedule given) agrees with the direct kernels.
        let (weights, bias) = randomLayer(inputs: 3, outputs: 64, seed: 50)
        let layer = WinogradConvolution3x3(weights: weights, bias: bias)
        let x = randomMaps(channels: 3, height: 20, width: 20, seed: 51)
        let schedule = WinogradSchedule(sharing: .perThread, tilesPerChunk: 8)
        assertClose(layer.forward(x.fast, relu: true, schedule: schedule).tensor, layer.forward(x.fast, relu: true).tensor, "Winograd vs direct")
    }
}
