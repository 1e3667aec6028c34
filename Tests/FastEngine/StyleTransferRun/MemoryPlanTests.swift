import XCTest
import Pictures
import VGG
import StyleRepresentation
import StyleTransfer
import FastLosses
import PerceptualControl
@testable import StyleTransferRun

/// The memory budget as written, and the plan made from it before a run.
final class MemoryPlanTests: XCTestCase {
    func testSizesAsPeopleWriteThem() {
        XCTAssertEqual(MemorySize("2G")?.bytes, 2 << 30)
        XCTAssertEqual(MemorySize("800M")?.bytes, 800 << 20)
        XCTAssertEqual(MemorySize("1.5G")?.bytes, 3 << 29)
        XCTAssertEqual(MemorySize("64k")?.bytes, 64 << 10)
        XCTAssertEqual(MemorySize("2GB")?.bytes, 2 << 30)
        XCTAssertEqual(MemorySize("123456")?.bytes, 123456)
        for bad in ["0", "0.0G", "lots", "-1G", "", "G", "1.2.3M", "1e3", "2P", "nan", "inf", "99999T"] {
            XCTAssertNil(MemorySize(bad), bad)
        }
    }

    func settings(size: Int, scales: Int = 1, budget: String, optimiser: OptimiserKind = .lbfgs) -> StylizationSettings {
        var settings = StylizationSettings()
        settings.optimiser = optimiser
        settings.size = size
        settings.scales = scales
        settings.memoryBudget = MemorySize(budget)!
        return settings
    }

    func plan(_ settings: StylizationSettings, width: Int, height: Int) -> Result<MemoryPlan, MemoryPlanError> {
        MemoryPlan.make(settings: settings, architecture: .vgg19, budget: settings.memoryBudget!,
                        content: FloatImage(channels: 3, height: height, width: width), styles: [FloatImage(channels: 3, height: 64, width: 64)])
    }

    /// Chapter 8b's terms are no sums over positions: a run whose budget would force tiles is
    /// refused before anything loads, naming the term; one that fits counts the term's own memory.
    func testDistributionTermsAreNeverTiled() throws {
        for kind in [StyleLossKind.sliced, .histogram] {
            var asked = settings(size: 3840, budget: "4G")
            asked.styleTerm = kind.maker(seed: 1)
            guard case .failure(let error) = plan(asked, width: 3840, height: 2160) else { return XCTFail("\(kind) tiled") }
            XCTAssertTrue(error.description.contains(asked.styleTerm.name + " needs the whole 3840x2160 picture"), error.description)
            var small = settings(size: 512, budget: "8G")
            let gram = try plan(small, width: 512, height: 512).get().estimate
            small.styleTerm = kind.maker(seed: 1)
            let withTerm = try plan(small, width: 512, height: 512).get()
            XCTAssertTrue(withTerm.scales[0].grid.isWhole)
            // The style image is scaled to the picture's size, 512 x 512 too.
            XCTAssertEqual(withTerm.estimate - gram, 512 * 512 * (small.styleTerm.extraBytes.perPixel + small.styleTerm.extraBytes.perStylePixel))
        }
    }

