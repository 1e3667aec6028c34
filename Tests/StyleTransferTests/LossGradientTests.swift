import XCTest
import Tensors
import VGG
import StyleTransfer
import GradientChecking

/// The whole fast path, end to end: VGG19 forward (Winograd convolutions with fused ReLUs,
/// pooling), the content, style and total-variation losses, and the backward pass to the
/// pixels. It is checked against the same computation written with the plain (C, H, W)
/// operations, each of which has its own numerical gradient check, and against central
/// differences of the loss itself.
final class LossGradientTests: XCTestCase {
    struct Setup {
        var network: VGG19
        var loss: StyleTransferLoss
        var content: Tensor, style: Tensor, image: Tensor
    }

    func setup(pooling: PoolingKind, size: Int, content: [String], style: [String], seed: UInt64,
               range: ClosedRange<Float> = -50...50, weights: StyleTransferWeights = StyleTransferWeights()) -> Setup {
        let network = VGG19.randomWeights(seed: seed, pooling: pooling, widthDivisor: 16)
        let contentImage = Tensor.random(shape: [3, size, size], in: range, seed: seed + 1)
        let styleImage = Tensor.random(shape: [3, size, size], in: range, seed: seed + 2)
        let targets = StyleTransferLoss.targets(network: network, content: contentImage, styles: [styleImage], blend: [1],
                                                contentLayers: content, styleLayers: style)
        let loss = StyleTransferLoss(network: network, contentLayers: content, styleLayers: style, weights: weights,
                                     contentTargets: targets.content, styleTargets: targets.style)
        return Setup(network: network, loss: loss, content: contentImage, style: styleImage,
                     image: Tensor.random(shape: [3, size, size], in: range, seed: seed + 3))
    }

    /// The plain forward pass: every layer's output, by index.
    func plainForward(_ network: VGG19, _ image: Tensor, through last: Int) -> [Tensor] {
        var outputs: [Tensor] = []
        var x = image
        for index in 0...last {
            switch VGG19.layers[index] {
            case .convolution(let n, _):
                let layer = network.convolutions[n]
                x = convolutionForward(input: x, weights: layer.weights, bias: Tensor(shape: [layer.outputChannels], data: layer.bias),
                                       stride: 1, padding: 1)
            case .relu: x = reluForward(x)
            case .pool: x = network.pooling == .max ? maxPoolForward(x) : averagePoolForward(x)
            }
            outputs.append(x)
        }
        return outputs
    }

    /// The plain loss and gradient, written out from DESIGN.md section 3.
    func plainLossAndGradient(_ s: Setup) -> (Double, Tensor) {
        let loss = s.loss
        let last = VGG19.layerIndex(loss.deepestLayer)!
        let contentOutputs = plainForward(s.network, s.content, through: last)
        let styleOutputs = plainForward(s.network, s.style, through: last)
        let outputs = plainForward(s.network, s.image, through: last)
        var total = 0.0
        var gradients: [Int: Tensor] = [:]
        func add(_ index: Int, _ g: Tensor) {
            if var e = gradients[index] { for i in 0..<g.count { e.data[i] += g.data[i] }; gradients[index] = e } else { gradients[index] = g }
        }
        for name in loss.contentLayers {
            let i = VGG19.layerIndex(name)!
            total += Double(loss.weights.content) * meanSquaredErrorForward(outputs[i], target: contentOutputs[i])
            add(i, meanSquaredErrorBackward(outputs[i], target: contentOutputs[i], dLoss: loss.weights.content))
        }
        for name in loss.styleLayers {
            let i = VGG19.layerIndex(name)!
            let gram = gramMatrixForward(outputs[i]), target = gramMatrixForward(styleOutputs[i])
            total += Double(loss.weights.style) * meanSquaredErrorForward(gram, target: target)
            add(i, gramMatrixBackward(dGram: meanSquaredErrorBackward(gram, target: target, dLoss: loss.weights.style), features: outputs[i]))
        }
        var g: Tensor? = nil
        for index in stride(from: last, through: 0, by: -1) {
            if let extra = gradients[index] {
                if g == nil { g = extra } else { for i in 0..<extra.count { g!.data[i] += extra.data[i] } }
            }
            guard let d = g else { continue }
            let input = index == 0 ? s.image : outputs[index - 1]
            switch VGG19.layers[index] {
            case .convolution(let n, _):
                g = convolutionBackward(dOutput: d, input: input, weights: s.network.convolutions[n].weights, stride: 1, padding: 1).dInput
            case .relu: g = reluBackward(dOutput: d, input: input)
            case .pool: g = s.network.pooling == .max ? maxPoolBackward(dOutput: d, input: input) : averagePoolBackward(dOutput: d, inputShape: input.shape)
            }
        }
        total += Double(loss.weights.totalVariation) * totalVariationForward(s.image)
        let tv = totalVariationBackward(s.image, dLoss: loss.weights.totalVariation)
        for i in 0..<tv.count { g!.data[i] += tv.data[i] }
        return (total, g!)
    }

    func compareWithPlain(_ s: Setup, _ label: String, line: UInt = #line) {
        let (fast, plain) = (s.loss.evaluate(s.image), plainLossAndGradient(s))
        XCTAssertEqual(fast.parts.total, plain.0, accuracy: 1e-3 * abs(plain.0), "\(label) loss", line: line)
        let scale = plain.1.data.map(abs).max()!
        var worst: Float = 0, worstIndex = 0
        for i in 0..<plain.1.count where abs(fast.gradient.data[i] - plain.1.data[i]) > worst {
            worst = abs(fast.gradient.data[i] - plain.1.data[i])
            worstIndex = i
        }
        XCTAssertLessThan(worst / scale, 1e-3, "\(label) gradient element \(worstIndex): fast \(fast.gradient.data[worstIndex]) plain \(plain.1.data[worstIndex])", line: line)
    }

    func testMaxPoolingMatchesPlain() {
        compareWithPlain(setup(pooling: .max, size: 12, content: ["relu2_2"], style: ["relu1_1", "relu2_1"], seed: 1), "max pooling")
    }

    func testAveragePoolingAndConvolutionOutputsMatchPlain() {
        compareWithPlain(setup(pooling: .average, size: 10, content: ["conv2_1"], style: ["relu1_2", "conv1_1", "relu2_1"], seed: 2),
                         "average pooling")
    }

    func testDefaultLayersMatchPlain() {
        compareWithPlain(setup(pooling: .max, size: 16, content: StyleTransferLoss.defaultContentLayers,
                               style: StyleTransferLoss.defaultStyleLayers, seed: 3), "default layers")
    }

    func testCentralDifferences() {
        // Small pixel values and weights keep the loss in the range where Float differences are exact enough.
        let s = setup(pooling: .average, size: 8, content: ["relu2_1"], style: ["relu1_1", "relu1_2"], seed: 4, range: -1...1,
                      weights: StyleTransferWeights(content: 1, style: 1, totalVariation: 0.1))
        let gradient = s.loss.evaluate(s.image).gradient
        let result = checkGradient(input: s.image.data, epsilon: 1e-2, relativeTolerance: 2e-2, absoluteTolerance: 1e-4,
                                   forward: { [Float(s.loss.evaluate(Tensor(shape: s.image.shape, data: $0)).parts.total)] },
                                   backward: { d in gradient.data.map { $0 * d[0] } })
        XCTAssertTrue(result.passed, "\(result)")
    }
}
