import XCTest
import Tensors
import Kernels
import StyleTransfer

/// The losses' one-pass kernels (Kernels/LossKernels.swift) against their plain twins, on
/// arrays of several blocks with a ragged end (the sizes of real feature maps and images).
final class LossKernelsTests: XCTestCase {
    func testMeanSquaredErrorAndGradientMatchThePlainLoss() {
        let n = 3 * (1 << 14) + 11
        let x = Tensor.random(shape: [n], in: -5...5, seed: 1), t = Tensor.random(shape: [n], in: -5...5, seed: 2)
        let (loss, gradient) = meanSquaredErrorAndGradient(x.data, target: t.data, dLoss: 5)
        let plainLoss = meanSquaredErrorForward(x, target: t)
        XCTAssertEqual(loss, plainLoss, accuracy: 1e-9 * plainLoss)
        let plainGradient = meanSquaredErrorBackward(x, target: t, dLoss: 5)
        let worst = zip(gradient, plainGradient.data).map { abs($0 - $1) }.max()!
        XCTAssertLessThanOrEqual(worst, 1e-6 * plainGradient.data.map(abs).max()!)
    }

    func testTotalVariationAddsThePlainGradient() {
        for (c, h, w) in [(3, 37, 41), (3, 130, 129), (1, 1, 5)] {
            let image = Tensor.random(shape: [c, h, w], in: -100...100, seed: UInt64(h))
            let start = Tensor.random(shape: [c, h, w], in: -1...1, seed: 9)
            var gradient = start.data
            let loss = totalVariationAddingGradient(image.data, channels: c, height: h, width: w, weight: 0.25, into: &gradient)
            let plainLoss = 0.25 * totalVariationForward(image)
            // Each row is summed in Float (a row is at most a few hundred terms), the rows in Double.
            XCTAssertEqual(loss, plainLoss, accuracy: 1e-6 * max(plainLoss, 1), "\(c)x\(h)x\(w)")
            let expected = totalVariationBackward(image, dLoss: 0.25)
            let worst = (0..<gradient.count).map { abs(gradient[$0] - (start.data[$0] + expected.data[$0])) }.max()!
            XCTAssertLessThanOrEqual(worst, 1e-5 * expected.data.map(abs).max()!, "\(c)x\(h)x\(w)")
        }
    }
}
