import XCTest
import Tensors
import TestSupport
import VGG
import FastNetwork

/// The fast network on VGG19's real ImageNet weights (fetched and checked on first use, as the
/// demos do; skipped, saying so, offline), against the chapter's plain network.
final class FastRealWeightsTests: XCTestCase {
    /// The fast path against the plain path on the real weights, layer by layer: the largest
    /// difference relative to the layer's largest magnitude. Winograd in single precision on
    /// activations in the thousands is where precision could slip.
    func testFastPathAgreesWithPlainPathOnEveryLayer() throws {
        let network = try realVGG19OrSkip()
        let input = network.preprocessing.apply(Tensor.random(shape: [3, 48, 64], in: 0...255, seed: 7))
        let plain = network.forward(input, through: "pool5")
        let fast = FastVGG(network).forward(input, through: "pool5")
        for (index, layer) in VGGArchitecture.vgg19.layers.enumerated() where !(layer.name.hasPrefix("conv")) {
            let expected = plain[index], got = fast[layer.name]!.tensor
            let scale = expected.data.map(abs).max()!
            let worst = zip(expected.data, got.data).map { abs($0 - $1) }.max()!
            XCTAssertLessThan(worst / scale, 1e-4, "\(layer.name): largest difference \(worst) against a scale of \(scale)")
        }
    }
}
