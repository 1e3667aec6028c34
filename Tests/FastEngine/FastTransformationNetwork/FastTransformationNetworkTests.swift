import XCTest
import Foundation
import TestSupport
import Tensors
import Kernels
import VGG
import StyleRepresentation
import StyleDistribution
import StyleTransfer
import FastLosses
import FastNetwork
import TransformationNetwork
@testable import FastTransformationNetwork

/// Chapter 12's network on the engine against its chapter twin: each fast piece (reflection
/// padding, the convolution as matrix products in one chunk and in many, at stride 1 and 2, 3x3
/// and 9x9, at the network's full width; instance normalisation; upsampling), then the whole
/// network's picture and weight gradients.
final class FastTransformationNetworkTests: XCTestCase {
    /// The largest difference relative to the largest plain value.
    func assertTwins(_ fast: Tensor, _ plain: Tensor, tolerance: Float, _ message: String, line: UInt = #line) {
        XCTAssertEqual(fast.shape, plain.shape, message, line: line)
        guard fast.shape == plain.shape else { return }
        let scale = plain.data.map(abs).max() ?? 0
        XCTAssertGreaterThan(scale, 0, "\(message): a zero plain result proves little", line: line)
        let worst = zip(fast.data, plain.data).map { abs($0 - $1) }.max() ?? 0
        XCTAssertLessThanOrEqual(worst / scale, tolerance, message, line: line)
    }

    func maps(_ channels: Int, _ height: Int, _ width: Int, seed: UInt64) -> Tensor {
        Tensor.random(shape: [channels, height, width], in: -2...2, seed: seed)
    }

    func testReflectionPaddingMatchesTheChapterBitForBit() {
        let x = maps(5, 7, 9, seed: 1)
        let padded = reflectionPadded(ChannelsLastMaps(x), padding: 3)
        XCTAssertEqual(padded.tensor, reflectionPadForward(x, padding: 3))
        let d = maps(5, 13, 15, seed: 2)
        let fast = reflectionPadBackward(ChannelsLastMaps(d), padding: 3, height: 7, width: 9).tensor
        assertTwins(fast, reflectionPadBackward(dOutput: d, padding: 3, inputShape: [5, 7, 9]), tolerance: 1e-6, "reflection padding's backward")
    }

    func testUpsamplingMatchesTheChapterBitForBit() {
        let x = maps(6, 5, 7, seed: 3)
        XCTAssertEqual(upsampled(ChannelsLastMaps(x)).tensor, upsampleForward(x))
        let d = maps(6, 10, 14, seed: 4)
        XCTAssertEqual(upsampleBackward(ChannelsLastMaps(d)).tensor, upsampleBackward(dOutput: d))
    }

    /// 24 channels in 3 vectors of 8 over one block of positions; 20 channels (2 vectors and 4 one
    /// by one) over two blocks.
    func testInstanceNormalisationMatchesTheChapter() {
        for (channels, height, width) in [(24, 12, 10), (20, 40, 30)] {
            var layer = InstanceNormalisation(channels: channels)
            layer.scale = Tensor.random(shape: [channels], in: 0.5...2, seed: 5)
            layer.shift = Tensor.random(shape: [channels], in: -1...1, seed: 6)
            let x = Tensor.random(shape: [channels, height, width], in: -3...5, seed: 7), d = maps(channels, height, width, seed: 8)
            assertTwins(layer.forward(ChannelsLastMaps(x)).tensor, layer.forward(x), tolerance: 1e-6, "\(channels) channels: forward")
            let (fast, plain) = (layer.backward(dOutput: ChannelsLastMaps(d), input: ChannelsLastMaps(x)), layer.backward(dOutput: d, input: x))
            assertTwins(fast.dInput.tensor, plain.dInput, tolerance: 1e-5, "\(channels) channels: dInput")
            assertTwins(fast.dScale, plain.dScale, tolerance: 1e-6, "\(channels) channels: dScale")
            assertTwins(fast.dShift, plain.dShift, tolerance: 1e-6, "\(channels) channels: dShift")
        }
    }

