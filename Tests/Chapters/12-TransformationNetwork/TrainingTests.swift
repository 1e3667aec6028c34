import XCTest
import Tensors
import VGG
import Optimisers
import StyleRepresentation
import StyleDistribution
import StyleTransfer
import GradientChecking
@testable import TransformationNetwork

/// Chapter 12's training: the gradient that reaches the painted picture, and a tiny network
/// that learns (on a narrow VGG19 with random weights, tiny photos and crops).
final class TrainingTests: XCTestCase {
    /// Preprocessing only reorders and shifts the channels: its backward pass reorders the gradient.
    func testPreprocessingBackwardIsItsTranspose() {
        let rgb = Tensor.random(shape: [3, 4, 5], in: 0...255, seed: 1)
        for preprocessing in [Preprocessing.caffe, .torchvision] {
            let result = checkGradient(input: rgb.data, epsilon: 1, forward: { preprocessing.apply(Tensor(shape: rgb.shape, data: $0)).data },
                                       backward: { preprocessing.backward(Tensor(shape: rgb.shape, data: $0)).data })
            assertGradient(result, "\(preprocessing) preprocessing")
        }
    }

    /// The perceptual loss's gradient with respect to the painted picture's RGB values, through
    /// VGG (average pooling: no ties), against central differences. As in chapter 9's test of
    /// its loss, the network's inputs lie in -1...1, where the Float rounding of the features
    /// leaves the loss's small changes sharp: torchvision's preprocessing, which divides by 255
    /// (and by each channel's deviation), takes pictures there without subtracting a large mean.
    func testThePerceptualLossGradientReachesThePicture() {
        var vgg = VGG.randomWeights(seed: 2, pooling: .average, widthDivisor: 16)
        vgg.preprocessing = .torchvision
        func nearTheMean(_ seed: UInt64) -> Tensor { vgg.preprocessing.invert(Tensor.random(shape: [3, 8, 8], seed: seed)) }
        let loss = PerceptualLoss(network: vgg, styles: [nearTheMean(3)], blend: [1], contentLayers: ["relu2_1"],
                                  styleLayers: ["relu1_1", "relu1_2", "relu2_1"], weights: StyleTransferWeights(content: 1, style: 1e3, totalVariation: 0.1))
        let (photo, picture) = (nearTheMean(4), nearTheMean(5))
        let parts = loss.evaluate(picture: picture, photo: photo).parts
        XCTAssertGreaterThan(parts.content, 0)
        XCTAssertGreaterThan(parts.style, 0)
        XCTAssertEqual(loss.evaluate(picture: photo, photo: photo).parts.content, 0, "the photo itself has its own content")
        let convolutions = (0...vgg.layerIndex("relu2_1")!).filter { vgg.layers[$0].isConvolution }
        assertLossGradient(at: picture.data, epsilon: 2, minimumElements: 24, largestHalf: true, loss: { x in
            let (parts, gradient) = loss.evaluate(picture: Tensor(shape: picture.shape, data: x), photo: photo)
            return (parts.total, gradient.data)
        }, kinks: { x in
            let outputs = vgg.forward(vgg.preprocessing.apply(Tensor(shape: picture.shape, data: x)), through: "relu2_1")
            return convolutions.flatMap { outputs[$0].data.map { $0 > 0 } }
        }, "perceptual loss, to the picture")
    }

    /// Crops: the crop's size, from the photos' pixels, some flipped; the same seed, the same crops.
    func testCropsComeFromThePhotos() {
        let photo = Tensor(shape: [3, 6, 8], data: (0..<144).map(Float.init))
        var settings = TrainingSettings()
        settings.crop = 4
        settings.width = 2
        settings.residualBlocks = 1
        let loss = PerceptualLoss(network: VGG.randomWeights(seed: 1, widthDivisor: 16), styles: [photo], blend: [1],
                                  contentLayers: ["relu1_1"], styleLayers: ["relu1_1"], weights: StyleTransferWeights())
        var training = Training(photos: [photo], loss: loss, settings: settings)
        var again = training
        var flipped = 0
        for _ in 0..<20 {
            let crop = training.crops.next()
            XCTAssertEqual(crop, again.crops.next())
            XCTAssertEqual(crop.shape, [3, 4, 4])
            // Each row of a crop is 4 consecutive values of one row of the photo, in one direction or the other.
            let row = Array(crop.data[0..<4])
            if row[1] - row[0] == -1 { flipped += 1 } else { XCTAssertEqual(row[1] - row[0], 1) }
            XCTAssertEqual(crop[2, 0, 0] - crop[0, 0, 0], 96, "the channels stay apart")
        }
        XCTAssertGreaterThan(flipped, 3)
        XCTAssertLessThan(flipped, 17)
    }

