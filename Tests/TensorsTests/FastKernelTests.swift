import XCTest
import Tensors

/// Every fast kernel against its plain twin.
final class FastKernelTests: XCTestCase {
    func assertClose(_ a: Tensor, _ b: Tensor, tolerance: Float = 1e-4, _ message: String, line: UInt = #line) {
        XCTAssertEqual(a.shape, b.shape, message, line: line)
        var worst: Float = 0, worstIndex = 0
        for i in 0..<min(a.count, b.count) {
            let error = abs(a.data[i] - b.data[i]) / max(1, abs(b.data[i]))
            if error > worst { worst = error; worstIndex = i }
        }
        XCTAssertLessThanOrEqual(worst, tolerance, "\(message): element \(worstIndex) fast \(a.data[worstIndex]) vs plain \(b.data[worstIndex])", line: line)
    }

    func testMatrixMultiplyMatchesNaive() {
        // Sizes straddling the 8 x 48 tile and the 192-deep block.
        for (m, n, k) in [(1, 1, 1), (8, 48, 192), (9, 49, 193), (3, 100, 7), (17, 5, 400), (16, 96, 384)] {
            let a = Tensor.random(shape: [m, k], seed: 1), b = Tensor.random(shape: [k, n], seed: 2)
            var fast = Tensor(shape: [m, n], value: 0.5), plain = Tensor(shape: [m, n], value: 0.5)
            a.data.withUnsafeBufferPointer { pa in
                b.data.withUnsafeBufferPointer { pb in
                    let la = MatrixLayout(base: pa.baseAddress!, rowStride: k), lb = MatrixLayout(base: pb.baseAddress!, rowStride: n)
                    plain.data.withUnsafeMutableBufferPointer { matrixMultiplyNaive(rows: m, columns: n, depth: k, a: la, b: lb, c: $0.baseAddress!, ldc: n) }
                    fast.data.withUnsafeMutableBufferPointer { matrixMultiply(a: PackedPanels(la, rows: m, depth: k), b: lb, columns: n, c: $0.baseAddress!, ldc: n) }
                    var split = Tensor(shape: [m, n], value: 0.5)
                    split.data.withUnsafeMutableBufferPointer {
                        matrixMultiply(a: PackedPanels(la, rows: m, depth: k), b: lb, columns: n, c: $0.baseAddress!, ldc: n, splitDepth: true)
                    }
                    assertClose(split, plain, "split-depth gemm \(m)x\(n)x\(k)")
                }
            }
            assertClose(fast, plain, "gemm \(m)x\(n)x\(k)")
        }
    }

    func testConvolution3x3MatchesPlain() {
        for (n, (c, k, h, w)) in [(3, 8, 5, 7), (5, 9, 8, 8), (17, 20, 6, 11), (1, 1, 1, 1), (8, 3, 13, 4)].enumerated() {
            let x = Tensor.random(shape: [c, h, w], seed: UInt64(n))
            let weights = Tensor.random(shape: [k, c, 3, 3], seed: UInt64(10 + n)), bias = Tensor.random(shape: [k], seed: UInt64(20 + n))
            let layer = Convolution3x3(weights: weights, bias: bias)
            let plain = convolutionForward(input: x, weights: weights, bias: bias, stride: 1, padding: 1)
            assertClose(layer.forward(x), plain, "forward \(c)->\(k) \(h)x\(w)")
            let dOut = Tensor.random(shape: [k, h, w], seed: UInt64(30 + n))
            let plainBackward = convolutionBackward(dOutput: dOut, input: x, weights: weights, stride: 1, padding: 1).dInput
            assertClose(layer.backwardInput(dOut), plainBackward, "backward \(c)->\(k) \(h)x\(w)")
        }
    }

    func testGramMatchesPlain() {
        for (n, shape) in [[3, 4, 5], [9, 7, 30], [50, 3, 3], [1, 1, 1]].enumerated() {
            let f = Tensor.random(shape: shape, seed: UInt64(n))
            assertClose(gramMatrixFast(f), gramMatrixForward(f), "gram \(shape)")
            let dG = Tensor.random(shape: [shape[0], shape[0]], seed: UInt64(40 + n))
            assertClose(gramMatrixBackwardFast(dGram: dG, features: f), gramMatrixBackward(dGram: dG, features: f), "gram backward \(shape)")
        }
    }

    func testReLUAndPoolingMatchPlain() {
        for (n, shape) in [[3, 4, 4], [2, 7, 5], [1, 1, 3]].enumerated() {
            let x = Tensor.random(shape: shape, seed: UInt64(n))
            var y = x
            reluInPlace(&y)
            XCTAssertEqual(y, reluForward(x))
            var g = Tensor.random(shape: shape, seed: UInt64(n + 9))
            let expected = reluBackward(dOutput: g, input: x)
            reluBackwardInPlace(&g, output: y)
            XCTAssertEqual(g, expected)
            if shape[1] >= 2 && shape[2] >= 2 {
                XCTAssertEqual(pool2x2Fast(x, average: false), maxPoolForward(x))
                assertClose(pool2x2Fast(x, average: true), averagePoolForward(x), "avg pool")
                let d = Tensor.random(shape: [shape[0], shape[1] / 2, shape[2] / 2], seed: 3)
                XCTAssertEqual(pool2x2BackwardFast(dOutput: d, input: x, average: false), maxPoolBackward(dOutput: d, input: x))
                assertClose(pool2x2BackwardFast(dOutput: d, input: x, average: true), averagePoolBackward(dOutput: d, inputShape: shape), "avg back")
            }
        }
    }
}