    /// The convolution's three results against the chapter's, for each kind the network has (the
    /// 9x9 ends, the strided 3x3 on the way down, the 3x3 at full width by Winograd's kernels, the
    /// first and strided layers' windows read in place, the last layer's few outputs too), whole and in chunks
    /// (the forward pass's of 7 or 21 positions; the backward pass's of a few output rows, where
    /// the weight gradient adds the chunks' products).
    func testConvolutionMatchesTheChapter() {
        // 3 to 8 at 9x9: the matrix products (8 maps are not a whole vector). 16 to 3, 20 to 3, 5 to 2 at 9x9: the direct kernel
        // for few outputs, its input gradient (3 to 16, 3 to 20, 2 to 5 turned) by the one with outputs in vectors or the products; at
        // 40 wide, its strips of 32 positions with the last overlapping; narrower, one position at a time. 3 to 16 and 3 to 32
        // at 9x9: the kernel with outputs in vectors, one or two vectors, its last 4 positions overlapping at width 10; it also
        // takes the stride-2 layers' forward pass (8 to 16, and 16 to 32 with 9 outputs a row, the last 4 overlapping); 4 to 8
        // at stride 2 takes the matrix products.
        for (input, output, kernel, stride, size) in [(3, 8, 9, 1, 12), (8, 16, 3, 2, 16), (16, 32, 3, 2, 18), (128, 128, 3, 1, 8), (16, 3, 9, 1, 12),
                                                      (16, 3, 9, 1, 40), (20, 3, 9, 1, 10), (5, 2, 9, 1, 10), (3, 16, 9, 1, 12),
                                                      (3, 32, 9, 1, 10), (4, 8, 3, 2, 16)] {
            let layer = ConvolutionLayer(inputChannels: input, outputChannels: output, kernelSize: kernel, stride: stride, seed: UInt64(kernel * 100 + input))
            let x = maps(input, size, size, seed: 9)
            let plainOutput = layer.forward(x)
            let d = maps(output, plainOutput.shape[1], plainOutput.shape[2], seed: 10)
            let plain = layer.backward(dOutput: d, input: x)
            for chunkRows in [Int.max, 1, 3] {
                var fast = FastConvolutionLayer(layer)
                if chunkRows != .max {
                    fast.chunkFloats = chunkRows * plainOutput.shape[2] * kernel * kernel * input
                    fast.forwardChunk = 7 * chunkRows   // positions that end inside rows
                }
                let name = "\(kernel)x\(kernel), \(input) to \(output), stride \(stride), " + (chunkRows == .max ? "one chunk" : "chunks of \(chunkRows) rows")
                if chunkRows != .max { XCTAssertLessThan(fast.chunkRows(outputWidth: plainOutput.shape[2]), plainOutput.shape[1], name) }
                assertTwins(fast.forward(ChannelsLastMaps(x)).tensor, plainOutput, tolerance: 1e-5, "\(name): forward")
                let result = fast.backward(dOutput: ChannelsLastMaps(d), input: ChannelsLastMaps(x))
                assertTwins(result.dInput.tensor, plain.dInput, tolerance: 1e-5, "\(name): dInput")
                assertTwins(result.dWeights, plain.dWeights, tolerance: 1e-5, "\(name): dWeights")
                assertTwins(result.dBias, plain.dBias, tolerance: 1e-5, "\(name): dBias")
            }
        }
    }

    /// Painting at width 16: each upsampling and the convolution after it as one step, the four
    /// phases of Kernels' upsampledConvolution (to 32 and 16 maps; from maps 5 and 10 wide, whose
    /// last four positions overlap the ones before, and 8 and 16 wide, whose do not), against the
    /// chapter's picture.
    func testPaintingFusesTheUpsamplingAndMatchesTheChapter() {
        let network = TransformationNetwork(width: 16, residualBlocks: 1, seed: 31)
        let fast = FastTransformationNetwork(network)
        for (height, width) in [(16, 20), (12, 32)] {
            let photo = Tensor.random(shape: [3, height, width], in: 0...255, seed: 32)
            let convolutions = fast.stack.layers.compactMap { layer -> FastConvolutionLayer? in
                if case .convolution(let c) = layer { return c } else { return nil }
            }
            XCTAssertEqual(convolutions.filter { $0.takesUpsampled(width: width / 4) }.count, 2, "both upsampling convolutions fuse")
            assertTwins(fast.paint(photo), network.forward(photo).picture, tolerance: 1e-5, "\(height)x\(width): the picture painted")
        }
    }

