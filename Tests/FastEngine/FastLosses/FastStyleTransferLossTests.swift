import XCTest
import TestSupport
import Tensors
import VGG
import StyleTransfer
import StyleRepresentation
import ContentRepresentation
import PerceptualControl
import FastNetwork
import FastLosses

/// The fast style-transfer loss at VGG19's full width, on a 64x64 image, against the chapter's
/// plain loss that reads like the article: the loss and its gradient with respect to the pixels
/// (default layers).
///
/// The gradient is compared with average pooling. With max pooling, some of the 65536 windows of
/// pool1 hold two values closer than the two paths' rounding (about 1e-6), and each path sends
/// that window's gradient to a different pixel: a true difference of tie-breaking, not an
/// error. Max pooling's gradient is compared on identical inputs in ChannelsLastOperationsTests
/// and through the whole network, narrower, in NarrowFastLossTests.
final class FastStyleTransferLossTests: XCTestCase {
    let size = 64

    func image(seed: UInt64) -> Tensor { Tensor.random(shape: [3, size, size], in: -120...120, seed: seed) }

    func testLossAndGradientMatchPlain() {
        let network = VGG.randomWeights(seed: 5, pooling: .average)
        let (content, style, x) = (image(seed: 11), image(seed: 12), image(seed: 13))
        let weights = StyleTransferWeights()
        let plainLoss = StyleTransferLoss(network: network, content: content, styles: [style], blend: [1],
                                          contentLayers: DefaultLayers.content, styleLayers: DefaultLayers.style, weights: weights)
        let fastNetwork = FastVGG(network)
        let targets = FastStyleTransferLoss.targets(network: fastNetwork, content: content, styles: [style], blend: [1],
                                                    contentLayers: DefaultLayers.content, styleLayers: DefaultLayers.style)
        let fastLoss = FastStyleTransferLoss(network: fastNetwork, contentLayers: DefaultLayers.content, styleLayers: DefaultLayers.style,
                                             weights: weights, contentTargets: targets.content, styleTargets: targets.style)
        let (fast, plain) = (fastLoss.evaluate(x), plainLoss.evaluate(x))
        XCTAssertGreaterThan(plain.parts.content, 0)
        XCTAssertGreaterThan(plain.parts.style, 0)
        XCTAssertEqual(fast.parts.content, plain.parts.content, accuracy: 1e-3 * plain.parts.content, "content loss")
        XCTAssertEqual(fast.parts.style, plain.parts.style, accuracy: 1e-3 * plain.parts.style, "style loss")
        XCTAssertEqual(fast.parts.totalVariation, plain.parts.totalVariation, accuracy: 1e-6 * plain.parts.totalVariation, "tv")
        assertClose(fast.gradient, plain.gradient, tolerance: 1e-3, "gradient")
    }
}

/// The same comparison on a narrow network (a sixteenth of the channels), cheap enough for odd
/// image sizes and for the branches the default layers do not take: a convolution's own output
/// as a loss layer (its ReLU not fused), a content layer shallower than a style layer.
final class NarrowFastLossTests: XCTestCase {
    func compare(_ architecture: VGGArchitecture = .vgg19, pooling: PoolingKind, size: Int, content: [String], style: [String], seed: UInt64,
                 styleLayerWeighting: StyleLayerWeighting = .equal, line: UInt = #line) {
        let network = VGG.randomWeights(architecture, seed: seed, pooling: pooling, widthDivisor: 16)
        let images = (1...3).map { Tensor.random(shape: [3, size, size], in: -50...50, seed: seed + UInt64($0)) }
        let weights = StyleTransferWeights(styleLayers: styleLayerWeighting)
        let plainLoss = StyleTransferLoss(network: network, content: images[0], styles: [images[1]], blend: [1],
                                               contentLayers: content, styleLayers: style, weights: weights)
        let fastNetwork = FastVGG(network)
        let targets = FastStyleTransferLoss.targets(network: fastNetwork, content: images[0], styles: [images[1]], blend: [1],
                                                contentLayers: content, styleLayers: style)
        let fastLoss = FastStyleTransferLoss(network: fastNetwork, contentLayers: content, styleLayers: style, weights: weights,
                                         contentTargets: targets.content, styleTargets: targets.style)
        let (fast, plain) = (fastLoss.evaluate(images[2]), plainLoss.evaluate(images[2]))
        XCTAssertEqual(fast.parts.total, plain.parts.total, accuracy: 1e-3 * plain.parts.total, "loss", line: line)
        assertClose(fast.gradient, plain.gradient, tolerance: 1e-3, "gradient", line: line)
    }

