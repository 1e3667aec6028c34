import XCTest
import TestSupport
import Tensors
import Kernels
import VGG
import Optimisers
import Pictures
import ImageFiles
import Fetching
import StyleTransfer
import FastNetwork
@testable import FastLosses
import StyleTransferRun

/// The loss and gradient evaluated in tiles against the whole picture's, on a narrow VGG19 (a
/// sixteenth of the channels, the real layer structure), at sizes that leave partial tiles.
final class TiledEvaluationTests: XCTestCase {
    func loss(pooling: PoolingKind, height: Int, width: Int,
              content: [String] = DefaultLayers.content, style: [String] = DefaultLayers.style) -> (FastStyleTransferLoss, Tensor) {
        let network = FastVGG(VGG.randomWeights(seed: 8, pooling: pooling, widthDivisor: 16))
        let images = (1...3).map { Tensor.random(shape: [3, height, width], in: -60...60, seed: 30 + UInt64($0)) }
        let targets = FastStyleTransferLoss.targets(network: network, content: images[0], styles: [images[1]], blend: [1],
                                                contentLayers: content, styleLayers: style)
        return (FastStyleTransferLoss(network: network, contentLayers: content, styleLayers: style, weights: StyleTransferWeights(),
                                  contentTargets: targets.content, styleTargets: targets.style), images[2])
    }

    func testReach() {
        // relu5_1: 13 convolutions at scales 1, 2, 4, 8 and 16 reach 2 + 2x2 + 4x4 + 4x8 + 16 = 70
        // pixels to each side; before the core that is rounded up to the grid, 4 blocks of conv5_1's 16.
        let deep = TileGrid.reach(architecture: .vgg19, through: "relu5_1")
        XCTAssertEqual(deep.alignment, 64)
        XCTAssertEqual(deep.before, 128)
        XCTAssertEqual(deep.after, 70)
        let shallow = TileGrid.reach(architecture: .vgg19, through: "relu2_1")
        XCTAssertEqual(shallow.alignment, 8)   // conv2_1's 4 positions at 2 pixels each
        XCTAssertEqual(shallow.before, 8)      // 2 + 2 = 4, rounded up to the grid
        XCTAssertEqual(shallow.after, 4)
    }

    func testGridCoversThePictureOnce() {
        let grid = TileGrid(height: 300, width: 140, coreSize: 50, architecture: .vgg19, deepestLayer: "relu5_1")
        XCTAssertEqual(grid.coreSize, 64)   // rounded up to the grid
        XCTAssertEqual(grid.rowsOfTiles, 5)
        XCTAssertEqual(grid.columnsOfTiles, 3)
        var covered = [Int](repeating: 0, count: 300 * 140)
        for tile in grid.tiles {
            XCTAssertEqual(tile.rows.lowerBound % 64, 0, "a tile starts on the grid")
            XCTAssertEqual(tile.columns.lowerBound % 64, 0, "a tile starts on the grid")
            for y in tile.coreRows { for x in tile.coreColumns { covered[y * 140 + x] += 1 } }
        }
        XCTAssertEqual(Set(covered), [1])
    }

    /// Sixteen tiles (4 x 4, the last row and column partial; halos that end inside the picture
    /// on every side) against the whole picture: every
    /// part of the loss and the gradient at every pixel. Average pooling, so that no window's
    /// two nearly equal maxima can send the gradient to different pixels in the two runs.
    func testTilesGiveTheWholePicturesLossAndGradient() {
        let (loss, x) = loss(pooling: .average, height: 200, width: 200)
        let grid = TileGrid(height: 200, width: 200, coreSize: 64, architecture: .vgg19, deepestLayer: loss.deepestLayer)
        XCTAssertEqual(grid.tiles.count, 16)
        // Halos that end inside the picture, on every side.
        XCTAssertTrue(grid.tiles.contains { $0.rows.lowerBound > 0 } && grid.tiles.contains { $0.rows.upperBound < 200 })
        XCTAssertTrue(grid.tiles.contains { $0.columns.lowerBound > 0 } && grid.tiles.contains { $0.columns.upperBound < 200 })
        let (whole, tiled) = (loss.evaluate(x), loss.evaluate(x, tiles: grid))
        XCTAssertGreaterThan(whole.parts.content, 0)
        XCTAssertGreaterThan(whole.parts.style, 0)
        XCTAssertEqual(tiled.parts.content, whole.parts.content, accuracy: 1e-5 * whole.parts.content)
        XCTAssertEqual(tiled.parts.style, whole.parts.style, accuracy: 1e-5 * whole.parts.style)
        XCTAssertEqual(tiled.parts.totalVariation, whole.parts.totalVariation, accuracy: 1e-9 * whole.parts.totalVariation)
        // The largest difference, relative to the largest gradient value.
        let scale = whole.gradient.data.map { abs($0) }.max()!
        XCTAssertGreaterThan(scale, 0)
        let worst = zip(tiled.gradient.data, whole.gradient.data).map { abs($0 - $1) }.max()!
        // Float rounding (the Gram matrices' sums, added in another order) leaves about 5e-6; a
        // halo short of the reach, more than 1e-4 (below).
        XCTAssertLessThanOrEqual(worst / scale, 2e-5, "tiled gradient")
    }

