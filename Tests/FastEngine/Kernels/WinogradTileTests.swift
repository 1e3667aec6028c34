import XCTest
import Tensors
import Kernels

/// The scalar Winograd tile against the definition, and the SIMD transforms against the scalar
/// tile, 16 channels at a time.
final class WinogradTileTests: XCTestCase {
    func randomMatrix(_ rows: Int, _ columns: Int, seed: UInt64) -> [[Float]] {
        let t = Tensor.random(shape: [rows, columns], seed: seed)
        return (0..<rows).map { Array(t.data[($0 * columns)..<(($0 + 1) * columns)]) }
    }

    func assertMatricesClose(_ a: [[Float]], _ b: [[Float]], tolerance: Float = 1e-5, _ message: String, line: UInt = #line) {
        XCTAssertEqual(a.count, b.count, message, line: line)
        for (rowA, rowB) in zip(a, b) {
            for (x, y) in zip(rowA, rowB) { XCTAssertEqual(x, y, accuracy: tolerance * max(1, abs(y)), message, line: line) }
        }
    }

    func testWinogradTileIsTheConvolution() {
        for seed in UInt64(0)..<20 {
            let d = randomMatrix(6, 6, seed: seed), g = randomMatrix(3, 3, seed: 100 + seed)
            assertMatricesClose(WinogradTile.convolve(patch: d, kernel: g), WinogradTile.convolveDirectly(patch: d, kernel: g), "tile \(seed)")
        }
        // A kernel that is 1 at one tap copies the patch shifted by that tap.
        let d = randomMatrix(6, 6, seed: 50)
        var g = [[Float]](repeating: [0, 0, 0], count: 3)
        g[2][1] = 1
        assertMatricesClose(WinogradTile.convolve(patch: d, kernel: g), (0..<4).map { i in (0..<4).map { j in d[i + 2][j + 1] } }, "shift")
    }

    func testSIMDInputTransformMatchesTheMatrices() {
        // 16 channels of one 6x6 patch, channels-last, as the fast code reads them.
        let patches = (0..<16).map { randomMatrix(6, 6, seed: UInt64($0)) }
        var interleaved = [Float](repeating: 0, count: 36 * 16)
        for c in 0..<16 { for i in 0..<6 { for j in 0..<6 { interleaved[(i * 6 + j) * 16 + c] = patches[c][i][j] } } }
        var v = [Float](repeating: .nan, count: 36 * 16)
        interleaved.withUnsafeBufferPointer { p in
            v.withUnsafeMutableBufferPointer { out in
                WinogradTransforms.transformInputTile(p.baseAddress!, rowStride: 6 * 16, columnStride: 16, into: out.baseAddress!, xiStride: 16)
            }
        }
        for c in 0..<16 {
            let expected = WinogradTile.transformInput(patches[c])
            let observed = (0..<6).map { i in (0..<6).map { j in v[(i * 6 + j) * 16 + c] } }
            assertMatricesClose(observed, expected, "input transform, channel \(c)")
        }
    }

    func testSIMDOutputTransformMatchesTheMatrices() {
        // 16 output channels of one tile's M; a 4x4 output with a bias, with and without ReLU.
        let ms = (0..<16).map { randomMatrix(6, 6, seed: UInt64(40 + $0)) }
        var m = [Float](repeating: 0, count: 36 * 16)
        for c in 0..<16 { for i in 0..<6 { for j in 0..<6 { m[(i * 6 + j) * 16 + c] = ms[c][i][j] } } }
        let bias = (0..<16).map { Float($0) * 0.1 - 0.8 }
        for relu in [false, true] {
            var y = [Float](repeating: .nan, count: 16 * 16)
            m.withUnsafeBufferPointer { pm in
                bias.withUnsafeBufferPointer { pb in
                    y.withUnsafeMutableBufferPointer { out in
                        WinogradTransforms.transformOutputTile(pm.baseAddress!, xiStride: 16, bias: pb.baseAddress!, channel: 0,
                                                               output: out.baseAddress!, outputChannels: 16, height: 4, width: 4,
                                                               y0: 0, x0: 0, relu: relu, mask: nil)
                    }
                }
            }
            for c in 0..<16 {
                let expected = WinogradTile.transformOutput(ms[c]).map { $0.map { relu ? max(0, $0 + bias[c]) : $0 + bias[c] } }
                let observed = (0..<4).map { i in (0..<4).map { j in y[(i * 4 + j) * 16 + c] } }
                assertMatricesClose(observed, expected, "output transform, channel \(c), relu \(relu)")
            }
        }
    }

    func testKernelTransformMatchesTheMatrices() {
        let (inputs, outputs) = (3, 5)
        let kernels = (0..<(inputs * outputs)).map { randomMatrix(3, 3, seed: UInt64(200 + $0)) }
        let u = WinogradTransforms.transformKernelsRowMajor(inputs: inputs, outputs: outputs) { input, output in
            kernels[input * outputs + output].flatMap { $0 }
        }
        let (ci, co) = (16, 16)   // padded to whole vectors
        for input in 0..<inputs {
            for output in 0..<outputs {
                let expected = WinogradTile.transformKernel(kernels[input * outputs + output])
                let observed = (0..<6).map { i in (0..<6).map { j in u[((i * 6 + j) * ci + input) * co + output] } }
                assertMatricesClose(observed, expected, "kernel transform (\(input), \(output))")
            }
        }
    }
}
