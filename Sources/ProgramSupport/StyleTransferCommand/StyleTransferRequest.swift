import Foundation
import StyleTransfer
import StyleRepresentation
import PerceptualControl
import VGG
import Tensors
import Pictures
import ImageFiles
import Fetching
import DemoSupport
import CommandLineArguments

/// What a `style-transfer` command line asks for, every value checked before anything is
/// loaded: a bad value throws `ArgumentError` (exit status 1, naming the option) or
/// `StyleTransferRequestError` (one line saying what is wrong).
public struct StyleTransferRequest {
    public var settings = StylizationSettings()
    public var architecture = VGGArchitecture.vgg19
    public var pooling = PoolingKind.max
    /// The photo (nil: the astronaut sample, or a texture when `synthesisesTexture`).
    public var contentPath: String?
    /// The style images (nil: the project's mosaic).
    public var stylePaths: [String]?
    /// Given --style but no --content, the run synthesises a texture; given neither, it repaints the sample photo.
    public var synthesisesTexture: Bool { contentPath == nil && stylePaths != nil }
    /// noise, content, or a picture's path.
    public var start = "content"
    public var outputPath = "output/style-transfer.png"
    /// Whether --output was given (otherwise the default folder `output/` is made when needed).
    public var outputGiven = false
    public var logPath: String?, plotPath: String?
    /// Also write the image every N iterations (0: never).
    public var savesEvery = 0
    /// `--preserve-colors`: the photo's colours kept by transferring on luminance only, or by
    /// matching the style's colours to the photo's first (chapter 10).
    public var colourPreservation: ColourPreservation?
    /// `--content-mask` and `--style-masks`: spatial control (chapter 10).
    public var contentMaskPath: String?, styleMaskPaths: [String]?
    /// The options given that change the result and that the headline's own words do not
    /// already say, as given ("--seed 3", "--original-colors"): so the run's first line names
    /// everything that made its picture.
    public var resultOptions: [String] = []

    /// Options that change the picture, besides those the headline spells out (content, styles,
    /// size, scales, iterations, optimiser, network, --preserve-colors, --style-coarse and --style-fine).
    static let optionsThatChangeTheResult = ["--style-blend-weights", "--init", "--seed", "--learning-rate", "--lbfgs-history",
        "--content-weight", "--style-weight", "--tv-weight", "--content-layers", "--style-layers", "--pooling", "--style-scale",
        "--original-colors", "--content-mask", "--style-masks", "--mask-guides", "--fine-layers", "--weights"]