    /// Assembled core by core, the feature maps are the whole picture's. Tiles start on the grid
    /// of the convolutions' 4x4 blocks, so each block is computed from the same inputs as in the
    /// whole picture: where the halo also covers every input a block reads (Winograd's transform
    /// mixes all 6x6 of them, while only 3x3 matter in exact arithmetic), to the last bit; deeper,
    /// up to rounding.
    func testTiledFeatureMapsAreTheWholePictures() {
        let network = FastVGG(VGG.randomWeights(seed: 9, pooling: .max, widthDivisor: 16))
        let image = Tensor.random(shape: [3, 150, 203], in: -60...60, seed: 5)
        let exact = ["relu1_1", "pool1", "relu2_2", "relu3_1", "relu3_4", "pool3"], close = ["relu4_2", "relu5_1"]
        let grid = TileGrid(height: 150, width: 203, coreSize: 64, architecture: .vgg19, deepestLayer: "relu5_1")
        XCTAssertGreaterThan(grid.tiles.count, 4)
        let tiled = featureMaps(network: network, image: image, layers: exact + close, grid: grid)
        let whole = network.forward(image, through: "relu5_1", keeping: Set(exact + close))
        for layer in exact + close {
            let (a, b) = (tiled[layer]!, whole[layer]!)
            XCTAssertEqual([a.height, a.width, a.channels], [b.height, b.width, b.channels], layer)
            if exact.contains(layer) {
                XCTAssertTrue(a.data == b.data, "\(layer): the tiled maps differ from the whole picture's")
            } else {
                let scale = b.data.map { abs($0) }.max()!, worst = zip(a.data, b.data).map { abs($0 - $1) }.max()!
                XCTAssertLessThanOrEqual(worst, 1e-5 * scale, layer)
            }
        }
    }

    /// Max pooling (the default) and a content layer that is also a style layer; the loss only
    /// (see above for why not the gradient pixel by pixel), and the gradient's overall size.
    func testMaxPoolingAndASharedLayer() {
        let (loss, x) = loss(pooling: .max, height: 64, width: 100, content: ["relu3_1"], style: ["relu1_1", "relu3_1"])
        let grid = TileGrid(height: 64, width: 100, coreSize: 16, architecture: .vgg19, deepestLayer: loss.deepestLayer)
        let (whole, tiled) = (loss.evaluate(x), loss.evaluate(x, tiles: grid))
        XCTAssertEqual(tiled.parts.total, whole.parts.total, accuracy: 1e-5 * whole.parts.total)
        let norm = { (t: Tensor) in t.data.reduce(0) { $0 + Double($1) * Double($1) }.squareRoot() }
        XCTAssertEqual(norm(tiled.gradient), norm(whole.gradient), accuracy: 1e-4 * norm(whole.gradient))
    }

    /// The halo is needed: with none before the core and 16 pixels after it, instead of the
    /// network's reach, the gradient is no longer the whole picture's, by more than 5 times the
    /// tolerance above. (The last pixels of a feature's reach weigh little, on this random
    /// network: a halo a few pixels short changes the gradient by less than its rounding.)
    func testAShortHaloIsWrong() {
        let (loss, x) = loss(pooling: .average, height: 200, width: 200)
        let reach = TileGrid.reach(architecture: .vgg19, through: loss.deepestLayer)
        let whole = loss.evaluate(x)
        let short = TileGrid(height: 200, width: 200, coreSize: 64, alignment: reach.alignment, haloBefore: 0, haloAfter: 16)
        let tiled = loss.evaluate(x, tiles: short)
        let worst = zip(tiled.gradient.data, whole.gradient.data).map { abs($0 - $1) }.max()!
        XCTAssertGreaterThan(worst, 1e-4 * whole.gradient.data.map { abs($0) }.max()!, "a short halo should change the gradient")
    }
}

