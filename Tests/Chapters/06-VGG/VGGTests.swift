import XCTest
import Tensors
import VGG
import GradientChecking

final class VGGTests: XCTestCase {
    func testLayersAndShapes() {
        XCTAssertEqual(VGGArchitecture.vgg19.layers.count, 16 * 2 + 5)
        XCTAssertEqual(VGGArchitecture.vgg19.layers.map(\.name).prefix(5), ["conv1_1", "relu1_1", "conv1_2", "relu1_2", "pool1"])
        XCTAssertEqual(VGGArchitecture.vgg19.layers.last?.name, "pool5")
        XCTAssertEqual(VGGArchitecture.vgg19.convolutionShapes.map(\.outputChannels).reduce(0, +), 2 * 64 + 2 * 128 + 4 * 256 + 8 * 512)
        let outputs = VGG.randomWeights(seed: 1, widthDivisor: 16).forward(Tensor.random(shape: [3, 32, 32], seed: 1), through: "relu5_1")
        XCTAssertEqual(outputs.count, VGGArchitecture.vgg19.layerIndex("relu5_1")! + 1)
        XCTAssertEqual(outputs[VGGArchitecture.vgg19.layerIndex("pool1")!].shape, [4, 16, 16])
        XCTAssertEqual(outputs.last!.shape, [32, 2, 2])
    }

    /// VGG16 (configuration D) has three convolutions in blocks 3 to 5. Its convolutions sit at
    /// the positions torchvision's `features.N` gives them.
    func testVGG16Layers() {
        let vgg16 = VGGArchitecture.vgg16
        XCTAssertEqual(vgg16.layers.count, 13 * 2 + 5)
        XCTAssertEqual(vgg16.layers.indices.filter { vgg16.layers[$0].isConvolution }, [0, 2, 5, 7, 10, 12, 14, 17, 19, 21, 24, 26, 28])
        XCTAssertEqual(VGGArchitecture.vgg19.layers.indices.filter { VGGArchitecture.vgg19.layers[$0].isConvolution },
                       [0, 2, 5, 7, 10, 12, 14, 16, 19, 21, 23, 25, 28, 30, 32, 34])
        XCTAssertEqual(vgg16.layers.map(\.name).suffix(3), ["conv5_3", "relu5_3", "pool5"])
        XCTAssertNil(vgg16.layerIndex("relu5_4"))
        XCTAssertEqual(vgg16.deepest(of: ["relu1_1", "relu4_2", "relu3_3"]), "relu4_2")
        let parameters = vgg16.convolutionShapes.reduce(0) { $0 + $1.outputChannels * ($1.inputChannels * 9 + 1) }
        XCTAssertEqual(parameters, 14_714_688)   // VGG16's feature part, as torchvision counts it
        let outputs = VGG.randomWeights(.vgg16, seed: 1, widthDivisor: 16).forward(Tensor.random(shape: [3, 32, 32], seed: 1), through: "pool5")
        XCTAssertEqual(outputs.count, 31)
        XCTAssertEqual(outputs.last!.shape, [32, 1, 1])
    }

    /// The plain backward pass through the first two blocks (convolutions, ReLUs, average
    /// pooling), from a random projection of relu2_2's output and of relu1_1's, to the pixels,
    /// at the pixels whose steps leave every ReLU on the same side of its kink.
    func testPlainBackwardAgainstCentralDifferences() {
        let network = VGG.randomWeights(seed: 2, pooling: .average, widthDivisor: 16)
        let image = Tensor.random(shape: [3, 8, 8], seed: 3)
        let outputs = network.forward(image, through: "relu2_2")
        let (shallow, deep) = (VGGArchitecture.vgg19.layerIndex("relu1_1")!, VGGArchitecture.vgg19.layerIndex("relu2_2")!)
        let convolutions = VGGArchitecture.vgg19.layers.indices.prefix(deep + 1).filter { if case .convolution = VGGArchitecture.vgg19.layers[$0] { return true } else { return false } }
        let epsilon: Float = 0.02
        let elements = elementsAwayFromKinks(input: image.data, epsilon: epsilon) { data in
            let o = network.forward(Tensor(shape: image.shape, data: data), through: "relu2_2")
            return convolutions.flatMap { o[$0].data.map { $0 > 0 } }
        }
        XCTAssertGreaterThan(elements.count, image.count / 4, "enough pixels away from kinks")
        let result = checkGradient(input: image.data, epsilon: epsilon, elements: elements,
                                   forward: { data in
                                       let o = network.forward(Tensor(shape: image.shape, data: data), through: "relu2_2")
                                       return o[shallow].data + o[deep].data
                                   },
                                   backward: { d in
                                       let n = outputs[shallow].count
                                       return network.backward(image: image, outputs: outputs, gradients: [
                                           shallow: Tensor(shape: outputs[shallow].shape, data: Array(d[0..<n])),
                                           deep: Tensor(shape: outputs[deep].shape, data: Array(d[n...])),
                                       ]).data
                                   })
        assertGradient(result, "VGG backward to the pixels")
    }
}
