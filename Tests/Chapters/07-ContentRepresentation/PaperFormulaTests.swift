import XCTest
import Tensors
import ContentRepresentation

/// The implemented content loss against the paper's equation 1 on a small case: their ratio is
/// exactly the factor the chapter states, 2 content_weight / (C H W).
final class PaperContentFormulaTests: XCTestCase {
    func testImplementedContentLossIsThePapersTimesTheStatedFactor() {
        for (n, shape) in [[3, 4, 5], [8, 2, 2], [1, 7, 3]].enumerated() {
            let f = Tensor.random(shape: shape, seed: UInt64(n)), p = Tensor.random(shape: shape, seed: UInt64(n + 10))
            let implemented = contentLossForward(features: f, target: p, weight: 5)
            let paper = paperContentLoss(features: f, target: p)
            XCTAssertEqual(implemented / paper, implementedOverPaperContentLoss(weight: 5, values: f.count), accuracy: 1e-6 * implemented / paper, "\(shape)")
        }
        // The default run's relu4_2 at 512 pixels: 512 maps of 64 x 64.
        XCTAssertEqual(implementedOverPaperContentLoss(weight: 5, values: 512 * 64 * 64), 10.0 / 2_097_152)
    }
}
