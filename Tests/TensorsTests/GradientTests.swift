import XCTest
import Tensors
import GradientChecking

/// Every operation's backward pass against central differences (the shared helper), on
/// several shapes, odd sizes included.
final class GradientTests: XCTestCase {
    /// Random values kept at least `margin` away from zero, so ReLU's kink and max pooling's
    /// ties are never within a finite-difference step.
    func input(_ shape: [Int], seed: UInt64, margin: Float = 0.05) -> Tensor {
        var t = Tensor.random(shape: shape, seed: seed)
        for i in 0..<t.count where abs(t.data[i]) < margin { t.data[i] = t.data[i] < 0 ? -margin - 0.01 : margin + 0.01 }
        return t
    }

    func assertPasses(_ result: GradientCheckResult, _ message: String, line: UInt = #line) {
        XCTAssertTrue(result.passed, "\(message): \(result)", line: line)
    }

    func testConvolution() {
        // (channels, height, width, kernels, kernel size, stride, padding)
        let cases = [(1, 5, 5, 1, 3, 1, 0), (2, 7, 6, 3, 3, 1, 1), (3, 8, 9, 2, 5, 1, 0), (2, 9, 7, 2, 3, 2, 1), (1, 6, 6, 2, 2, 2, 0)]
        for (n, (c, h, w, k, size, stride, pad)) in cases.enumerated() {
            let x = input([c, h, w], seed: UInt64(n))
            let weights = Tensor.random(shape: [k, c, size, size], seed: UInt64(100 + n))
            let bias = Tensor.random(shape: [k], seed: UInt64(200 + n))
            let label = "conv \(cases[n])"
            func output(_ x: Tensor, _ w: Tensor, _ b: Tensor) -> [Float] {
                convolutionForward(input: x, weights: w, bias: b, stride: stride, padding: pad).data
            }
            let shape = convolutionForwardShape(x, weights, stride, pad)
            func grads(_ d: [Float]) -> (dInput: Tensor, dWeights: Tensor, dBias: Tensor) {
                convolutionBackward(dOutput: Tensor(shape: shape, data: d), input: x, weights: weights, stride: stride, padding: pad)
            }
            assertPasses(checkGradient(input: x.data, forward: { output(Tensor(shape: x.shape, data: $0), weights, bias) },
                                       backward: { grads($0).dInput.data }), label + " dInput")
            assertPasses(checkGradient(input: weights.data, forward: { output(x, Tensor(shape: weights.shape, data: $0), bias) },
                                       backward: { grads($0).dWeights.data }), label + " dWeights")
            assertPasses(checkGradient(input: bias.data, forward: { output(x, weights, Tensor(shape: bias.shape, data: $0)) },
                                       backward: { grads($0).dBias.data }), label + " dBias")
        }
    }

    func convolutionForwardShape(_ x: Tensor, _ w: Tensor, _ stride: Int, _ pad: Int) -> [Int] {
        [w.shape[0], convolutionOutputSize(x.shape[1], kernel: w.shape[2], stride: stride, padding: pad),
         convolutionOutputSize(x.shape[2], kernel: w.shape[3], stride: stride, padding: pad)]
    }

    func testReLUAndSigmoid() {
        for (n, shape) in [[1, 3, 3], [2, 5, 7], [3, 4, 1]].enumerated() {
            let x = input(shape, seed: UInt64(n))
            assertPasses(checkGradient(input: x.data, forward: { reluForward(Tensor(shape: shape, data: $0)).data },
                                       backward: { reluBackward(dOutput: Tensor(shape: shape, data: $0), input: x).data }), "relu \(shape)")
            let y = sigmoidForward(x)
            assertPasses(checkGradient(input: x.data, forward: { sigmoidForward(Tensor(shape: shape, data: $0)).data },
                                       backward: { sigmoidBackward(dOutput: Tensor(shape: shape, data: $0), output: y).data }),
                         "sigmoid \(shape)")
        }
    }

