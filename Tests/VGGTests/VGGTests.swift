import XCTest
import Tensors
import VGG
import GradientChecking

final class VGGTests: XCTestCase {
    func testLayersAndShapes() {
        XCTAssertEqual(VGG19.layers.count, 16 * 2 + 5)
        XCTAssertEqual(VGG19.layers.map(\.name).prefix(5), ["conv1_1", "relu1_1", "conv1_2", "relu1_2", "pool1"])
        XCTAssertEqual(VGG19.layers.last?.name, "pool5")
        XCTAssertEqual(VGG19.convolutionShapes.map(\.outputChannels).reduce(0, +), 2 * 64 + 2 * 128 + 4 * 256 + 8 * 512)
        let outputs = VGG19.randomWeights(seed: 1, widthDivisor: 16).plainForward(Tensor.random(shape: [3, 32, 32], seed: 1), through: "relu5_1")
        XCTAssertEqual(outputs.count, VGG19.layerIndex("relu5_1")! + 1)
        XCTAssertEqual(outputs[VGG19.layerIndex("pool1")!].shape, [4, 16, 16])
        XCTAssertEqual(outputs.last!.shape, [32, 2, 2])
    }

    /// The plain backward pass through the first two blocks (convolutions, ReLUs, average
    /// pooling), from a random projection of relu2_2's output and of relu1_1's, to the pixels,
    /// at the pixels whose steps leave every ReLU on the same side of its kink.
    func testPlainBackwardAgainstCentralDifferences() {
        let network = VGG19.randomWeights(seed: 2, pooling: .average, widthDivisor: 16)
        let image = Tensor.random(shape: [3, 8, 8], seed: 3)
        let outputs = network.plainForward(image, through: "relu2_2")
        let (shallow, deep) = (VGG19.layerIndex("relu1_1")!, VGG19.layerIndex("relu2_2")!)
        let convolutions = VGG19.layers.indices.prefix(deep + 1).filter { if case .convolution = VGG19.layers[$0] { return true } else { return false } }
        let epsilon: Float = 0.02
        let elements = elementsAwayFromKinks(input: image.data, epsilon: epsilon) { data in
            let o = network.plainForward(Tensor(shape: image.shape, data: data), through: "relu2_2")
            return convolutions.flatMap { o[$0].data.map { $0 > 0 } }
        }
        XCTAssertGreaterThan(elements.count, image.count / 4, "enough pixels away from kinks")
        let result = checkGradient(input: image.data, epsilon: epsilon, elements: elements,
                                   forward: { data in
                                       let o = network.plainForward(Tensor(shape: image.shape, data: data), through: "relu2_2")
                                       return o[shallow].data + o[deep].data
                                   },
                                   backward: { d in
                                       let n = outputs[shallow].count
                                       return network.plainBackward(image: image, outputs: outputs, gradients: [
                                           shallow: Tensor(shape: outputs[shallow].shape, data: Array(d[0..<n])),
                                           deep: Tensor(shape: outputs[deep].shape, data: Array(d[n...])),
                                       ]).data
                                   })
        XCTAssertTrue(result.passed, "\(result)")
        XCTAssertTrue(result.catches(relativeError: 1e-3), "would not catch a 0.1% error")
    }
}