    public init(_ arguments: ParsedArguments) throws {
        architecture = try NetworkDemo.parsedChoice(arguments, "--network", default: .vgg19, expected: "vgg19 or vgg16")
        pooling = try NetworkDemo.parsedChoice(arguments, "--pooling", default: .max, expected: "max or avg")
        settings.optimiser = try NetworkDemo.parsedChoice(arguments, "--optimizer", default: .lbfgs, expected: "lbfgs, adam or gd")
        settings.size = try arguments.integer("--size", in: 16...8192, default: StyleTransferCommand.defaultSize)
        if let text = arguments.value("--max-memory") {
            guard let budget = MemorySize(text) else {
                throw ArgumentError.badValue(option: "--max-memory", value: text, expected: "a size such as 2G, 800M or 1.5G")
            }
            settings.memoryBudget = budget
        } else {
            settings.memoryBudget = MemorySize.defaultBudget
        }
        // Coarse to fine: one scale per doubling from 256 (2 at 512), or one per --iterations number.
        let doublings = Int((log2(Double(settings.size) / 256)).rounded(.up))
        let perScale = try arguments.integers("--iterations", in: 0...100_000, default: [StyleTransferCommand.defaultIterations])
        settings.scales = try arguments.integer("--scales", in: 1...8, default: perScale.count > 1 ? perScale.count : 1 + max(0, doublings))
        if perScale.count > 1 {
            guard perScale.count == settings.scales else {
                throw ArgumentError.badValue(option: "--iterations", value: arguments.value("--iterations")!,
                                             expected: "one number, or one per scale (\(settings.scales))")
            }
            settings.scaleIterations = perScale
        } else {
            settings.iterations = perScale[0]
        }
        settings.historySize = try arguments.integer("--lbfgs-history", in: 1...1000, default: settings.historySize)
        if arguments.value("--learning-rate") != nil {
            settings.learningRate = try arguments.number("--learning-rate", in: 1e-12...1e12, default: 1)
        }
        settings.weights = StyleTransferWeights(content: try arguments.number("--content-weight", in: 0...1e12, default: 5),
                                                style: try arguments.number("--style-weight", in: 0...1e12, default: 100),
                                                totalVariation: try arguments.number("--tv-weight", in: 0...1e12, default: 1e-3))
        settings.styleScale = try arguments.number("--style-scale", in: 0.05...4, default: 1)
        settings.seed = UInt64(try arguments.integer("--seed", in: 0...Int(Int32.max), default: 1))
        savesEvery = try arguments.integer("--save-every", in: 0...100_000, default: 0)
        if arguments.value("--style-blend-weights") != nil {
            settings.blend = try arguments.numbers("--style-blend-weights", in: 0...1e6, default: [])
        }
        settings.originalColors = arguments.isSet("--original-colors")
        if arguments.value("--preserve-colors") != nil {
            colourPreservation = try NetworkDemo.parsedChoice(arguments, "--preserve-colors", default: ColourPreservation.luminance,
                                                              expected: "luminance or match")
        }
        for (option, layers) in [("--content-layers", \StylizationSettings.contentLayers), ("--style-layers", \.styleLayers)] {
            guard let text = arguments.value(option) else { continue }   // the defaults stand
            let names = text.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            for name in names where architecture.layerIndex(name) == nil {
                throw ArgumentError.badValue(option: option, value: name, expected: "\(architecture.name) layer names such as relu4_2 or conv3_1")
            }
            settings[keyPath: layers] = names
        }
        contentPath = arguments.value("--content")
        stylePaths = arguments.value("--style").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        if stylePaths?.contains("") == true {
            throw ArgumentError.badValue(option: "--style", value: arguments.value("--style")!, expected: "file names separated by commas")
        }
        if arguments.value("--style-coarse") != nil || arguments.value("--style-fine") != nil {
            // Scale control: the deep layers' targets from the coarse style, the shallow ones' from the fine.
            guard let coarse = arguments.value("--style-coarse"), let fine = arguments.value("--style-fine") else {
                throw StyleTransferRequestError("--style-coarse and --style-fine go together: the painting of the large structures and the one of the fine texture")
            }
            guard stylePaths == nil, settings.blend.isEmpty, arguments.value("--content-mask") == nil else {
                throw StyleTransferRequestError("--style-coarse and --style-fine replace --style (and its blend weights and masks)")
            }
            let fineLayers = try arguments.value("--fine-layers").map { text -> [String] in
                let names = text.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                for name in names where !settings.styleLayers.contains(name) {
                    throw ArgumentError.badValue(option: "--fine-layers", value: name, expected: "style layers (\(settings.styleLayers.joined(separator: ",")))")
                }
                return names
            } ?? Array(settings.styleLayers.prefix(2))
            stylePaths = [coarse, fine]
            settings.styleLayerSources = Dictionary(uniqueKeysWithValues: settings.styleLayers.map { ($0, fineLayers.contains($0) ? 1 : 0) })
        }
        if !settings.blend.isEmpty {
            guard settings.blend.count == (stylePaths?.count ?? 1) else {
                throw ArgumentError.badValue(option: "--style-blend-weights", value: arguments.value("--style-blend-weights")!,
                                             expected: "one weight per style image (\(stylePaths?.count ?? 1))")
            }
            guard settings.blend.reduce(0, +) > 0 else {
                throw ArgumentError.badValue(option: "--style-blend-weights", value: arguments.value("--style-blend-weights")!,
                                             expected: "weights that do not all vanish")
            }
        }
        // The default start is the photo (a texture starts from noise): on the default run it
        // reached about the same loss as the article's white noise in half the iterations
        // (notebook 09a, "The default run").
        start = arguments.value("--init") ?? (synthesisesTexture ? "noise" : "content")
        if start == "content" && synthesisesTexture { throw StyleTransferRequestError("--init content needs --content (without it, a texture is synthesised)") }
        // From the photo, one number of iterations is the whole run's, mostly at the full size
        // (StyleTransferCommand.photoSchedule); from noise, the first scale's.
        if perScale.count == 1 && start == "content" && settings.scales > 1 {
            settings.scaleIterations = StyleTransferCommand.photoSchedule(total: perScale[0], scales: settings.scales)
        }
        if settings.originalColors && synthesisesTexture { throw StyleTransferRequestError("--original-colors needs --content, whose colours it keeps") }
        settings.guideKind = try NetworkDemo.parsedChoice(arguments, "--mask-guides", default: GuideKind.simple, expected: "simple or inside")
        contentMaskPath = arguments.value("--content-mask")
        styleMaskPaths = arguments.value("--style-masks").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        if (contentMaskPath == nil) != (styleMaskPaths == nil) {
            throw StyleTransferRequestError("--content-mask and --style-masks go together: the regions of the result and of each style")
        }
        if let styleMaskPaths {
            let styleCount = stylePaths?.count ?? 1
            guard !styleMaskPaths.contains("") else {
                throw ArgumentError.badValue(option: "--style-masks", value: arguments.value("--style-masks")!, expected: "file names separated by commas")
            }
            guard styleMaskPaths.count == styleCount else {
                throw StyleTransferRequestError("--style-masks gives \(styleMaskPaths.count) mask\(styleMaskPaths.count == 1 ? "" : "s") for \(styleCount) style image\(styleCount == 1 ? "" : "s"): give one per style, in the same order")
            }
        }
        if colourPreservation != nil && synthesisesTexture { throw StyleTransferRequestError("--preserve-colors needs --content, whose colours it keeps") }
        if colourPreservation != nil && settings.originalColors {
            throw StyleTransferRequestError("--preserve-colors and --original-colors both keep the photo's colours: choose one")
        }
        if let output = arguments.value("--output") {
            outputPath = output
            outputGiven = true
            try Self.checkWritable(output, option: "--output", extensions: ImageFormat.allCases.map(\.rawValue))
        }
        resultOptions = Self.optionsThatChangeTheResult.compactMap { option in
            arguments.value(option).map { "\(option) \($0)" } ?? (arguments.isSet(option) ? option : nil)
        }
        logPath = arguments.value("--log")
        plotPath = arguments.value("--plot")
        if let logPath { try Self.checkWritable(logPath, option: "--log", extensions: ["csv", "txt"]) }
        if let plotPath { try Self.checkWritable(plotPath, option: "--plot", extensions: ["svg"]) }
    }

