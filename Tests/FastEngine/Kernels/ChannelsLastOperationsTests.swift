import XCTest
import Tensors
import TestSupport
import Kernels
import StyleRepresentation
import PerceptualControl

/// ReLU, pooling, the fused masks and the Gram matrix on channels-last maps, against the plain
/// operations on (C, H, W) tensors, at VGG's widths as well as odd sizes.
final class ChannelsLastOperationsTests: XCTestCase {
    func testChannelsLastRoundTrip() {
        let x = Tensor.random(shape: [5, 3, 4], seed: 1)
        let maps = ChannelsLastMaps(x)
        XCTAssertEqual(maps.data[(1 * 4 + 2) * 5 + 3], x[3, 1, 2])
        XCTAssertEqual(maps.tensor, x)
    }

    func testReLUAndPoolingMatchPlain() {
        for (n, shape) in [[3, 4, 4], [2, 7, 5], [1, 1, 3], [20, 6, 6], [64, 64, 64], [512, 8, 8], [256, 9, 7]].enumerated() {
            let x = Tensor.random(shape: shape, seed: UInt64(n))
            var y = ChannelsLastMaps(x)
            reluInPlace(&y)
            XCTAssertEqual(y.tensor, reluForward(x), "relu \(shape)")
            var g = ChannelsLastMaps(Tensor.random(shape: shape, seed: UInt64(n + 9)))
            let expected = reluBackward(dOutput: g.tensor, input: x)
            reluBackwardInPlace(&g, output: y)
            XCTAssertEqual(g.tensor, expected, "relu backward \(shape)")
            guard shape[1] >= 2 && shape[2] >= 2 else { continue }
            let d = Tensor.random(shape: [shape[0], shape[1] / 2, shape[2] / 2], seed: 3)
            for kind in PoolingKind.allCases {
                let average = kind == .average
                assertClose(pool2x2(ChannelsLastMaps(x), average: average).tensor, poolForward(x, kind: kind), "\(kind) pool \(shape)")
                assertClose(pool2x2Backward(dOutput: ChannelsLastMaps(d), input: ChannelsLastMaps(x), average: average).tensor,
                            poolBackward(dOutput: d, input: x, kind: kind), "\(kind) pool backward \(shape)")
            }
        }
    }

    /// Windows with equal values: the gradient goes to the first largest (in reading order), on
    /// the eight-channel path (16 and 64 channels) and the one-channel path (5).
    func testMaxPoolingBackwardBreaksTiesAsPlain() {
        for (n, shape) in [[16, 6, 6], [64, 4, 8], [5, 6, 6]].enumerated() {
            let x = Tensor(shape: shape, data: Tensor.random(shape: shape, in: 0...2.99, seed: UInt64(n)).data.map { $0.rounded(.down) })
            let d = Tensor.random(shape: [shape[0], shape[1] / 2, shape[2] / 2], seed: 7)
            let fast = pool2x2Backward(dOutput: ChannelsLastMaps(d), input: ChannelsLastMaps(x), average: false).tensor
            let plain = poolBackward(dOutput: d, input: x, kind: .max)
            XCTAssertEqual(zip(fast.data, plain.data).filter { $0 != $1 }.count, 0, "values that differ, ties \(shape)")
        }
    }

