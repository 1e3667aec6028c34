import XCTest
import Tensors
@testable import VGG

/// The paper's rescaled network: every filter's mean activation is 1 on the images it was
/// measured on, and every map is the original one divided by its filter's mean.
final class NormalisedActivationsTests: XCTestCase {
    func testEveryFiltersMeanIsOneAndTheMapsAreTheOriginalsScaled() {
        let network = VGG.randomWeights(seed: 3, widthDivisor: 16)
        let images = [Tensor.random(shape: [3, 37, 35], in: -60...60, seed: 1), Tensor.random(shape: [3, 32, 32], in: -60...60, seed: 2)]
        let means = network.meanActivations(over: images)
        let normalised = network.normalisedActivations(over: images)
        let after = normalised.meanActivations(over: images)
        var checked = 0
        for n in means.indices {
            let average = means[n].reduce(0, +) / Double(means[n].count)
            for k in means[n].indices where means[n][k] >= 0.01 * average {
                XCTAssertEqual(after[n][k], 1, accuracy: 1e-3, "convolution \(n), filter \(k)")
                checked += 1
            }
        }
        XCTAssertGreaterThan(checked, means.joined().count / 2, "most filters are active")
        // Each ReLU's maps: the original's divided by the filter's mean (one image, plain path).
        let (original, rescaled) = (network.forward(images[0], through: "relu5_1"), normalised.forward(images[0], through: "relu5_1"))
        let convolutionIndices = network.layers.indices.filter { network.layers[$0].isConvolution }
        for (n, index) in convolutionIndices.enumerated() where index + 1 < original.count {
            let (a, b) = (original[index + 1], rescaled[index + 1])
            let positions = a.shape[1] * a.shape[2]
            let average = means[n].reduce(0, +) / Double(means[n].count)
            for k in 0..<a.shape[0] {
                let mean = max(means[n][k], 0.01 * average)
                for p in 0..<positions {
                    let expected = Double(a.data[k * positions + p]) / mean
                    XCTAssertEqual(Double(b.data[k * positions + p]), expected, accuracy: 1e-3 * max(1, abs(expected)),
                                   "layer \(index + 1), map \(k)")
                }
            }
        }
    }

    func testPerLayerEveryLayersAverageIsOne() {
        let network = VGG.randomWeights(seed: 4, widthDivisor: 16)
        let images = [Tensor.random(shape: [3, 24, 24], in: -60...60, seed: 5)]
        let after = network.normalisedActivations(over: images, by: .layer).meanActivations(over: images)
        let before = network.meanActivations(over: images)
        for n in after.indices {
            XCTAssertEqual(after[n].reduce(0, +) / Double(after[n].count), 1, accuracy: 1e-3, "convolution \(n)")
            // The filters of a layer keep their proportions.
            let scale = before[n].reduce(0, +) / Double(before[n].count)
            for k in after[n].indices { XCTAssertEqual(after[n][k], before[n][k] / scale, accuracy: 1e-3 * max(1, before[n][k] / scale)) }
        }
    }
}