    /// A tiny network trained for 40 steps on two photos paints a third it never saw with a
    /// lower loss than at the start: it learns the style, not the photos.
    func testATinyNetworkLearns() {
        let vgg = VGG.randomWeights(seed: 6, widthDivisor: 16)
        let style = Tensor(shape: [3, 16, 16], data: (0..<768).map { i in Float((i % 16) < 8 ? 230 : 30) })   // stripes
        let photos = (0..<2).map { Tensor.random(shape: [3, 20, 20], in: 60...200, seed: 7 + UInt64($0)) }
        var settings = TrainingSettings()
        settings.width = 4
        settings.residualBlocks = 1
        settings.crop = 16
        settings.batch = 2
        settings.learningRate = 1e-2
        let loss = PerceptualLoss(network: vgg, styles: [style], blend: [1], contentLayers: ["relu2_2"], styleLayers: ["relu1_1", "relu2_1"],
                                  weights: StyleTransferWeights(content: 1, style: 1000))
        var training = Training(photos: photos, loss: loss, settings: settings)
        let unseen = Tensor.random(shape: [3, 16, 16], in: 60...200, seed: 20)
        func lossOnUnseen() -> Double { loss.evaluate(picture: training.network.forward(unseen).picture, photo: unseen).parts.total }
        let before = lossOnUnseen()
        var first = 0.0, last = 0.0
        for step in 0..<40 {
            let parts = training.step()
            if step < 5 { first += parts.total / 5 }
            if step >= 35 { last += parts.total / 5 }
        }
        XCTAssertEqual(training.steps, 40)
        XCTAssertLessThan(last, 0.5 * first, "the training loss falls")
        XCTAssertLessThan(lossOnUnseen(), 0.5 * before, "and so does the loss of a photo it never saw")
    }

    /// With chapter 8b's sliced Wasserstein term, every `stepsPerDraw` steps draw their own
    /// directions, so the term measures a fixed picture the same within a draw and differently
    /// from one draw to the next, and a loss redrawn for step n measures as the training did at
    /// step n (what a resumed training relies on).
    func testTheSlicedTermDrawsAnewAtEveryStep() {
        let vgg = VGG.randomWeights(seed: 30, widthDivisor: 16)
        let style = Tensor.random(shape: [3, 16, 16], in: 0...255, seed: 31)
        let layers = ["relu1_1", "relu2_1"]
        let outputs = vgg.forward(vgg.preprocessing.apply(style), through: "relu2_1")
        let maps = Dictionary(uniqueKeysWithValues: layers.map { ($0, outputs[vgg.layerIndex($0)!]) })
        let loss = PerceptualLoss(network: vgg, styles: [style], blend: [1], contentLayers: ["relu2_1"], styleLayers: layers,
                                  weights: StyleTransferWeights(content: 1, style: 1000),
                                  style: SlicedWassersteinTerm(styles: [maps], blend: [1], layers: layers, seed: 32))
        var settings = TrainingSettings()
        settings.width = 2
        settings.residualBlocks = 1
        settings.crop = 16
        settings.batch = 1
        var training = Training(photos: [Tensor.random(shape: [3, 20, 20], in: 0...255, seed: 33)], loss: loss, settings: settings)
        let (picture, photo) = (Tensor.random(shape: [3, 16, 16], in: 0...255, seed: 34), Tensor.random(shape: [3, 16, 16], in: 0...255, seed: 35))
        var styleAtStep: [Double] = []
        let every = PerceptualLoss.stepsPerDraw
        for step in 0..<(2 * every + 1) {
            _ = training.step()
            XCTAssertEqual((training.loss.styleTransfer.style as! SlicedWassersteinTerm).draw, step / every, "step \(step)")
            styleAtStep.append(training.loss.evaluate(picture: picture, photo: photo).parts.style)
        }
        XCTAssertEqual(styleAtStep[0], styleAtStep[every - 1], "one draw for its steps")
        XCTAssertNotEqual(styleAtStep[every - 1], styleAtStep[every])
        XCTAssertNotEqual(styleAtStep[every], styleAtStep[2 * every])
        var redrawn = loss
        redrawn.redraw(forStep: 2 * every)
        XCTAssertEqual(redrawn.evaluate(picture: picture, photo: photo).parts.style, styleAtStep[2 * every], "the same draw for the same step")
        // Gram matrices have nothing to draw.
        var gram = PerceptualLoss(network: vgg, styles: [style], blend: [1], contentLayers: [], styleLayers: layers, weights: StyleTransferWeights())
        let before = gram.evaluate(picture: picture, photo: photo).parts.style
        gram.redraw(forStep: 5)
        XCTAssertEqual(gram.evaluate(picture: picture, photo: photo).parts.style, before)
    }
}
