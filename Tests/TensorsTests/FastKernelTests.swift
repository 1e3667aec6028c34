import XCTest
import Tensors

/// Every fast kernel against its plain twin.
final class FastKernelTests: XCTestCase {
    func assertClose(_ a: Tensor, _ b: Tensor, tolerance: Float = 1e-4, _ message: String, line: UInt = #line) {
        XCTAssertEqual(a.shape, b.shape, message, line: line)
        let scale = max(1, b.data.map(abs).max() ?? 1)
        var worst: Float = 0, worstIndex = 0
        for i in 0..<min(a.count, b.count) {
            let error = abs(a.data[i] - b.data[i]) / scale
            if error > worst { worst = error; worstIndex = i }
        }
        XCTAssertLessThanOrEqual(worst, tolerance, "\(message): element \(worstIndex) fast \(a.data[worstIndex]) vs plain \(b.data[worstIndex])", line: line)
    }

    func testMatrixMultiplyMatchesNaive() {
        // Sizes straddling the 6 x 64 tile and the 128-deep block; A read both row-major and transposed.
        for (m, n, k) in [(1, 1, 1), (6, 64, 128), (7, 65, 129), (3, 100, 7), (17, 5, 300), (12, 128, 256), (50, 16, 3)] {
            let a = Tensor.random(shape: [m, k], seed: 1), b = Tensor.random(shape: [k, n], seed: 2)
            let aTransposed = Tensor(shape: [k, m], data: (0..<(k * m)).map { a.data[($0 % m) * k + $0 / m] })
            var plain = Tensor(shape: [m, n], value: 0.5)
            a.data.withUnsafeBufferPointer { pa in
                b.data.withUnsafeBufferPointer { pb in
                    plain.data.withUnsafeMutableBufferPointer {
                        matrixMultiplyNaive(rows: m, columns: n, depth: k, a: StridedMatrix(base: pa.baseAddress!, rowStride: k),
                                            b: pb.baseAddress!, ldb: n, c: $0.baseAddress!, ldc: n)
                    }
                    for splitDepth in [false, true] {
                        var fast = Tensor(shape: [m, n], value: 0.5)
                        fast.data.withUnsafeMutableBufferPointer {
                            matrixMultiply(rows: m, columns: n, depth: k, a: StridedMatrix(base: pa.baseAddress!, rowStride: k),
                                           b: pb.baseAddress!, ldb: n, c: $0.baseAddress!, ldc: n, splitDepth: splitDepth)
                        }
                        assertClose(fast, plain, "gemm \(m)x\(n)x\(k) split \(splitDepth)")
                    }
                    aTransposed.data.withUnsafeBufferPointer { pt in
                        var fast = Tensor(shape: [m, n], value: 0.5)
                        fast.data.withUnsafeMutableBufferPointer {
                            matrixMultiply(rows: m, columns: n, depth: k, a: StridedMatrix(base: pt.baseAddress!, rowStride: 1, depthStride: m),
                                           b: pb.baseAddress!, ldb: n, c: $0.baseAddress!, ldc: n)
                        }
                        assertClose(fast, plain, "gemm transposed A \(m)x\(n)x\(k)")
                    }
                }
            }
        }
    }

    func testWinogradConvolutionMatchesPlain() {
        // Odd sizes, sizes that are not whole 4x4 tiles, channel counts that are not whole vectors.
        // (3, 64, ...) and (2, 128, ...) take the direct path of the first layer.
        for (n, (c, k, h, w)) in [(3, 16, 5, 7), (5, 9, 8, 8), (17, 20, 6, 11), (1, 1, 1, 1), (16, 3, 13, 4), (32, 64, 9, 10),
                                  (3, 64, 9, 10), (2, 128, 5, 3)].enumerated() {
            let x = Tensor.random(shape: [c, h, w], seed: UInt64(n))
            let weights = Tensor.random(shape: [k, c, 3, 3], seed: UInt64(10 + n)), bias = Tensor.random(shape: [k], seed: UInt64(20 + n))
            let layer = WinogradConvolution3x3(weights: weights, bias: bias)
            let plain = convolutionForward(input: x, weights: weights, bias: bias, stride: 1, padding: 1)
            assertClose(layer.forward(FeatureMaps(x)).tensor, plain, "forward \(c)->\(k) \(h)x\(w)")
            let dOut = Tensor.random(shape: [k, h, w], seed: UInt64(30 + n))
            let plainBackward = convolutionBackward(dOutput: dOut, input: x, weights: weights, stride: 1, padding: 1).dInput
            assertClose(layer.backwardInput(FeatureMaps(dOut)).tensor, plainBackward, "backward \(c)->\(k) \(h)x\(w)")
        }
    }