    /// The whole network: the picture, and every weight's gradient, against the chapter's.
    func testTheWholeNetworkMatchesTheChapter() {
        let network = TransformationNetwork(width: 4, residualBlocks: 2, seed: 11)
        let photo = Tensor.random(shape: [3, 16, 20], in: 0...255, seed: 12)
        let (plainPicture, plainTape) = network.forward(photo)
        let fast = FastTransformationNetwork(network)
        let (fastPicture, fastTape) = fast.forward(photo)
        assertTwins(fastPicture, plainPicture, tolerance: 1e-5, "the picture")
        XCTAssertEqual(fast.paint(photo), fastPicture, "painting without a tape, the same picture (maps too narrow for the fused upsampling)")
        let d = Tensor.random(shape: plainPicture.shape, in: -1...1, seed: 13)
        let (plainGradients, fastGradients) = (network.backward(dPicture: d, tape: plainTape), fast.backward(dPicture: d, tape: fastTape))
        XCTAssertEqual(fastGradients.count, plainGradients.count)
        // The parameters that only add a constant which a normalisation subtracts (the biases
        // before one, each residual block's last shift: TransformationNetworkTests says why)
        // have no gradient; both paths give rounding noise far below the others'.
        let names = network.parameterNames
        let largest = plainGradients.flatMap(\.data).map(abs).max()!
        for (i, (f, p)) in zip(fastGradients, plainGradients).enumerated() {
            let vanishing = (names[i].hasSuffix(".bias") && i != names.count - 1) || (names[i].split(separator: ".").count == 3 && names[i].hasSuffix(".4.shift"))
            if vanishing {
                XCTAssertLessThanOrEqual(f.data.map(abs).max()!, 1e-4 * largest, "\(names[i]) vanishes on the fast path")
            } else {
                assertTwins(f, p, tolerance: 1e-4, names[i])
            }
        }
    }

    /// A tiny network (width 4, one residual block) trained on crops of 24 pixels, two a step.
    func tinySettings() -> TrainingSettings {
        var settings = TrainingSettings()
        settings.width = 4
        settings.residualBlocks = 1
        settings.crop = 24
        settings.batch = 2
        settings.learningRate = 1e-2
        return settings
    }

    /// The engine's training against the chapter's: the same crops and the same losses at each
    /// of five steps (on a narrow VGG19 with random weights), and the first step's loss parts.
    func testTrainingMatchesTheChapter() {
        let vgg = VGG.randomWeights(seed: 14, widthDivisor: 16)
        let style = Tensor.random(shape: [3, 24, 24], in: 0...255, seed: 15)
        let photos = (0..<2).map { Tensor.random(shape: [3, 28, 28], in: 0...255, seed: 16 + UInt64($0)) }
        let settings = tinySettings()
        let (contentLayers, styleLayers) = (["relu2_2"], ["relu1_1", "relu2_1", "relu3_1"])
        var plain = Training(photos: photos, loss: PerceptualLoss(network: vgg, styles: [style], blend: [1], contentLayers: contentLayers,
                                                                   styleLayers: styleLayers, weights: StyleTransferWeights()), settings: settings)
        var fast = FastTraining(photos: photos, loss: FastPerceptualLoss(network: FastVGG(vgg), styles: [style], blend: [1], contentLayers: contentLayers,
                                                                         styleLayers: styleLayers, weights: StyleTransferWeights()), settings: settings)
        for step in 0..<5 {
            let (p, f) = (plain.step(), fast.step())
            XCTAssertEqual(f.total, p.total, accuracy: 1e-3 * p.total, "step \(step)")
            if step == 0 {
                XCTAssertEqual(f.content, p.content, accuracy: 1e-4 * p.content)
                XCTAssertEqual(f.style, p.style, accuracy: 1e-4 * p.style)
                XCTAssertEqual(f.totalVariation, p.totalVariation, accuracy: 1e-4 * p.totalVariation)
            }
        }
        XCTAssertEqual(fast.steps, 5)
        XCTAssertEqual(fast.crops.generator.next(), plain.crops.generator.next(), "the same crops drawn")
    }

