import XCTest
import Tensors
import VGG
import StyleTransfer
import GradientChecking
import TestSupport
import StyleRepresentation

/// The total loss of chapter 9 by the plain path, against central differences; and total
/// variation, the one term that looks at the pixels. (The engine's fast loss is compared with
/// this one in FastLossesTests.)
final class LossGradientTests: XCTestCase {

    func testTotalVariationGradient() {
        // A single pixel has no neighbours: no loss, no gradient.
        XCTAssertEqual(totalVariationForward(Tensor(shape: [1, 1, 1], data: [5])), 0)
        XCTAssertEqual(totalVariationBackward(Tensor(shape: [1, 1, 1], data: [5])).data, [0])
        for (n, shape) in [[1, 2, 1], [2, 3, 4], [3, 5, 2]].enumerated() {
            let x = Tensor.random(shape: shape, seed: UInt64(n))
            assertGradient(checkGradient(input: x.data, epsilon: 1, forward: { [Float(totalVariationForward(Tensor(shape: shape, data: $0)))] },
                                         backward: { totalVariationBackward(x, dLoss: $0[0]).data }), "tv \(shape)")
        }
        // Neighbouring differences, squared, halved: a single step of height 2 costs 0.5 * 2^2 per row.
        let step = Tensor(shape: [1, 2, 2], data: [0, 2, 0, 2])
        XCTAssertEqual(totalVariationForward(step), 4)
    }

    /// The whole plain loss (content, style and total variation through a narrow VGG19) at a
    /// small image, at the pixels whose steps leave every ReLU on the same side of its kink.
    func testPlainLossAgainstCentralDifferences() {
        let network = VGG.randomWeights(seed: 4, pooling: .average, widthDivisor: 16)
        let content = Tensor.random(shape: [3, 8, 8], seed: 1), style = Tensor.random(shape: [3, 8, 8], seed: 2)
        let loss = StyleTransferLoss(network: network, content: content, styles: [style], blend: [1],
                                          contentLayers: ["relu2_1"], styleLayers: ["relu1_1", "relu1_2", "relu2_1"],
                                          weights: StyleTransferWeights(content: 1, style: 1e3, totalVariation: 0.1))
        assertImageLossGradient(loss, at: Tensor.random(shape: [3, 8, 8], seed: 3), network: network, through: "relu2_1", "plain style-transfer loss")
    }

    /// With the paper's layer weighting each layer's style term is the paper's E_l (equation 4,
    /// unnormalised Gram matrices) times one factor for every layer, 4 style_weight / 64^2; with
    /// neural-style's equal terms the factor is 4 style_weight / N_l^2 and differs between layers.
    func testPaperLayerWeightingMatchesThePapersTerms() {
        let network = VGG.randomWeights(seed: 8, widthDivisor: 4)   // relu1_1: 16 maps, relu2_1: 32
        let size = 8
        let style = Tensor.random(shape: [3, size, size], in: -50...50, seed: 2), x = Tensor.random(shape: [3, size, size], in: -50...50, seed: 3)
        let (xMaps, styleMaps) = (network.forward(x, through: "relu2_1"), network.forward(style, through: "relu2_1"))
        for layer in ["relu1_1", "relu2_1"] {
            let index = network.layerIndex(layer)!, maps = xMaps[index].shape[0]
            let paper = paperStyleLayerLoss(features: xMaps[index], styleFeatures: styleMaps[index])
            for weighting in StyleLayerWeighting.allCases {
                let loss = StyleTransferLoss(network: network, content: x, styles: [style], blend: [1], contentLayers: [],
                                                  styleLayers: [layer],
                                                  weights: StyleTransferWeights(content: 0, style: 100, totalVariation: 0, styleLayers: weighting))
                let expected = weighting == .paper ? 4 * 100 / Double(64 * 64) : 4 * 100 / Double(maps * maps)
                XCTAssertEqual(loss.evaluate(x).parts.style / paper, expected, accuracy: 1e-4 * expected, "\(layer), \(weighting)")
            }
        }
    }

    func testStyleBlendIsNormalised() {
        // Two identical styles with weights 3 and 1 give the same targets as one style.
        let network = VGG.randomWeights(seed: 6, widthDivisor: 16)
        let content = Tensor.random(shape: [3, 8, 8], seed: 1), style = Tensor.random(shape: [3, 8, 8], seed: 2)
        let one = StyleTransferLoss(network: network, content: content, styles: [style], blend: [1], contentLayers: ["relu2_1"],
                                         styleLayers: ["relu1_1"], weights: StyleTransferWeights())
        let two = StyleTransferLoss(network: network, content: content, styles: [style, style], blend: [3, 1], contentLayers: ["relu2_1"],
                                         styleLayers: ["relu1_1"], weights: StyleTransferWeights())
        let (targetsOfOne, targetsOfTwo) = ((one.style as! GramMatrixTerm).targets, (two.style as! GramMatrixTerm).targets)
        for (a, b) in zip(targetsOfOne["relu1_1"]!.data, targetsOfTwo["relu1_1"]!.data) { XCTAssertEqual(a, b, accuracy: 1e-6 * max(1, abs(a))) }
    }
}
