// The one way a test asserts a gradient check: it passed, and the same comparison would have
// failed an analytic gradient 0.1% off (GradientCheck.swift, `catches`).
import XCTest

/// Fails the test unless `result` passed and would catch a 0.1% error.
public func assertGradient(_ result: GradientCheckResult, _ message: String, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertTrue(result.passed, "\(message): \(result)", file: file, line: line)
    XCTAssertTrue(result.catches(relativeError: 1e-3), "\(message): the check would not catch a 0.1% error", file: file, line: line)
}