    /// The same with chapter 8b's terms (`style-train --style-loss`): the sliced Wasserstein term,
    /// its directions drawn anew every `stepsPerDraw` steps, and the histogram term with the Gram
    /// term, each against the chapter's term in the chapter's training, and at the second draw.
    func testTrainingWithADistributionTermMatchesTheChapter() {
        let vgg = VGG.randomWeights(seed: 40, widthDivisor: 16)
        let style = Tensor.random(shape: [3, 24, 24], in: 0...255, seed: 41)
        let photos = (0..<2).map { Tensor.random(shape: [3, 28, 28], in: 0...255, seed: 42 + UInt64($0)) }
        let settings = tinySettings()
        let (contentLayers, styleLayers) = (["relu2_2"], ["relu1_1", "relu2_1", "relu3_1"])
        let outputs = vgg.forward(vgg.preprocessing.apply(style), through: "relu3_1")
        let maps = Dictionary(uniqueKeysWithValues: styleLayers.map { ($0, outputs[vgg.layerIndex($0)!]) })
        let gram = GramMatrixTerm(targets: StyleRepresentation.blend([StyleRepresentation.of(vgg.preprocessing.apply(style), network: vgg, layers: styleLayers)],
                                                                    weights: [1]))
        let terms: [(name: String, plain: any StyleTerm, fast: any StyleTermMaker)] = [
            ("sliced", SlicedWassersteinTerm(styles: [maps], blend: [1], layers: styleLayers, seed: 44),
             SlicedWassersteinStyle(seed: 44, redrawEvery: 1, weightFactor: 1)),
            ("histogram", HistogramAndGramTerm(gram: gram, histogram: HistogramTerm(styles: [maps], blend: [1], layers: styleLayers), histogramFactor: 4),
             HistogramStyle(histogramFactor: 4)),
        ]
        for (name, plainTerm, maker) in terms {
            var plain = Training(photos: photos, loss: PerceptualLoss(network: vgg, styles: [style], blend: [1], contentLayers: contentLayers, styleLayers: styleLayers,
                                                                       weights: StyleTransferWeights(), style: plainTerm), settings: settings)
            var fast = FastTraining(photos: photos, loss: FastPerceptualLoss(network: FastVGG(vgg), styles: [style], blend: [1], contentLayers: contentLayers,
                                                                             styleLayers: styleLayers, weights: StyleTransferWeights(),
                                                                             styleLoss: maker, crop: settings.crop), settings: settings)
            for step in 0..<5 {
                let (p, f) = (plain.step(), fast.step())
                XCTAssertEqual(f.total, p.total, accuracy: 1e-3 * p.total, "\(name), step \(step)")
                XCTAssertEqual(f.style, p.style, accuracy: 1e-3 * p.style, "\(name), step \(step)")
            }
            // The losses themselves at the second draw, on one picture (ten steps of training
            // drift apart as any two float computations of a chaotic descent do).
            let (picture, photo) = (Tensor.random(shape: [3, 24, 24], in: 0...255, seed: 45), Tensor.random(shape: [3, 24, 24], in: 0...255, seed: 46))
            var (plainLoss, fastLoss) = (plain.loss, fast.loss)
            plainLoss.redraw(forStep: PerceptualLoss.stepsPerDraw)
            fastLoss.redraw(forStep: PerceptualLoss.stepsPerDraw)
            let (p, f) = (plainLoss.evaluate(picture: picture, photo: photo).parts, fastLoss.evaluate(picture: picture, photo: photo).parts)
            XCTAssertEqual(f.style, p.style, accuracy: 1e-4 * p.style, "\(name), the second draw")
            if name == "sliced" {
                XCTAssertNotEqual(f.style, fast.loss.evaluate(picture: picture, photo: photo).parts.style, "another draw, another measure")
                for _ in 5...PerceptualLoss.stepsPerDraw { _ = fast.step() }
                XCTAssertEqual((fast.loss.style as! FastSlicedWassersteinTerm).draw, 1, "the training redraws every \(PerceptualLoss.stepsPerDraw) steps")
            }
        }
    }

