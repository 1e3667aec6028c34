import SeededRandom
import XCTest
import Tensors
import VGG
import StyleRepresentation
import GradientChecking
import TestSupport

final class StyleRepresentationTests: XCTestCase {

    /// Chapter 8's worked example: two 2x2 feature maps, a diagonal and a top row, and their
    /// 2x2 Gram matrix; mirrored left to right (the same features, elsewhere), the same matrix.
    func testTheWorkedExampleOfChapterEight() {
        let maps = Tensor(shape: [2, 2, 2], data: [1, 0,
                                                   0, 1,     // map 1: the diagonal
                                                   1, 1,
                                                   0, 0])    // map 2: the top row
        XCTAssertEqual(gramMatrixForward(maps).data, [0.25, 0.125, 0.125, 0.25])   // [2, 1; 1, 2] / (2 x 2 x 2)
        let mirrored = Tensor(shape: [2, 2, 2], data: [0, 1, 1, 0, 1, 1, 0, 0])
        XCTAssertEqual(gramMatrixForward(mirrored).data, gramMatrixForward(maps).data)
    }

    func testGramMatrixIsTheNormalisedInnerProductOfMaps() {
        let f = Tensor.random(shape: [3, 4, 5], seed: 1)
        let g = gramMatrixForward(f)
        XCTAssertEqual(g.shape, [3, 3])
        var inner: Float = 0
        for p in 0..<20 { inner += f.data[p] * f.data[40 + p] }
        XCTAssertEqual(g[0, 2], inner / 60, accuracy: 1e-6)
        XCTAssertEqual(g[0, 2], g[2, 0])
        // It forgets where features are: moving the pixels around changes nothing.
        var shuffled = f
        var rng = SplitMix64(seed: 2)
        let order = Array(0..<20).shuffled(using: &rng)
        for c in 0..<3 { for p in 0..<20 { shuffled.data[c * 20 + p] = f.data[c * 20 + order[p]] } }
        for (a, b) in zip(gramMatrixForward(shuffled).data, g.data) { XCTAssertEqual(a, b, accuracy: 1e-6) }
    }

    func testGramMatrixGradient() {
        for (n, shape) in [[1, 2, 2], [3, 4, 5], [5, 3, 7]].enumerated() {
            let x = Tensor.random(shape: shape, seed: UInt64(n))
            let c = shape[0]
            assertGradient(checkGradient(input: x.data, epsilon: 1, forward: { gramMatrixForward(Tensor(shape: shape, data: $0)).data },
                                         backward: { gramMatrixBackward(dGram: Tensor(shape: [c, c], data: $0), features: x).data }),
                           "gram \(shape)")
        }
    }

    func testStyleLossGradient() {
        for (n, shape) in [[2, 3, 3], [4, 5, 2]].enumerated() {
            let x = Tensor.random(shape: shape, seed: UInt64(n)), target = gramMatrixForward(Tensor.random(shape: shape, seed: 9))
            assertGradient(checkGradient(input: x.data, epsilon: 0.5, forward: { [Float(styleLossForward(features: Tensor(shape: shape, data: $0), target: target, weight: 100))] },
                                         backward: { d in styleLossBackward(features: x, target: target, weight: 100).data.map { $0 * d[0] } }),
                           "style loss \(shape)")
        }
    }

    func testRepresentationOfAnImage() {
        let network = VGG.randomWeights(seed: 1, widthDivisor: 16)
        let grams = StyleRepresentation.of(Tensor.random(shape: [3, 16, 16], seed: 1), network: network, layers: ["relu1_1", "relu3_1"])
        XCTAssertEqual(grams["relu1_1"]?.shape, [4, 4])
        XCTAssertEqual(grams["relu3_1"]?.shape, [16, 16])
    }

    /// The loss a texture descends, through a narrow VGG19 to the pixels (the paper's layer
    /// weighting), against central differences.
    func testTextureSynthesisLossGradient() {
        let network = VGG.randomWeights(seed: 6, pooling: .average, widthDivisor: 16)
        let loss = TextureSynthesisLoss(network: network, style: Tensor.random(shape: [3, 8, 8], seed: 1),
                                        layers: ["relu1_1", "relu1_2", "relu2_1"], weight: 1e3, layerWeighting: .paper)
        let x = Tensor.random(shape: [3, 8, 8], seed: 2)
        XCTAssertEqual(loss.evaluate(x).parts.content, 0)
        XCTAssertGreaterThan(loss.evaluate(x).parts.style, 0)
        assertImageLossGradient(loss, at: x, network: network, through: "relu2_1", minimumElements: 24, largestHalf: true, "texture synthesis loss")
    }
}