    func testPooling() {
        for (n, shape) in [[1, 4, 4], [2, 5, 7], [3, 6, 3], [1, 7, 7]].enumerated() {
            // Distinct values spaced well apart, so the maximum of a window never changes under the step.
            var x = Tensor(shape: shape, data: (0..<shape.reduce(1, *)).map { Float($0) * 0.1 })
            var rng = SplitMix64(seed: UInt64(n))
            x.data.shuffle(using: &rng)
            let outShape = [shape[0], shape[1] / 2, shape[2] / 2]
            assertPasses(checkGradient(input: x.data, forward: { maxPoolForward(Tensor(shape: shape, data: $0)).data },
                                       backward: { maxPoolBackward(dOutput: Tensor(shape: outShape, data: $0), input: x).data }),
                         "max pool \(shape)")
            assertPasses(checkGradient(input: x.data, forward: { averagePoolForward(Tensor(shape: shape, data: $0)).data },
                                       backward: { averagePoolBackward(dOutput: Tensor(shape: outShape, data: $0), inputShape: shape).data }),
                         "average pool \(shape)")
        }
    }

    func testFullyConnected() {
        for (n, (inputs, outputs)) in [(1, 1), (5, 3), (7, 10)].enumerated() {
            let x = input([inputs], seed: UInt64(n)), w = Tensor.random(shape: [outputs, inputs], seed: 9), b = Tensor.random(shape: [outputs], seed: 10)
            func grads(_ d: [Float]) -> (dInput: Tensor, dWeights: Tensor, dBias: Tensor) {
                fullyConnectedBackward(dOutput: Tensor(shape: [outputs], data: d), input: x, weights: w)
            }
            assertPasses(checkGradient(input: x.data, forward: { fullyConnectedForward(input: Tensor(shape: [inputs], data: $0), weights: w, bias: b).data },
                                       backward: { grads($0).dInput.data }), "fc dInput")
            assertPasses(checkGradient(input: w.data, forward: { fullyConnectedForward(input: x, weights: Tensor(shape: w.shape, data: $0), bias: b).data },
                                       backward: { grads($0).dWeights.data }), "fc dWeights")
            assertPasses(checkGradient(input: b.data, forward: { fullyConnectedForward(input: x, weights: w, bias: Tensor(shape: [outputs], data: $0)).data },
                                       backward: { grads($0).dBias.data }), "fc dBias")
        }
    }

    func testGramMatrix() {
        for (n, shape) in [[1, 2, 2], [3, 4, 5], [5, 3, 7]].enumerated() {
            let x = input(shape, seed: UInt64(n))
            let c = shape[0]
            assertPasses(checkGradient(input: x.data, forward: { gramMatrixForward(Tensor(shape: shape, data: $0)).data },
                                       backward: { gramMatrixBackward(dGram: Tensor(shape: [c, c], data: $0), features: x).data }),
                         "gram \(shape)")
        }
    }

    func testLosses() {
        for (n, shape) in [[1, 1, 1], [2, 3, 4], [3, 5, 2]].enumerated() {
            let x = input(shape, seed: UInt64(n)), target = Tensor.random(shape: shape, seed: 77)
            assertPasses(checkGradient(input: x.data, forward: { [Float(meanSquaredErrorForward(Tensor(shape: shape, data: $0), target: target))] },
                                       backward: { meanSquaredErrorBackward(x, target: target, dLoss: $0[0]).data }), "mse \(shape)")
            assertPasses(checkGradient(input: x.data, forward: { [Float(totalVariationForward(Tensor(shape: shape, data: $0)))] },
                                       backward: { totalVariationBackward(x, dLoss: $0[0]).data }), "tv \(shape)")
        }
    }

    func testTheCheckerCatchesAWrongGradient() {
        // A deliberately wrong backward pass (missing the factor 2 of x^2) must fail.
        let x = input([2, 3, 3], seed: 5)
        let result = checkGradient(input: x.data, forward: { $0.map { $0 * $0 } },
                                   backward: { d in (0..<d.count).map { d[$0] * x.data[$0] } })
        XCTAssertFalse(result.passed)
        XCTAssertTrue(result.description.contains("FAILED"))
    }
}

final class SoftmaxTests: XCTestCase {
    func testSoftmaxCrossEntropyGradient() {
        for (n, classes) in [2, 5, 10].enumerated() {
            let logits = Tensor.random(shape: [classes], in: -3...3, seed: UInt64(n))
            for label in [0, classes - 1] {
                let result = checkGradient(input: logits.data, forward: { [Float(softmaxCrossEntropyForward(Tensor(shape: [classes], data: $0), label: label))] },
                                           backward: { softmaxCrossEntropyBackward(logits, label: label, dLoss: $0[0]).data })
                XCTAssertTrue(result.passed, "softmax cross-entropy \(classes) classes: \(result)")
            }
        }
        XCTAssertEqual(softmax(Tensor(shape: [3], data: [1000, 1000, 1000])).data.reduce(0, +), 1, accuracy: 1e-6)
    }
}
