// How a test compares a fast result with its plain twin (the engine's pieces with their chapters').
import XCTest
import Tensors

/// Checks that a fast result agrees with its plain twin: the largest difference, relative to the
/// largest plain value (at least 1), is at most `tolerance`. Names the worst element on failure.
public func assertClose(_ fast: Tensor, _ plain: Tensor, tolerance: Float = 1e-4, _ message: String,
                 file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(fast.shape, plain.shape, message, file: file, line: line)
    guard fast.shape == plain.shape else { return }
    let scale = max(1, plain.data.map(abs).max() ?? 1)
    var worst: Float = 0, worstIndex = 0
    for i in 0..<plain.count {
        let error = abs(fast.data[i] - plain.data[i]) / scale
        if !(error <= worst) { worst = error; worstIndex = i }   // NaN counts as worst
    }
    XCTAssertLessThanOrEqual(worst, tolerance,
                             "\(message): element \(worstIndex) fast \(fast.data[worstIndex]) vs plain \(plain.data[worstIndex])",
                             file: file, line: line)
}
