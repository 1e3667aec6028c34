import XCTest
import Tensors
import StyleRepresentation

/// The implemented style loss of a layer against the paper's E_l (equations 3 and 4) on small
/// cases: their ratio is exactly 4 style_weight / N_l^2, whatever the maps' size.
final class PaperStyleFormulaTests: XCTestCase {
    func testImplementedStyleLossIsThePapersTimesTheStatedFactor() {
        for (n, shape) in [[3, 4, 5], [8, 2, 3], [16, 3, 3], [2, 9, 1]].enumerated() {
            let f = Tensor.random(shape: shape, seed: UInt64(n)), s = Tensor.random(shape: shape, seed: UInt64(n + 20))
            let implemented = styleLossForward(features: f, target: gramMatrixForward(s), weight: 100)
            let paper = paperStyleLayerLoss(features: f, styleFeatures: s)
            let factor = implementedOverPaperStyleLoss(weight: 100, maps: shape[0])
            XCTAssertEqual(implemented / paper, factor, accuracy: 1e-4 * factor, "\(shape)")
        }
        // Relative to the paper, relu1_1 (64 maps) counts 64 times more than relu5_1 (512 maps).
        XCTAssertEqual(implementedOverPaperStyleLoss(weight: 100, maps: 64) / implementedOverPaperStyleLoss(weight: 100, maps: 512), 64)
    }
}
