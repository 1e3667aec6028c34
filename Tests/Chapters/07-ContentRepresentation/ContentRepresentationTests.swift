import XCTest
import Tensors
import VGG
import ContentRepresentation
import GradientChecking
import TestSupport

final class ContentRepresentationTests: XCTestCase {
    func testContentLossAndGradient() {
        let shape = [3, 4, 5]
        let x = Tensor.random(shape: shape, seed: 1), target = Tensor.random(shape: shape, seed: 2)
        var expected = 0.0
        for i in 0..<x.count { expected += Double(x.data[i] - target.data[i]) * Double(x.data[i] - target.data[i]) }
        XCTAssertEqual(contentLossForward(features: x, target: target, weight: 5), 5 * expected / 60, accuracy: 1e-9)
        let result = checkGradient(input: x.data, epsilon: 1, forward: { [Float(contentLossForward(features: Tensor(shape: shape, data: $0), target: target, weight: 5))] },
                                   backward: { d in contentLossBackward(features: x, target: target, weight: 5).data.map { $0 * d[0] } })
        assertGradient(result, "content loss")
    }

    /// The content representation at relu1_1 is the rectified first convolution of the image,
    /// here computed by hand from the weights (3x3, zero padding); deeper, each pooling halves
    /// the maps (relu4_2 of a 16x12 image: 2x1, after three poolings).
    func testRepresentationIsOneLayersFeatureMaps() {
        let network = VGG.randomWeights(seed: 1, widthDivisor: 16)
        let image = Tensor.random(shape: [3, 16, 12], seed: 1)
        let maps = ContentRepresentation.of(image, network: network, layer: "relu1_1")
        let weights = network.convolutions[0]
        XCTAssertEqual(maps.shape, [weights.outputChannels, 16, 12])
        for k in 0..<weights.outputChannels {
            for y in 0..<16 {
                for x in 0..<12 {
                    var sum = Double(weights.bias.data[k])
                    for c in 0..<3 {
                        for dy in -1...1 {
                            for dx in -1...1 where (0..<16).contains(y + dy) && (0..<12).contains(x + dx) {
                                let w: Float = weights.weights.data[((k * 3 + c) * 3 + dy + 1) * 3 + dx + 1]
                                let v: Float = image[c, y + dy, x + dx]
                                sum += Double(w) * Double(v)
                            }
                        }
                    }
                    XCTAssertEqual(Double(maps[k, y, x]), max(0, sum), accuracy: 1e-4 * max(1, abs(sum)), "map \(k) at (\(y), \(x))")
                }
            }
        }
        XCTAssertEqual(ContentRepresentation.of(image, network: network, layer: "relu4_2").shape, [32, 2, 1])
    }

    /// The loss a reconstruction descends, through a narrow VGG19 to the pixels, against central
    /// differences at the pixels whose steps leave every ReLU on its side.
    func testReconstructionLossGradient() {
        let network = VGG.randomWeights(seed: 5, pooling: .average, widthDivisor: 16)
        let loss = ContentReconstructionLoss(network: network, content: Tensor.random(shape: [3, 12, 12], seed: 1),
                                             layers: ["relu1_2", "relu2_1"], weight: 3)
        let x = Tensor.random(shape: [3, 12, 12], seed: 2)
        XCTAssertEqual(loss.evaluate(x).parts.style, 0)
        XCTAssertGreaterThan(loss.evaluate(x).parts.content, 0)
        XCTAssertEqual(loss.evaluate(Tensor.random(shape: [3, 12, 12], seed: 1)).parts.content, 0, "the content itself")
        assertImageLossGradient(loss, at: x, network: network, through: "relu2_1", minimumElements: 24, largestHalf: true, "content reconstruction loss")
    }
}
