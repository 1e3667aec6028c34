import XCTest
import SharedWeights
import GeneratedShapes
import Tensors
import GradientChecking

final class SharedWeightsTests: XCTestCase {
    func testFeatureMapIsTheSharedKernelEverywhere() {
        var rng = SplitMix64Source.make()
        let input = ShapesDataset.draw(.corner, using: &rng).tensor
        let layer = FeatureMapLayer(weights: HandSetKernels.weights, biases: Tensor(shape: [3], data: [0.1, 0, -0.1]))
        let sums = layer.weightedSums(input)
        XCTAssertEqual(sums.shape, [3, 24, 24])
        // Neuron (k, j, l) is b_k + sum of w_k * the 5x5 window at (j, l), for any position.
        for (k, j, l) in [(0, 0, 0), (1, 10, 3), (2, 23, 23)] {
            var expected = layer.biases.data[k]
            for a in 0..<5 { for b in 0..<5 { expected += HandSetKernels.weights.data[k * 25 + a * 5 + b] * input[0, j + a, l + b] } }
            XCTAssertEqual(sums[k, j, l], expected, accuracy: 1e-5)
        }
    }

    func testShiftingTheInputShiftsTheMaps() {
        var rng = SplitMix64Source.make()
        let input = ShapesDataset.draw(.cross, using: &rng).tensor
        let layer = FeatureMapLayer(weights: HandSetKernels.weights, biases: Tensor(shape: [3]))
        let moved = shifted(layer.weightedSums(input), dx: 3, dy: 2)
        let ofMoved = layer.weightedSums(shifted(input, dx: 3, dy: 2))
        for k in 0..<3 { for y in 6..<24 { for x in 6..<24 { XCTAssertEqual(moved[k, y, x], ofMoved[k, y, x], accuracy: 1e-5) } } }
    }

    func testHandSetKernelsRespondToTheirFeature() {
        var rng = SplitMix64Source.make()
        let layer = FeatureMapLayer(weights: HandSetKernels.weights, biases: Tensor(shape: [3]))
        func strongest(_ shape: Shape) -> [Float] {
            let maps = layer.weightedSums(ShapesDataset.draw(shape, using: &rng).tensor)
            return (0..<3).map { maps.data[($0 * 576)..<(($0 + 1) * 576)].max()! }
        }
        let vertical = strongest(.verticalLine), horizontal = strongest(.horizontalLine)
        XCTAssertGreaterThan(vertical[0], vertical[1])
        XCTAssertGreaterThan(horizontal[1], horizontal[0])
    }

    /// Whether every ReLU input is at least `margin` from zero and every pooling window's largest
    /// value at least `margin` above the next: then a step of 1e-3 in any weight (inputs are at
    /// most 1) crosses no kink, and central differences measure the true gradient.
    func isSmooth(_ network: ConvolutionalNetwork, _ input: Tensor, margin: Float = 0.02) -> Bool {
        let pass = network.forward(input)
        if pass.sums.data.contains(where: { abs($0) < margin }) { return false }
        guard network.pooling == .max else { return true }
        let (c, h, w) = (pass.maps.shape[0], pass.maps.shape[1], pass.maps.shape[2])
        for k in 0..<c {
            for y in stride(from: 0, to: h - 1, by: 2) {
                for x in stride(from: 0, to: w - 1, by: 2) {
                    let window = [pass.maps[k, y, x], pass.maps[k, y, x + 1], pass.maps[k, y + 1, x], pass.maps[k, y + 1, x + 1]].sorted()
                    if window[3] > 0 && window[3] - window[2] < margin { return false }
                }
            }
        }
        return true
    }

    func testNetworkGradientsAgainstCentralDifferences() {
        let input = Tensor.random(shape: [1, 8, 8], in: 0...1, seed: 5)
        for pooling in [PoolingChoice.none, .max, .average] {
            // The first seed whose network is smooth around this input.
            let network = (UInt64(1)...).lazy.map { ConvolutionalNetwork(maps: 2, kernelSide: 3, inputSide: 8, classes: 3, pooling: pooling, seed: $0) }
                .first { self.isSmooth($0, input) }!
            let g = network.gradients(input, label: 1)
            func loss(_ n: ConvolutionalNetwork) -> [Float] { [Float(softmaxCrossEntropyForward(n.forward(input).scores, label: 1))] }
            let kernels = checkGradient(input: network.kernels.data, epsilon: 1e-3, forward: { d in var n = network; n.kernels.data = d; return loss(n) },
                                        backward: { d in g.kernels.data.map { $0 * d[0] } })
            XCTAssertTrue(kernels.passed, "\(pooling) kernels: \(kernels)")
            let outputs = checkGradient(input: network.outputWeights.data, epsilon: 1e-3, forward: { d in var n = network; n.outputWeights.data = d; return loss(n) },
                                        backward: { d in g.outputWeights.data.map { $0 * d[0] } })
            XCTAssertTrue(outputs.passed, "\(pooling) output weights: \(outputs)")
            let biases = checkGradient(input: network.kernelBiases.data, epsilon: 1e-3, forward: { d in var n = network; n.kernelBiases.data = d; return loss(n) },
                                       backward: { d in g.kernelBiases.data.map { $0 * d[0] } })
            XCTAssertTrue(biases.passed, "\(pooling) kernel biases: \(biases)")
        }
    }
}
