import XCTest
import Foundation
import GradientChecking

/// The checker itself: it passes exact derivatives and fails ones that are off by 0.1%, whether
/// every element is off or only one.
final class GradientCheckTests: XCTestCase {
    let x: [Float] = [0.3, -1.2, 0.75, 2.1, -0.4, 1.6]

    /// f(x) = (sin x_i, x_i^3) for each i: smooth and not quadratic, so the step matters.
    func forward(_ x: [Float]) -> [Float] { x.map { sin($0) } + x.map { $0 * $0 * $0 } }
    func backward(_ d: [Float], error: (Int) -> Float = { _ in 1 }) -> [Float] {
        let n = x.count
        return (0..<n).map { i in (d[i] * cos(x[i]) + d[n + i] * 3 * x[i] * x[i]) * error(i) }
    }

    func testPassesTheExactDerivative() {
        let result = checkGradient(input: x, forward: forward, backward: { self.backward($0) })
        assertGradient(result, "the exact derivative")
    }

    func testFailsWhenEveryElementIsOffByATenthOfAPercent() {
        let result = checkGradient(input: x, forward: forward, backward: { self.backward($0) { _ in 1.001 } })
        XCTAssertFalse(result.passed, "\(result)")
        XCTAssertTrue(result.description.contains("FAILED"))
    }

    func testFailsWhenOneElementIsOffByATenthOfAPercent() {
        for wrong in x.indices {
            let result = checkGradient(input: x, forward: forward, backward: { self.backward($0) { $0 == wrong ? 1.001 : 1 } })
            XCTAssertFalse(result.passed, "element \(wrong) off by 0.1% passed: \(result)")
            XCTAssertEqual(result.worstIndex, wrong)
        }
    }

    func testFailsAMissingFactor() {
        // The derivative of x^2 without its factor 2.
        let result = checkGradient(input: x, forward: { $0.map { $0 * $0 } }, backward: { d in (0..<d.count).map { d[$0] * self.x[$0] } })
        XCTAssertFalse(result.passed)
    }

    func testSampledElements() {
        let result = checkGradient(input: x, elements: [1, 4], forward: forward, backward: { self.backward($0) })
        XCTAssertTrue(result.passed, "\(result)")
        XCTAssertEqual(result.numerical.count, 2)
    }
}