/// The tiled evaluation on the real VGG19 and a real photo (the astronaut sample at 384x384, in
/// tiles of 128 pixels, max pooling): the loss and its gradient against the whole picture's.
/// (Skipped, saying so, in a debug build and when the weights cannot be fetched.)
final class TiledRealWeightsTests: XCTestCase {
    func testTilesGiveTheWholePicturesLossOnTheRealNetwork() throws {
        try XCTSkipIf(isDebugBuild, "runs against the release build (swift test -c release --filter TiledRealWeightsTests, as .ci/run does)")
        let network: FastVGG, photo: FloatImage, style: FloatImage
        do {
            network = FastVGG(try VGG.pretrained(weights: PretrainedWeights.vgg19Path()))
            photo = FloatImage(try ImageFile.read(try SamplePhotos.path("astronaut.png"))).rgb().resized(width: 384, height: 384)
            style = FloatImage(try ImageFile.read(try SamplePhotos.path("brick.png"))).rgb().resized(width: 256, height: 256)
        } catch {
            throw missingRealData("needs the VGG19 weights and the sample photos, which could not be fetched (run `swift run -c release fetch-samples` with a network): \(error)")
        }
        func tensor(_ image: FloatImage) -> Tensor {
            network.network.preprocessing.apply(Tensor(shape: [3, image.height, image.width], data: image.pixels))
        }
        let (content, painting) = (tensor(photo), tensor(style))
        let whole = FastStyleTransferLoss.targets(network: network, content: content, styles: [painting], blend: [1],
                                              contentLayers: DefaultLayers.content, styleLayers: DefaultLayers.style)
        let tiled = FastStyleTransferLoss.targets(network: network, content: content, styles: [painting], blend: [1],
                                              contentLayers: DefaultLayers.content, styleLayers: DefaultLayers.style, coreSize: 128)
        let loss = FastStyleTransferLoss(network: network, contentLayers: DefaultLayers.content, styleLayers: DefaultLayers.style,
                                     weights: StyleTransferWeights(), contentTargets: whole.content, styleTargets: whole.style)
        // The targets made in tiles are the whole pictures'.
        for layer in DefaultLayers.style {
            let (a, b) = (tiled.style[layer]!.data, whole.style[layer]!.data)
            XCTAssertLessThanOrEqual(zip(a, b).map { abs($0 - $1) }.max()!, 1e-5 * b.map { abs($0) }.max()!, layer)
        }
        XCTAssertLessThanOrEqual(zip(tiled.content["relu4_2"]!.data, whole.content["relu4_2"]!.data).map { abs($0 - $1) }.max()!,
                                 1e-5 * whole.content["relu4_2"]!.data.max()!)
        // The loss and gradient at a point between the photo and noise.
        let noise = Tensor.random(shape: content.shape, in: -30...30, seed: 4)
        let x = Tensor(shape: content.shape, data: zip(content.data, noise.data).map { $0 + $1 })
        let grid = TileGrid(height: 384, width: 384, coreSize: 128, architecture: .vgg19, deepestLayer: loss.deepestLayer)
        XCTAssertEqual(grid.tiles.count, 9)
        let (a, b) = (loss.evaluate(x, tiles: grid), loss.evaluate(x))
        XCTAssertEqual(a.parts.content, b.parts.content, accuracy: 1e-5 * b.parts.content)
        XCTAssertEqual(a.parts.style, b.parts.style, accuracy: 1e-5 * b.parts.style)
        let scale = b.gradient.data.map { abs($0) }.max()!
        let differences = zip(a.gradient.data, b.gradient.data).map { abs($0 - $1) / scale }
        // Rounding moves every value a little; a max-pooling window whose two largest values are
        // within rounding of each other can send a value to the other pixel, so a few may differ more.
        XCTAssertLessThanOrEqual(differences.sorted()[differences.count * 999 / 1000], 1e-4)
        let norm = { (t: Tensor) in t.data.reduce(0) { $0 + Double($1) * Double($1) }.squareRoot() }
        XCTAssertEqual(norm(a.gradient), norm(b.gradient), accuracy: 1e-4 * norm(b.gradient))
    }
}
