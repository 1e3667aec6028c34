// The one way a test asserts a gradient check: it passed, and the same comparison would have
// failed an analytic gradient 0.1% off (GradientCheck.swift, `catches`).
import XCTest

/// Fails the test unless `result` passed and would catch a 0.1% error.
public func assertGradient(_ result: GradientCheckResult, _ message: String, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertTrue(result.passed, "\(message): \(result)", file: file, line: line)
    XCTAssertTrue(result.catches(relativeError: 1e-3), "\(message): the check would not catch a 0.1% error", file: file, line: line)
}

/// Asserts the gradient of a scalar loss of many inputs (an image's pixels, through a network)
/// against central differences, at the inputs whose steps of `epsilon` leave every kink
/// (`kinks` gives, for an input, the side of each ReLU: all must stay put) on the same side; at
/// least `minimumElements` of them. With `largestHalf`, only the half of the inputs with the
/// largest gradients are candidates: where the change a step makes stands furthest above the
/// Float rounding of everything the loss adds up. The loss's change from its value at `input` is
/// taken in Double, since as a Float the total would keep too few digits of the change.
public func assertLossGradient(at input: [Float], epsilon: Float, relativeTolerance: Double = 3e-4, minimumElements: Int,
                               largestHalf: Bool = false,
                               loss: ([Float]) -> (value: Double, gradient: [Float]), kinks: ([Float]) -> [Bool],
                               _ message: String, file: StaticString = #filePath, line: UInt = #line) {
    let (base, gradient) = loss(input)
    let candidates = largestHalf ? Array(gradient.indices.sorted { abs(gradient[$0]) > abs(gradient[$1]) }.prefix(gradient.count / 2)) : nil
    let elements = elementsAwayFromKinks(input: input, epsilon: epsilon, candidates: candidates, pattern: kinks)
    XCTAssertGreaterThanOrEqual(elements.count, minimumElements, "\(message): enough inputs away from kinks", file: file, line: line)
    let result = checkGradient(input: input, epsilon: epsilon, relativeTolerance: relativeTolerance, elements: elements,
                               forward: { [Float(loss($0).value - base)] }, backward: { d in gradient.map { $0 * d[0] } })
    assertGradient(result, message, file: file, line: line)
}