    /// A training paused after two steps, written as a checkpoint, read back and resumed for two
    /// more, ends with the same weights, to the bit, as four steps without a pause.
    func testAResumedTrainingEndsWhereAnUninterruptedOneDoes() throws {
        let vgg = VGG.randomWeights(seed: 24, widthDivisor: 16)
        let style = Tensor.random(shape: [3, 16, 16], in: 0...255, seed: 25)
        let photos = [Tensor.random(shape: [3, 20, 20], in: 0...255, seed: 26)]
        var settings = TrainingSettings()
        settings.width = 2
        settings.residualBlocks = 1
        settings.crop = 16
        let loss = FastPerceptualLoss(network: FastVGG(vgg), styles: [style], blend: [1], contentLayers: ["relu2_2"], styleLayers: ["relu1_1", "relu2_1"],
                                      weights: StyleTransferWeights())
        var whole = FastTraining(photos: photos, loss: loss, settings: settings)
        for _ in 0..<4 { _ = whole.step() }
        var paused = FastTraining(photos: photos, loss: loss, settings: settings)
        for _ in 0..<2 { _ = paused.step() }
        let checkpoint = try TrainingCheckpoint.read(paused.checkpoint(settings: "test settings").encoded())
        XCTAssertEqual(checkpoint.settings, "test settings")
        XCTAssertEqual(checkpoint.steps, 2)
        var resumed = FastTraining(photos: photos, loss: loss, settings: settings, resumingFrom: checkpoint)
        for _ in 0..<2 { _ = resumed.step() }
        XCTAssertEqual(resumed.steps, 4)
        XCTAssertEqual(resumed.network.parameterVector.map(\.bitPattern), whole.network.parameterVector.map(\.bitPattern))
        XCTAssertEqual(resumed.network.modelFile(), whole.network.modelFile(), "the same model file")
        XCTAssertThrowsError(try TrainingCheckpoint.read(whole.network.modelFile())) { error in
            XCTAssertTrue("\(error)".contains("not a checkpoint"), "\(error)")
        }
    }

    /// The same picture and weight gradients, to the bit, on 1, 2 and 3 threads and on Dispatch
    /// (TestSupport's harness), the convolutions in several chunks: so a training run with a seed
    /// writes the same model on any machine of the same instruction set, whatever its cores.
    func testTheSameBitsOnAnyNumberOfThreads() throws {
        try assertSameBitsOnAnyNumberOfThreads(test: "\(String(reflecting: Self.self))/testTheSameBitsOnAnyNumberOfThreads",
                                               minimumBytes: 100_000, Self.bits)
    }

    /// A forward and backward pass of a network of width 16 on a 64x64 photo, as bytes (its last
    /// convolution, 9x9 from 16 maps at 64x64, takes two chunks).
    static func bits() -> [UInt8] {
        let network = TransformationNetwork(width: 16, residualBlocks: 1, seed: 21)
        let fast = FastTransformationNetwork(network)
        XCTAssertEqual(FastConvolutionLayer(ConvolutionLayer(inputChannels: 16, outputChannels: 3, kernelSize: 9, seed: 1)).chunkRows(outputWidth: 64), 50)
        let photo = Tensor.random(shape: [3, 64, 64], in: 0...255, seed: 22)
        let (picture, tape) = fast.forward(photo)
        let gradients = fast.backward(dPicture: Tensor.random(shape: picture.shape, in: -1...1, seed: 23), tape: tape)
        return (picture.data + gradients.flatMap(\.data)).flatMap { value in withUnsafeBytes(of: value.bitPattern) { Array($0) } }
    }
}
