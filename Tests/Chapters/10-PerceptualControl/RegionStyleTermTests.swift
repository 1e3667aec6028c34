import XCTest
import Tensors
import VGG
import StyleRepresentation
import GradientChecking
import PerceptualControl

/// Spatial control's style term, on its own: its gradient with respect to the feature maps
/// against central differences, and what it is when there is one region.
final class RegionStyleTermTests: XCTestCase {
    /// Two regions of a 6x6 picture at relu2_1 (3x3 positions, 8 maps), their targets random.
    func term() -> RegionStyleTerm {
        let layout = RegionLayout(height: 6, width: 6, regions: 2, labels: (0..<36).map { $0 % 6 < 4 ? 0 : 1 })
        let targets = (0..<2).map { Tensor.random(shape: [8, 8], in: 0...2, seed: 20 + UInt64($0)) }
        return RegionStyleTerm(regions: StyleRegions(layout: layout, targets: ["relu2_1": targets]), architecture: .vgg19)
    }

    func testGradientAgainstCentralDifferences() {
        let term = term(), features = Tensor.random(shape: [8, 3, 3], in: 0...2, seed: 3)
        let (base, gradient) = term.evaluate(features: features, layer: "relu2_1", weight: 7)
        // The loss's change from `base`, taken in Double: as a Float the total itself would keep
        // too few digits of the change.
        let result = checkGradient(input: features.data, epsilon: 0.05, relativeTolerance: 1e-4,
                                   forward: { [Float(term.evaluate(features: Tensor(shape: features.shape, data: $0), layer: "relu2_1", weight: 7).loss - base)] },
                                   backward: { d in gradient.data.map { $0 * d[0] } })
        assertGradient(result, "the regions' style term")
    }

    /// One region covering the picture: the guided Gram matrix is the Gram matrix, and the term
    /// is chapter 8's.
    func testOneRegionIsChapterEightsTerm() {
        let features = Tensor.random(shape: [8, 3, 3], in: 0...2, seed: 4), target = Tensor.random(shape: [8, 8], in: 0...2, seed: 5)
        let whole = RegionStyleTerm(regions: StyleRegions(layout: RegionLayout(height: 6, width: 6, regions: 1, labels: [Int](repeating: 0, count: 36)),
                                                          targets: ["relu2_1": [target]]), architecture: .vgg19)
        let (loss, gradient) = whole.evaluate(features: features, layer: "relu2_1", weight: 3)
        XCTAssertEqual(loss, styleLossForward(features: features, target: target, weight: 3), accuracy: 1e-5 * loss)
        let expected = styleLossBackward(features: features, target: target, weight: 3)
        for (a, b) in zip(gradient.data, expected.data) { XCTAssertEqual(a, b, accuracy: 1e-5 * max(1, abs(b))) }
    }
}
