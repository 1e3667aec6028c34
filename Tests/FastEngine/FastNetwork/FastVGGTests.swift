import XCTest
import TestSupport
import Tensors
import VGG
import FastNetwork

/// The fast network against the chapter's plain one at VGG19's full width, on a 64x64 image:
/// every layer's activations (max pooling), convolution outputs kept where asked; and the mean
/// activations the paper's rescaling needs.
final class FastVGGTests: XCTestCase {
    func testActivationsMatchPlain() {
        let network = VGG.randomWeights(seed: 3, pooling: .max)
        let fast = FastVGG(network)
        let x = Tensor.random(shape: [3, 64, 64], in: -120...120, seed: 1)
        let plain = network.forward(x, through: "relu5_1")
        let activations = fast.forward(x, through: "relu5_1", keeping: ["conv1_1", "conv3_2"])
        for name in ["conv1_1", "relu1_1", "relu1_2", "pool1", "relu2_1", "pool2", "conv3_2", "relu3_2", "relu4_1", "relu4_2", "pool4", "relu5_1"] {
            let index = VGGArchitecture.vgg19.layerIndex(name)!
            guard let maps = activations[name] else { XCTFail("\(name) not kept"); continue }
            assertClose(maps.tensor, plain[index], tolerance: 2e-4, "\(name)")
        }
    }


    /// The means of the paper's rescaling (chapter 6, NormalisedActivations.swift) on both paths.
    func testMeanActivationsMatchPlain() {
        let network = VGG.randomWeights(seed: 5, widthDivisor: 8)
        let images = [Tensor.random(shape: [3, 29, 33], in: -60...60, seed: 2), Tensor.random(shape: [3, 16, 16], in: -60...60, seed: 3)]
        let (fast, plain) = (FastVGG(network).meanActivations(over: images), network.meanActivations(over: images))
        XCTAssertEqual(fast.count, plain.count)
        for (n, (a, b)) in zip(fast, plain).enumerated() {
            for (k, (x, y)) in zip(a, b).enumerated() { XCTAssertEqual(x, y, accuracy: 1e-4 * max(1, abs(y)), "convolution \(n), filter \(k)") }
        }
    }
}
