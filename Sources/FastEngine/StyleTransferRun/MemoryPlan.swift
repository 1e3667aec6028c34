import Foundation
import VGG
import Pictures
import FastLosses

// How much memory a run takes, said before it starts, and how it keeps within a budget.
//
// A run holds three kinds of memory. The network's weights (and their Winograd transforms) are
// the same at every size. The picture's own arrays grow with its pixels: the image being
// optimised and its gradient, the content target's feature maps, the photo and the style images,
// and the optimiser's state (L-BFGS's remembered step pairs, Adam's two moments). And an
// evaluation holds every layer's feature maps for the backward pass, about 1.8 KB per pixel of
// what it evaluates: the whole picture, or, tiled (TiledEvaluation.swift), one tile with its halo.
//
// The plan, per scale: the whole picture if it fits; otherwise L-BFGS's history is held to a
// quarter of the budget (neural-style's recipe for prints keeps 5 pairs), and the tiles are made
// as large as the rest of the budget allows. A budget that cannot hold even the smallest tile is
// refused before anything is loaded.

/// A number of bytes as people write it: `2G`, `800M`, `1.5G`, `64K`, or plain bytes.
public struct MemorySize: Sendable, Equatable, CustomStringConvertible {
    public var bytes: Int

    public init(bytes: Int) { self.bytes = bytes }

    /// Parses `text`; nil unless it is a positive number, optionally with K, M, G or T (powers of
    /// 1024, with or without a trailing B), of at most 1 PB.
    public init?(_ text: String) {
        var digits = text.trimmingCharacters(in: .whitespaces).uppercased()
        if digits.hasSuffix("B") && digits.count > 1 { digits.removeLast() }
        var unit = 1.0
        if let last = digits.last, let power = ["K": 1, "M": 2, "G": 3, "T": 4][String(last)] {
            unit = pow(1024, Double(power))
            digits.removeLast()
        }
        guard !digits.isEmpty, digits.allSatisfy({ $0.isNumber || $0 == "." }), let value = Double(digits),
              value.isFinite, value > 0, value * unit <= pow(1024, 5) else { return nil }
        bytes = Int(value * unit)
        guard bytes > 0 else { return nil }
    }

    /// The default budget: a quarter of the machine's physical memory, which leaves the rest to
    /// everything else the machine runs.
    public static var defaultBudget: MemorySize { MemorySize(bytes: Int(ProcessInfo.processInfo.physicalMemory / 4)) }

    /// Like `2.0 GB`, `750 MB`.
    public var description: String {
        let gb = Double(bytes) / 1_073_741_824
        return gb >= 1 ? String(format: "%.1f GB", gb) : String(format: "%.0f MB", Double(bytes) / 1_048_576)
    }
}

/// The memory model's constants, measured with `/usr/bin/time -v` on the release build (Linux,
/// x86-64): peaks of runs whose pixels' share is known, less the rest of the plan, per pixel;
/// `scripts/results-page.py --print` measures the recipe of docs/USING.md, "Large prints".
public enum MemoryModel {
    /// The weights up to relu5_1, their Winograd transforms and the program itself: the peak of
    /// a run at 64x64, where the pixels' share is negligible.
    public static let fixedBytes = 560 << 20
    /// An evaluation's feature maps, gradients and scratch, per pixel it evaluates: the whole
    /// picture's.
    public static let evaluationBytesPerPixel = 1_800
    /// The same for one tile of a tiled evaluation, halo included. More than a whole picture's:
    /// the style layers' gradients F S are seeded as maps of their own (a whole evaluation applies
    /// them inside the convolutions), with the core's features copied out beside them. Measured
    /// at tiles of 256 to 1094 pixels a side, with Adam and with L-BFGS (the peak less the rest of
    /// the plan, per pixel of the largest tile): 1,730 to 2,160 bytes; this leaves room above that.
    public static let tiledEvaluationBytesPerPixel = 2_400
    /// The picture's own arrays besides the optimiser's, per pixel of the output: the image and
    /// its gradient (24 bytes), the content target (relu4_2: 512 maps at an eighth of the size,
    /// 32 bytes), and room for the photo resized and preprocessed while the targets are made.
    /// (A run at 1024x1024 in tiles of 128 pixels with Adam peaked at 878 MB, which leaves about
    /// 85 bytes per pixel for these and Adam's moments.)
    public static let pictureBytesPerPixel = 96
    /// Each style image, per pixel of its own: as read, resized and preprocessed.
    public static let styleBytesPerPixel = 36

