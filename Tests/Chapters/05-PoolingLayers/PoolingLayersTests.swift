import XCTest
import PoolingLayers
import GeneratedShapes
import Tensors
import GradientChecking

final class PoolingLayersTests: XCTestCase {
    func testPoolingHalvesEachMap() {
        let maps = Tensor.random(shape: [3, 24, 24], seed: 1)
        let (maxPooled, averagePooled) = PoolingLayers.pool(maps)
        XCTAssertEqual(maxPooled.shape, [3, 12, 12])
        XCTAssertEqual(maxPooled[1, 4, 5], [maps[1, 8, 10], maps[1, 8, 11], maps[1, 9, 10], maps[1, 9, 11]].max()!)
        XCTAssertEqual(averagePooled[2, 0, 0], (maps[2, 0, 0] + maps[2, 0, 1] + maps[2, 1, 0] + maps[2, 1, 1]) / 4, accuracy: 1e-6)
    }

    func testTheCompleteNetworkLearnsTheShapes() {
        // The chapter's bar: at least 95% on the held-out shapes with a fixed seed and epoch count.
        let (training, test) = ShapesDataset.trainingAndTest()
        let network = PoolingLayers.trainNetwork(training: training)
        XCTAssertGreaterThanOrEqual(network.accuracy(test), 0.95)
    }

    /// Whether every ReLU input is at least `margin` from zero and every pooling window's largest
    /// value at least `margin` above the next: then a step smaller than the margin in any kernel
    /// weight or bias (inputs are at most 1) crosses no kink, and central differences measure the
    /// true gradient.
    func isSmooth(_ network: ConvolutionalNetwork, _ input: Tensor, margin: Float) -> Bool {
        let pass = network.forward(input)
        if pass.sums.data.contains(where: { abs($0) < margin }) { return false }
        // A network whose ReLUs are all off has nothing to check.
        if pass.sums.data.filter({ $0 > 0 }).count < pass.sums.count / 4 { return false }
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

    /// Every parameter's gradient (kernels, kernel biases, output weights, output biases) against
    /// central differences, without pooling and with either kind.
    func testNetworkGradientsAgainstCentralDifferences() {
        let input = Tensor.random(shape: [1, 8, 8], in: 0...1, seed: 5)
        let choices: [PoolingKind?] = [nil, .max, .average]
        for pooling in choices {
            // The first seed whose network is smooth around this input.
            guard let network = (UInt64(1)...20000).lazy
                .map({ ConvolutionalNetwork(maps: 2, kernelSide: 3, inputSide: 8, classes: 3, pooling: pooling, seed: $0) })
                .first(where: { self.isSmooth($0, input, margin: pooling == .max ? 0.07 : 0.12) }) else { XCTFail("no smooth network with \(String(describing: pooling)) pooling"); continue }
            let g = network.gradients(input, label: 1)
            func loss(_ n: ConvolutionalNetwork) -> [Float] { [Float(softmaxCrossEntropyForward(n.forward(input).scores, label: 1))] }
            let parameters: [(String, WritableKeyPath<ConvolutionalNetwork, Tensor>, Tensor)] = [
                ("kernels", \.kernels, g.kernels), ("kernel biases", \.kernelBiases, g.kernelBiases),
                ("output weights", \.outputWeights, g.outputWeights), ("output biases", \.outputBiases, g.outputBiases),
            ]
            for (name, path, gradient) in parameters {
                let result = checkGradient(input: network[keyPath: path].data, epsilon: pooling == .max ? 0.06 : 0.1,
                                           forward: { d in var n = network; n[keyPath: path].data = d; return loss(n) },
                                           backward: { d in gradient.data.map { $0 * d[0] } })
                assertGradient(result, "\(String(describing: pooling)) \(name)")
            }
        }
    }
}