    func testFeatureMapsRoundTrip() {
        let x = Tensor.random(shape: [5, 3, 4], seed: 1)
        let maps = FeatureMaps(x)
        XCTAssertEqual(maps.data[(1 * 4 + 2) * 5 + 3], x[3, 1, 2])
        XCTAssertEqual(maps.tensor, x)
    }

    func testGramMatchesPlain() {
        for (n, shape) in [[3, 4, 5], [9, 7, 30], [50, 3, 3], [1, 1, 1], [64, 20, 20]].enumerated() {
            let f = Tensor.random(shape: shape, seed: UInt64(n))
            assertClose(gramMatrix(FeatureMaps(f)), gramMatrixForward(f), "gram \(shape)")
            let dG = Tensor.random(shape: [shape[0], shape[0]], seed: UInt64(40 + n))
            assertClose(gramMatrixBackward(dGram: dG, features: FeatureMaps(f)).tensor, gramMatrixBackward(dGram: dG, features: f),
                        "gram backward \(shape)")
        }
    }

    func testFusedReLUMasksMatchPlain() {
        // Pooling's gradient passed back through the ReLU below it, in one pass...
        let input = reluForward(Tensor.random(shape: [5, 6, 8], seed: 1))
        let d = Tensor.random(shape: [5, 3, 4], seed: 2)
        for average in [false, true] {
            let plainPool = average ? averagePoolBackward(dOutput: d, inputShape: input.shape) : maxPoolBackward(dOutput: d, input: input)
            let plain = reluBackward(dOutput: plainPool, input: input)
            let fused = pool2x2Backward(dOutput: FeatureMaps(d), input: FeatureMaps(input), average: average, throughReLU: true).tensor
            assertClose(fused, plain, "pool backward through ReLU, average \(average)")
        }
        // ...and a gradient added through a ReLU's mask.
        let a = Tensor.random(shape: [5, 6, 8], seed: 3), b = Tensor.random(shape: [5, 6, 8], seed: 4)
        var sum = FeatureMaps(a)
        accumulate(FeatureMaps(b), into: &sum, maskedBy: FeatureMaps(input))
        let masked = reluBackward(dOutput: b, input: input)
        XCTAssertEqual(sum.tensor, Tensor(shape: a.shape, data: (0..<a.count).map { a.data[$0] + masked.data[$0] }))
    }

    func testReLUAndPoolingMatchPlain() {
        for (n, shape) in [[3, 4, 4], [2, 7, 5], [1, 1, 3], [20, 6, 6]].enumerated() {
            let x = Tensor.random(shape: shape, seed: UInt64(n))
            var y = FeatureMaps(x)
            reluInPlace(&y)
            XCTAssertEqual(y.tensor, reluForward(x))
            var g = FeatureMaps(Tensor.random(shape: shape, seed: UInt64(n + 9)))
            let expected = reluBackward(dOutput: g.tensor, input: x)
            reluBackwardInPlace(&g, output: y)
            XCTAssertEqual(g.tensor, expected)
            if shape[1] >= 2 && shape[2] >= 2 {
                XCTAssertEqual(pool2x2(FeatureMaps(x), average: false).tensor, maxPoolForward(x))
                assertClose(pool2x2(FeatureMaps(x), average: true).tensor, averagePoolForward(x), "avg pool")
                let d = Tensor.random(shape: [shape[0], shape[1] / 2, shape[2] / 2], seed: 3)
                XCTAssertEqual(pool2x2Backward(dOutput: FeatureMaps(d), input: FeatureMaps(x), average: false).tensor,
                               maxPoolBackward(dOutput: d, input: x))
                assertClose(pool2x2Backward(dOutput: FeatureMaps(d), input: FeatureMaps(x), average: true).tensor,
                            averagePoolBackward(dOutput: d, inputShape: shape), "avg back")
            }
        }
    }
}