    /// The optimiser's state per pixel: L-BFGS keeps 2 vectors per remembered pair and 7 more
    /// (the last point, gradient and step, the pair being made, and inside the box the gradient of
    /// the free values); Adam its two moments.
    public static func optimiserBytesPerPixel(_ kind: OptimiserKind, history: Int) -> Int {
        switch kind {
        case .lbfgs: return (2 * history + 7) * 12
        case .adam: return 3 * 12
        case .gd: return 0
        }
    }
}

/// One scale's share of the plan.
public struct ScalePlan: Sendable, Equatable {
    public var height: Int, width: Int
    /// The tiles (one, covering the picture, when it fits whole).
    public var grid: TileGrid
    /// The step pairs L-BFGS remembers at this scale.
    public var historySize: Int
    /// The estimated peak, in bytes.
    public var estimate: Int
}

/// The plan of a whole run, made before anything is loaded.
public struct MemoryPlan: Sendable, Equatable {
    public var budget: MemorySize
    public var optimiser: OptimiserKind
    public var scales: [ScalePlan]

    /// The estimated peak of the whole run.
    public var estimate: Int { scales.map(\.estimate).max() ?? 0 }

    /// A plan for `settings` with this content photo (nil for a texture) and these style
    /// images, from their shapes alone, or the reason there is none.
    public static func make(settings: StylizationSettings, architecture: VGGArchitecture, budget: MemorySize,
                            content: FloatImage?, styles: [FloatImage]) -> Result<MemoryPlan, MemoryPlanError> {
        guard let first = content ?? styles.first else { return .success(MemoryPlan(budget: budget, optimiser: settings.optimiser, scales: [])) }
        let reach = TileGrid.reach(architecture: architecture, through: architecture.deepest(of: settings.contentLayers + settings.styleLayers))
        var scales: [ScalePlan] = []
        for size in settings.sizes {
            let picture = first.shape(longestSide: size)
            let styleShapes = styles.map { $0.shape(longestSide: settings.styleSize(at: size)) }
            switch scalePlan(settings: settings, budget: budget, reach: reach, picture: picture, styleShapes: styleShapes) {
            case .success(let plan): scales.append(plan)
            case .failure(let error): return .failure(error)
            }
        }
        return .success(MemoryPlan(budget: budget, optimiser: settings.optimiser, scales: scales))
    }