    /// The fast twins of chapter 7's reconstruction loss and chapter 8's texture loss (the
    /// paper's layer weighting) against the chapters' own.
    func testChapterLossesMatchTheirFastTwins() {
        let network = VGG.randomWeights(seed: 6, pooling: .max, widthDivisor: 16)
        let images = (1...2).map { Tensor.random(shape: [3, 20, 18], in: -50...50, seed: 20 + UInt64($0)) }
        let fastNetwork = FastVGG(network)
        let contentLayers = ["relu1_2", "relu3_1"], styleLayers = ["relu1_1", "relu2_1", "relu4_1"]

        let fastReconstruction = FastContentReconstructionLoss(network: fastNetwork, content: images[0], layers: contentLayers, weight: 3)
        let reconstruction = ContentReconstructionLoss(network: network, content: images[0], layers: contentLayers, weight: 3)
        let (fast, plain) = (fastReconstruction.evaluate(images[1]), reconstruction.evaluate(images[1]))
        XCTAssertGreaterThan(plain.parts.content, 0)
        XCTAssertEqual(fast.parts.content, plain.parts.content, accuracy: 1e-4 * plain.parts.content, "content loss")
        XCTAssertEqual(fast.parts.style, 0)
        assertClose(fast.gradient, plain.gradient, tolerance: 1e-3, "content gradient")

        let fastTexture = FastTextureSynthesisLoss(network: fastNetwork, style: images[0], layers: styleLayers, weight: 50, layerWeighting: .paper)
        let texture = TextureSynthesisLoss(network: network, style: images[0], layers: styleLayers, weight: 50, layerWeighting: .paper)
        let (fastStyle, plainStyle) = (fastTexture.evaluate(images[1]), texture.evaluate(images[1]))
        XCTAssertGreaterThan(plainStyle.parts.style, 0)
        XCTAssertEqual(fastStyle.parts.style, plainStyle.parts.style, accuracy: 1e-3 * plainStyle.parts.style, "style loss")
        XCTAssertEqual(fastStyle.parts.content, 0)
        assertClose(fastStyle.gradient, plainStyle.gradient, tolerance: 1e-3, "style gradient")
    }

    func testMaxPoolingOddSize() {
        compare(pooling: .max, size: 13, content: ["relu2_2"], style: ["relu1_1", "relu2_1"], seed: 1)
    }

    /// The paper's weighting of the style layers (each term times (N / 64)^2) on both paths.
    func testPaperStyleLayerWeighting() {
        compare(pooling: .max, size: 24, content: ["relu4_2"], style: ["relu1_1", "relu2_1", "relu3_1", "relu4_1", "relu5_1"], seed: 3,
                styleLayerWeighting: .paper)
    }

    func testConvolutionOutputsAsLossLayers() {
        compare(pooling: .average, size: 10, content: ["conv2_1"], style: ["relu1_2", "conv1_1", "relu2_1"], seed: 2)
    }

    func testDefaultLayers() {
        compare(pooling: .max, size: 16, content: DefaultLayers.content, style: DefaultLayers.style, seed: 3)
    }

    /// VGG16's blocks of three convolutions: relu3_3 and relu5_3 end their blocks.
    func testVGG16() {
        compare(.vgg16, pooling: .average, size: 40, content: ["relu4_2"], style: ["relu3_3", "relu5_3"], seed: 4)
    }

