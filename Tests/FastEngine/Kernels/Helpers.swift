import XCTest
import Tensors
import Kernels

/// Checks that a fast result agrees with its plain twin: the largest difference, relative to the
/// largest plain value (at least 1), is at most `tolerance`. Names the worst element on failure.
func assertClose(_ fast: Tensor, _ plain: Tensor, tolerance: Float = 1e-4, _ message: String,
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

/// Random values in -1...1 as channels-last maps and as the same (C, H, W) tensor.
func randomMaps(channels: Int, height: Int, width: Int, seed: UInt64) -> (fast: ChannelsLastMaps, plain: Tensor) {
    let t = Tensor.random(shape: [channels, height, width], seed: seed)
    return (ChannelsLastMaps(t), t)
}

/// He-scaled random 3x3 kernels (K, C, 3, 3) and biases (K), as VGG's layers have.
func randomLayer(inputs: Int, outputs: Int, seed: UInt64) -> (weights: Tensor, bias: Tensor) {
    let scale = (2 / Float(inputs * 9)).squareRoot() * 1.7
    return (Tensor.random(shape: [outputs, inputs, 3, 3], in: -scale...scale, seed: seed),
            Tensor.random(shape: [outputs], in: -0.1...0.1, seed: seed &+ 1))
}