    /// One scale's plan: the whole picture if it fits, else L-BFGS's history held to a quarter of
    /// the budget and the largest tiles the rest allows.
    static func scalePlan(settings: StylizationSettings, budget: MemorySize, reach: (alignment: Int, before: Int, after: Int),
                          picture: (height: Int, width: Int), styleShapes: [(height: Int, width: Int)]) -> Result<ScalePlan, MemoryPlanError> {
        let (height, width) = picture
        let pixels = height * width
        let eachStylePixels = styleShapes.map { $0.height * $0.width }
        let stylePixels = eachStylePixels.reduce(0, +)
        // The estimates leave 5% of the budget unplanned: memory that a run hands back is not
        // always returned to the system at once.
        let usable = budget.bytes / 100 * 95
        // The style images live while the targets are made, the optimiser's state afterwards.
        // Chapter 8b's terms hold more than the Gram matrices (StyleTermMaker.extraBytes).
        let term = settings.styleTerm.extraBytes
        func fixedAndPicture(_ history: Int) -> Int {
            MemoryModel.fixedBytes + pixels * (MemoryModel.pictureBytesPerPixel + term.perPixel) + stylePixels * term.perStylePixel
                + max(pixels * MemoryModel.optimiserBytesPerPixel(settings.optimiser, history: history), stylePixels * MemoryModel.styleBytesPerPixel)
        }
        // L-BFGS's history: as asked, if the whole run fits; else at most a quarter of the budget.
        var history = settings.historySize
        // The style images are evaluated whole or tiled like the picture: the larger of the two counts.
        let whole = fixedAndPicture(history) + max(pixels, eachStylePixels.max() ?? 0) * MemoryModel.evaluationBytesPerPixel
        if whole <= usable {
            let grid = TileGrid(height: height, width: width, coreSize: max(height, width), alignment: reach.alignment,
                                haloBefore: reach.before, haloAfter: reach.after)
            return .success(ScalePlan(height: height, width: width, grid: grid, historySize: history, estimate: whole))
        }
        if !settings.styleTerm.canBeTiled {
            return .failure(MemoryPlanError(description: "\(settings.styleTerm.name) needs the whole \(width)x\(height) picture in memory, "
                + "about \(MemorySize(bytes: whole)), more than the budget of \(budget): raise --max-memory or lower --size"))
        }
        if settings.optimiser == .lbfgs { history = max(1, min(history, budget.bytes / 4 / (pixels * 24))) }
        let available = usable - fixedAndPicture(history)
        // The largest core (on the pooling grid) whose tile, halo included, fits what is left.
        // The style images are read in tiles of the same core size while the targets are made:
        // the largest tile of any of them counts.
        func tilePixels(_ core: Int) -> Int {
            let side = core + reach.before + reach.after
            return ([(height, width)] + styleShapes).map { min($0.0, side) * min($0.1, side) }.max()!
        }
        let perPixel = MemoryModel.tiledEvaluationBytesPerPixel
        guard available > 0, tilePixels(reach.alignment) * perPixel <= available else {
            let needed = fixedAndPicture(min(history, 1)) + tilePixels(reach.alignment) * perPixel
            return .failure(MemoryPlanError(description: "a memory budget of \(budget) cannot hold even the smallest tile of the "
                + "\(width)x\(height) picture (that needs about \(MemorySize(bytes: needed))): raise --max-memory or lower --size"))
        }
        var core = reach.alignment
        while core < max(height, width) && tilePixels(core + reach.alignment) * perPixel <= available { core += reach.alignment }
        let grid = TileGrid(height: height, width: width, coreSize: core, alignment: reach.alignment, haloBefore: reach.before, haloAfter: reach.after)
        return .success(ScalePlan(height: height, width: width, grid: grid, historySize: history,
                                  estimate: fixedAndPicture(history) + tilePixels(grid.coreSize) * perPixel))
    }

    /// The plan for people: one line per scale.
    public var lines: [String] {
        ["memory: budget \(budget), estimated peak \(MemorySize(bytes: estimate))"] + scales.enumerated().map { i, scale in
            let tiles = scale.grid.isWhole ? "whole" : "\(scale.grid.columnsOfTiles)x\(scale.grid.rowsOfTiles) tiles of \(scale.grid.coreSize) px "
                + String(format: "(with their halos %.2fx the pixels, each tile through the network twice)", scale.grid.overlap)
            let history = optimiser == .lbfgs ? ", L-BFGS history \(scale.historySize)" : ""
            return "  scale \(i + 1): \(scale.width)x\(scale.height), \(tiles)\(history), about \(MemorySize(bytes: scale.estimate))"
        }
    }
}

/// Why a run cannot keep within its memory budget.
public struct MemoryPlanError: Error, CustomStringConvertible, Sendable {
    public var description: String
}