    /// A file the run writes: its kind must be one we write, its folder must exist and take a
    /// new file. Found before the run, not after it: a probe file is made in the folder and
    /// removed (the run's files are written the same way, to a temporary name beside them).
    static func checkWritable(_ path: String, option: String, extensions: [String]) throws {
        let url = URL(fileURLWithPath: path)
        guard extensions.contains(url.pathExtension.lowercased()) else {
            throw ArgumentError.badValue(option: option, value: path, expected: "a file name ending in " + extensions.map { "." + $0 }.joined(separator: ", "))
        }
        var isFolder: ObjCBool = false
        let folder = url.deletingLastPathComponent()
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue {
            throw StyleTransferRequestError("\(option) \(path) is a folder")
        }
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isFolder), isFolder.boolValue else {
            // The nearest part of the path that exists says why: a file where a folder should be, or nothing.
            var part = folder
            while part.path != "/" && !FileManager.default.fileExists(atPath: part.path) { part = part.deletingLastPathComponent() }
            if FileManager.default.fileExists(atPath: part.path, isDirectory: &isFolder), !isFolder.boolValue {
                throw StyleTransferRequestError("\(option) \(path): \(part.relativePath) is a file, not a folder")
            }
            throw StyleTransferRequestError("\(option) \(path): the folder \(folder.relativePath) does not exist")
        }
        let probe = folder.appendingPathComponent(".style-transfer-probe-\(ProcessInfo.processInfo.processIdentifier)")
        guard FileManager.default.createFile(atPath: probe.path, contents: Data()) else {
            let reason = access(folder.path, W_OK) == 0 ? "cannot create a file there" : String(cString: strerror(errno))
            throw StyleTransferRequestError("\(option) \(path): cannot write in the folder \(folder.relativePath) (\(reason))")
        }
        try? FileManager.default.removeItem(at: probe)
    }

    /// The pictures, read (the sample photo and the mosaic fetched or drawn when not given), and
    /// the settings completed with where the run starts; then the check that every picture keeps
    /// a pixel at the deepest layer at the first scale.
    /// With `--preserve-colors`, the content and styles are the ones the transfer runs on (grey
    /// for luminance, the recoloured styles for matching), and `finish` turns a result into the
    /// picture to write (for luminance, the photo's colours put back); otherwise `finish` changes nothing.
    public func load() throws -> (content: FloatImage?, styles: [FloatImage], settings: StylizationSettings,
                                  finish: (FloatImage) -> FloatImage) {
        /// Every picture's error names its file.
        func read(_ path: String) throws -> FloatImage { try NetworkDemo.readPicture(path) }
        var settings = self.settings
        var content: FloatImage?
        if let contentPath {
            content = try read(contentPath)
        } else if !synthesisesTexture {
            content = try read(try SamplePhotos.path("astronaut.png"))
        } else {
            content = nil
        }
        var styles = try stylePaths?.map(read) ?? [NetworkDemo.defaultStyle()]
        var finish: (FloatImage) -> FloatImage = { $0 }
        if let mode = colourPreservation, let photo = content {
            (content, styles) = mode.prepare(content: photo, styles: styles)
            finish = { mode.finish($0, content: photo) }
        }
        switch start {
        case "noise": settings.initialisation = .noise
        case "content": settings.initialisation = .content
        default: settings.initialisation = .image(try read(start))
        }
        if content == nil { settings.contentLayers = [] }
        if let contentMaskPath, let styleMaskPaths {
            func readMask(_ path: String, _ option: String) throws -> FloatImage {
                do { return try read(path) } catch { throw StyleTransferRequestError("\(option) \(error)") }
            }
            let contentMask = try readMask(contentMaskPath, "--content-mask")
            let masks = try RegionMasks(contentMask: contentMask, name: contentMaskPath)
            let picture = try masks.layout(of: contentMask, name: contentMaskPath)
            let styleLayouts = try styleMaskPaths.map { try masks.layout(of: try readMask($0, "--style-masks"), name: $0) }
            let (height, width) = (content ?? styles[0]).shape(longestSide: settings.sizes[0])
            if let problem = masks.problem(picture: picture, styles: styleLayouts, architecture: architecture,
                                           deepestLayer: architecture.deepest(of: settings.styleLayers), height: height, width: width,
                                           kind: settings.guideKind) {
                throw StyleTransferRequestError(problem)
            }
            settings.regions = (picture, styleLayouts)
        }
        if let problem = settings.problemAtFirstScale(architecture: architecture, content: content, styles: styles) {
            throw StyleTransferRequestError(problem)
        }
        return (content, styles, settings, finish)
    }
}

extension StyleTransferRequest {
    /// The run's memory plan for the budget in `settings` (MemoryPlan.swift), made from the
    /// pictures' shapes alone, before the network loads; a budget too small for one tile throws.
    public func memoryPlan(settings: StylizationSettings, content: FloatImage?, styles: [FloatImage]) throws -> MemoryPlan? {
        guard let budget = settings.memoryBudget else { return nil }
        switch MemoryPlan.make(settings: settings, architecture: architecture, budget: budget, content: content, styles: styles) {
        case .success(let plan): return plan
        case .failure(let error): throw StyleTransferRequestError(error.description)
        }
    }
}

/// A command line that asks for something the run cannot do, in one line.
public struct StyleTransferRequestError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