    /// Small enough: the whole picture and the history asked for. Too large: tiles whose largest
    /// one keeps the estimate within the budget, fewer L-BFGS pairs, tiles on the grid.
    func testWholeWhenItFitsTilesWhenNot() throws {
        let small = try plan(settings(size: 512, budget: "8G"), width: 512, height: 512).get()
        XCTAssertTrue(small.scales[0].grid.isWhole)
        XCTAssertEqual(small.scales[0].historySize, 25)

        let large = try plan(settings(size: 3840, budget: "4G"), width: 3840, height: 2160).get()
        let scale = large.scales[0]
        XCTAssertFalse(scale.grid.isWhole)
        XCTAssertEqual([scale.width, scale.height], [3840, 2160])
        XCTAssertLessThanOrEqual(scale.estimate, (4 << 30) / 100 * 95)   // 5% of the budget left unplanned
        XCTAssertEqual(scale.historySize, 5)   // a quarter of 4 GB holds 5 pairs of 3840x2160 pictures
        XCTAssertEqual(scale.grid.coreSize % 64, 0)
        // The next larger core would not fit in the 95% planned.
        let reach = TileGrid.reach(architecture: .vgg19, through: "relu5_1")
        let side = scale.grid.coreSize + 64 + reach.before + reach.after
        XCTAssertGreaterThan(scale.estimate - scale.grid.largestTilePixels * MemoryModel.tiledEvaluationBytesPerPixel
                             + min(side, 2160) * min(side, 3840) * MemoryModel.tiledEvaluationBytesPerPixel, (4 << 30) / 100 * 95)
        // In 2 GB, L-BFGS's arrays for a 3840x2160 picture leave no room for a tile; Adam's do,
        // with the style image at half the size (as docs/USING.md's recipe has it).
        XCTAssertThrowsError(try plan(settings(size: 3840, budget: "2G"), width: 3840, height: 2160).get())
        var adam = settings(size: 3840, budget: "2G", optimiser: .adam)
        adam.styleScale = 0.5
        XCTAssertFalse(try plan(adam, width: 3840, height: 2160).get().scales[0].grid.isWhole)
    }

    /// The style images are read in tiles of the picture's core size while the targets are made:
    /// a style image taller than the picture has taller tiles, and those count.
    func testTheLargestTileOfAnyPictureCounts() throws {
        let asked = settings(size: 1280, budget: "2600M", optimiser: .adam)
        let photo = FloatImage(channels: 3, height: 640, width: 1280)
        func scalePlan(style: FloatImage) throws -> ScalePlan {
            try MemoryPlan.make(settings: asked, architecture: .vgg19, budget: asked.memoryBudget!, content: photo, styles: [style]).get().scales[0]
        }
        let wide = try scalePlan(style: FloatImage(channels: 3, height: 32, width: 64))     // 1280x640, as the picture
        let square = try scalePlan(style: FloatImage(channels: 3, height: 64, width: 64))   // 1280x1280
        XCTAssertFalse(square.grid.isWhole)
        XCTAssertLessThan(square.grid.coreSize, wide.grid.coreSize, "the square style image's tiles are larger than the picture's")
        let side = min(1280, square.grid.coreSize + 198)   // the halo: 128 pixels before a core, 70 after
        XCTAssertGreaterThan(square.estimate, MemoryModel.fixedBytes + side * side * MemoryModel.tiledEvaluationBytesPerPixel)
        XCTAssertLessThanOrEqual(square.estimate, (2600 << 20) / 100 * 95)
    }

    func testCoarseToFinePlansEachScale() throws {
        let made = try plan(settings(size: 2048, scales: 3, budget: "3G"), width: 2048, height: 1024).get()
        XCTAssertEqual(made.scales.map(\.width), [512, 1024, 2048])
        XCTAssertTrue(made.scales[0].grid.isWhole)
        XCTAssertFalse(made.scales[2].grid.isWhole)
        XCTAssertEqual(made.lines.count, 4)
        XCTAssertTrue(made.lines[3].contains("tiles of"), made.lines[3])
    }

    func testABudgetTooSmallForOneTileIsRefused() {
        guard case .failure(let error) = plan(settings(size: 1024, budget: "300M"), width: 1024, height: 768) else {
            return XCTFail("300 MB cannot hold the network's weights")
        }
        XCTAssertTrue(error.description.contains("cannot hold even the smallest tile"), error.description)
    }

    func testSpatialControlIsNotTiled() {
        var asked = settings(size: 2048, budget: "2G")
        let layout = RegionLayout(height: 4, width: 4, regions: 1, labels: [Int](repeating: 0, count: 16))
        asked.styleTerm = RegionStyle(picture: layout, styles: [layout])
        guard case .failure(let error) = plan(asked, width: 2048, height: 2048) else { return XCTFail("regions were tiled") }
        XCTAssertTrue(error.description.contains("spatial control"), error.description)
    }
}