    func testFusedReLUMasksMatchPlain() {
        for (n, shape) in [[5, 6, 8], [64, 32, 32], [128, 7, 9]].enumerated() {
            // Pooling's gradient passed back through the ReLU below it, in one pass...
            let input = reluForward(Tensor.random(shape: shape, seed: UInt64(n)))
            let d = Tensor.random(shape: [shape[0], shape[1] / 2, shape[2] / 2], seed: 2)
            for kind in PoolingKind.allCases {
                let plain = reluBackward(dOutput: poolBackward(dOutput: d, input: input, kind: kind), input: input)
                let fused = pool2x2Backward(dOutput: ChannelsLastMaps(d), input: ChannelsLastMaps(input), average: kind == .average,
                                            throughReLU: true).tensor
                assertClose(fused, plain, "\(kind) pool backward through ReLU \(shape)")
            }
            // ...and a gradient added through a ReLU's mask, or added as it is.
            let a = Tensor.random(shape: shape, seed: 3), b = Tensor.random(shape: shape, seed: 4)
            var masked = ChannelsLastMaps(a), unmasked = ChannelsLastMaps(a)
            accumulate(ChannelsLastMaps(b), into: &masked, maskedBy: ChannelsLastMaps(input))
            accumulate(ChannelsLastMaps(b), into: &unmasked)
            let throughReLU = reluBackward(dOutput: b, input: input)
            XCTAssertEqual(masked.tensor, Tensor(shape: shape, data: (0..<a.count).map { a.data[$0] + throughReLU.data[$0] }), "masked sum \(shape)")
            XCTAssertEqual(unmasked.tensor, Tensor(shape: shape, data: (0..<a.count).map { a.data[$0] + b.data[$0] }), "sum \(shape)")
        }
    }

    func testGramMatchesPlain() {
        // Small and odd shapes (70 channels: a 64-column panel and a 6-column one; 380 positions: a
        // thread with a whole block of positions and part of another), and each VGG style layer's width at a 64-pixel image.
        for (n, shape) in [[3, 4, 5], [9, 7, 30], [50, 3, 3], [1, 1, 1], [70, 20, 19], [64, 64, 64], [128, 32, 32], [256, 16, 16], [512, 8, 8], [512, 4, 4]]
            .enumerated() {
            let f = reluForward(Tensor.random(shape: shape, seed: UInt64(n)))
            let dG = Tensor.random(shape: [shape[0], shape[0]], seed: UInt64(40 + n))
            for kernel in MicroKernelShape.allCases {
                let gram = gramMatrix(ChannelsLastMaps(f), kernel: kernel)
                assertClose(gram, gramMatrixForward(f), "\(kernel) gram \(shape)")
                XCTAssertEqual(gram, Tensor(shape: gram.shape, data: (0..<gram.count).map { gram.data[($0 % shape[0]) * shape[0] + $0 / shape[0]] }),
                               "\(kernel) gram \(shape) is symmetric")
                assertClose(gramMatrixBackward(dGram: dG, features: ChannelsLastMaps(f), kernel: kernel).tensor,
                            gramMatrixBackward(dGram: dG, features: f), "\(kernel) gram backward \(shape)")
            }
        }
    }

    /// The guided Gram matrix and its gradient against the plain twin, at VGG's style widths and
    /// at odd shapes, with a soft guide (values between 0 and 1, some zero).
    func testGuidedGramMatchesPlain() {
        for (n, shape) in [[3, 4, 5], [64, 16, 16], [128, 8, 8], [256, 8, 4], [512, 4, 4], [9, 7, 30]].enumerated() {
            let f = reluForward(Tensor.random(shape: shape, seed: UInt64(60 + n)))
            let guide = Tensor.random(shape: [shape[1] * shape[2]], in: -0.5...1, seed: UInt64(70 + n)).data.map { max(0, $0) }
            let dG = Tensor.random(shape: [shape[0], shape[0]], seed: UInt64(80 + n))
            for kernel in MicroKernelShape.allCases {
                assertClose(guidedGramMatrix(ChannelsLastMaps(f), guide: guide, kernel: kernel), guidedGramMatrixForward(f, guide: guide),
                            "\(kernel) guided gram \(shape)")
                assertClose(guidedGramMatrixBackward(dGram: dG, features: ChannelsLastMaps(f), guide: guide, kernel: kernel).tensor,
                            guidedGramMatrixBackward(dGram: dG, features: f, guide: guide), "\(kernel) guided gram backward \(shape)")
            }
        }
    }
}