    /// Spatial control: three regions, two styles with layouts of their own and blend weights;
    /// the fast loss and gradient against the plain ones, at an odd size whose poolings drop a row.
    func testStyleRegionsMatchPlain() {
        let network = VGG.randomWeights(seed: 9, pooling: .max, widthDivisor: 16)
        let size = 26
        let images = (1...4).map { Tensor.random(shape: [3, size, size], in: -50...50, seed: 40 + UInt64($0)) }
        func layout(_ height: Int, _ width: Int, _ rule: (Int, Int) -> Int) -> RegionLayout {
            RegionLayout(height: height, width: width, regions: 3, labels: (0..<(height * width)).map { rule($0 / width, $0 % width) })
        }
        let picture: RegionLayout = layout(13, 13) { y, x in x < 6 ? 0 : (y < 7 ? 1 : 2) }   // resized to the picture's 26 x 26
        let firstStyle: RegionLayout = layout(size, size) { y, _ in y < 9 ? 0 : (y < 18 ? 1 : 2) }
        let secondStyle: RegionLayout = layout(size, size) { _, x in x < 13 ? 2 : 1 }
        let styleLayouts = [firstStyle, secondStyle]
        let styleLayers = ["relu1_1", "relu2_1", "relu3_1"], fastNetwork = FastVGG(network)
        // Each path makes its own targets: the chapter's on the plain network, the engine's
        // through the run's `RegionStyle`, as a run makes them at each scale.
        let regions = StyleRegions(layout: picture.resized(height: size, width: size),
                                   targets: StyleRegions.targets(network: network, styles: [images[1], images[2]], layouts: styleLayouts,
                                                                 blend: [3, 1], styleLayers: styleLayers, regions: 3))
        let weights = StyleTransferWeights()
        var plainLoss = StyleTransferLoss(network: network, content: images[0], styles: [images[1]], blend: [1],
                                          contentLayers: ["relu2_2"], styleLayers: styleLayers, weights: weights)
        plainLoss.style = RegionStyleTerm(regions: regions, architecture: network.architecture)
        let fastTerm = RegionStyle(picture: picture, styles: styleLayouts).term(network: fastNetwork, styles: [images[1], images[2]], blend: [3, 1],
                                                                              layers: styleLayers, height: size, width: size, coreSize: nil)
        let fastLoss = FastStyleTransferLoss(network: fastNetwork, contentLayers: ["relu2_2"], styleLayers: styleLayers, weights: weights,
                                             contentTargets: FastStyleTransferLoss.contentTargets(network: fastNetwork, content: images[0],
                                                                                                  layers: ["relu2_2"], coreSize: nil),
                                             style: fastTerm)
        for layer in styleLayers {
            for region in 0..<3 {
                assertClose(fastTerm.regions.targets[layer]![region], regions.targets[layer]![region], tolerance: 1e-3, "\(layer) region \(region)'s target")
            }
        }
        let (fast, plain) = (fastLoss.evaluate(images[3]), plainLoss.evaluate(images[3]))
        XCTAssertGreaterThan(plain.parts.style, 0)
        XCTAssertEqual(fast.parts.style, plain.parts.style, accuracy: 1e-3 * plain.parts.style, "style loss")
        XCTAssertEqual(fast.parts.total, plain.parts.total, accuracy: 1e-3 * plain.parts.total, "loss")
        assertClose(fast.gradient, plain.gradient, tolerance: 1e-3, "gradient")
        // Region 0 lies only in the first style (weight 3), region 2 in both: its target is the
        // 3:1 blend of the two styles' guided Gram matrices there (plain path).
        let styleMaps = [images[1], images[2]].map { network.forward($0, through: "relu2_1")[network.layerIndex("relu2_1")!] }
        let guides = styleLayouts.map { $0.guide(region: 2, poolings: 1) }
        let (first, second) = (guidedGramMatrixForward(styleMaps[0], guide: guides[0]).data, guidedGramMatrixForward(styleMaps[1], guide: guides[1]).data)
        let expected: [Float] = (0..<first.count).map { (3 * first[$0] + second[$0]) / 4 }
        assertClose(regions.targets["relu2_1"]![2], Tensor(shape: [8, 8], data: expected), tolerance: 1e-3, "blended target of region 2")
        assertClose(regions.targets["relu2_1"]![0], guidedGramMatrixForward(styleMaps[0], guide: styleLayouts[0].guide(region: 0, poolings: 1)),
                    tolerance: 1e-3, "target of region 0, from the first style only")
    }

    /// Scale control: a layer with a source takes that style's Gram matrix alone, the others the blend.
    func testStyleLayerSources() {
        let network = FastVGG(VGG.randomWeights(seed: 10, widthDivisor: 16))
        let styles = (1...2).map { Tensor.random(shape: [3, 24, 24], in: -50...50, seed: 50 + UInt64($0)) }
        let layers = ["relu1_1", "relu2_1", "relu3_1"]
        let mixed = FastStyleTransferLoss.targets(network: network, content: nil, styles: styles, blend: [1, 1], contentLayers: [], styleLayers: layers,
                                              sources: ["relu1_1": 1, "relu3_1": 0]).style
        let alone = (0..<2).map { FastStyleTransferLoss.targets(network: network, content: nil, styles: [styles[$0]], blend: [1], contentLayers: [],
                                                            styleLayers: layers).style }
        XCTAssertEqual(mixed["relu1_1"], alone[1]["relu1_1"])
        XCTAssertEqual(mixed["relu3_1"], alone[0]["relu3_1"])
        let blend = zip(alone[0]["relu2_1"]!.data, alone[1]["relu2_1"]!.data).map { ($0 + $1) / 2 }
        for (a, b) in zip(mixed["relu2_1"]!.data, blend) { XCTAssertEqual(a, b, accuracy: 1e-6 * max(1, abs(b))) }
    }
}
