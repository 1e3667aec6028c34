import Foundation
import StyleTransfer
import StyleRepresentation
import PerceptualControl
import StyleTransferRun
import FastLosses
import VGG
import Tensors
import Pictures
import ImageFiles
import Fetching
import NetworkPrograms
import CommandLineArguments

/// What a `style-transfer` command line asks for, every value checked before anything is
/// loaded: a bad value throws `ArgumentError` (exit status 1, naming the option) or
/// `StyleTransferRequestError` (one line saying what is wrong).
public struct StyleTransferRequest {
    typealias Options = StyleTransferCommand
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
    /// `--content-mask` and `--style-masks`: spatial control (chapter 10).
    public var contentMaskPath: String?, styleMaskPaths: [String]?
    /// `--reference`: the chapters' plain code beside the engine (ReferenceRun.swift), no picture written.
    public var reference = false
    /// `--preview [PORT]`: the live page's port (0: the system chooses), nil for none.
    public var previewPort: Int?
    /// Spatial control's guides (--mask-guides).
    public var guideKind = GuideKind.simple
    /// The options given that change the result and that the headline's own words do not
    /// already say, as given ("--seed 3", "--original-colors"): so the run's first line names
    /// everything that made its picture.
    public var resultOptions: [String] = []

    /// Options that change the picture, besides those the headline spells out (content, styles,
    /// size, scales, iterations, optimiser, network, --preserve-colors, --style-coarse and --style-fine).
    static let optionsThatChangeTheResult = [Options.freeDescent.name, Options.blend.name, Options.start.name, Options.seed.name, Options.learningRate.name,
        Options.history.name, Options.contentWeight.name, Options.styleWeight.name, Options.tvWeight.name, Options.contentLayers.name,
        Options.styleLayers.name, NetworkProgram.pooling.name, Options.styleScale.name, Options.originalColors.name,
        Options.contentMask.name, Options.styleMasks.name, Options.maskGuides.name, Options.fineLayers.name, NetworkProgram.weights.name]

    public init(_ arguments: ParsedArguments) throws {
        architecture = try NetworkProgram.network.read(arguments)
        pooling = try NetworkProgram.pooling.read(arguments)
        try readSchedule(arguments)
        try readLoss(arguments)
        try readStyles(arguments)
        try readStart(arguments)
        try readColours(arguments)
        try readMasks(arguments)
        try readOutputs(arguments)
        try readReference(arguments)
        resultOptions = Self.optionsThatChangeTheResult.compactMap { option in
            arguments.value(option).map { "\(option) \($0)" } ?? (arguments.isSet(option) ? option : nil)
        }
    }

    /// `--reference`: one scale, small, whole, with the Gram-matrix term and no outputs; its own
    /// size and iterations unless given.
    mutating func readReference(_ arguments: ParsedArguments) throws {
        guard reference else { return }
        guard settings.size <= ReferenceRun.largestSize else {
            throw StyleTransferRequestError("--reference runs the plain code, at most --size \(ReferenceRun.largestSize) (\(settings.size) asked)")
        }
        func given(_ name: String) -> Bool { arguments.value(name) != nil || arguments.isSet(name) }
        for name in [Options.scales.name, Options.maxMemory.name] where given(name) {
            throw StyleTransferRequestError("--reference compares one whole scale: leave out \(name)")
        }
        if !settings.scaleIterations.isEmpty { throw StyleTransferRequestError("--reference compares one scale: give --iterations one number") }
        for name in [Options.output.name, Options.log.name, Options.plot.name, Options.saveEvery.name, Options.originalColors.name,
                     Options.preserveColors.name, Options.contentMask.name, Options.styleCoarse.name] where given(name) {
            throw StyleTransferRequestError("--reference compares the losses of chapter 9's run alone, and writes nothing: leave out \(name)")
        }
        settings.scales = 1
        settings.scaleIterations = []
        settings.memoryBudget = nil
    }

    /// The size, the memory budget, the optimiser, the scales and their iterations.
    mutating func readSchedule(_ arguments: ParsedArguments) throws {
        settings.optimiser = try Options.optimiser.read(arguments)
        settings.freeDescent = try Options.freeDescent.read(arguments)
        reference = try Options.reference.read(arguments)
        settings.size = reference && !Options.size.isGiven(arguments) ? ReferenceRun.defaultSize : try Options.size.read(arguments)
        settings.memoryBudget = try Options.maxMemory.read(arguments)
        // Coarse to fine: one scale per doubling from 256 (2 at 512), or one per --iterations number.
        let doublings = Int((log2(Double(settings.size) / 256)).rounded(.up))
        let perScale = reference && !Options.iterations.isGiven(arguments) ? [ReferenceRun.defaultIterations] : try Options.iterations.read(arguments)
        settings.scales = try Options.scales.read(arguments) ?? (perScale.count > 1 ? perScale.count : 1 + max(0, doublings))
        if perScale.count > 1 {
            guard perScale.count == settings.scales else {
                throw Options.iterations.bad(arguments.value(Options.iterations.name)!, expected: "one number, or one per scale (\(settings.scales))")
            }
            settings.scaleIterations = perScale
        } else {
            settings.iterations = perScale[0]
        }
        settings.historySize = try Options.history.read(arguments)
        settings.learningRate = try Options.learningRate.read(arguments)
    }

    /// The terms' weights and layers, and the white noise's seed.
    mutating func readLoss(_ arguments: ParsedArguments) throws {
        try Self.readLoss(arguments, architecture: architecture, into: &settings)
    }

    /// The terms' weights and layers, the style images' scale and the white noise's seed, as
    /// style-transfer and style-video read them; the content weight by `contentWeight`, an option
    /// of the same name with a program's own default (style-train's).
    public static func readLoss(_ arguments: ParsedArguments, architecture: VGGArchitecture,
                                contentWeight: Option<Float> = StyleTransferCommand.contentWeight,
                                into settings: inout StylizationSettings) throws {
        settings.weights = StyleTransferWeights(content: try contentWeight.read(arguments), style: try Options.styleWeight.read(arguments),
                                                totalVariation: try Options.tvWeight.read(arguments))
        settings.styleScale = try Options.styleScale.read(arguments)
        settings.seed = UInt64(try Options.seed.read(arguments))
        for (option, layers) in [(Options.contentLayers, \StylizationSettings.contentLayers), (Options.styleLayers, \.styleLayers)] {
            guard let names = try option.read(arguments) else { continue }   // the defaults stand
            for name in names where architecture.layerIndex(name) == nil {
                throw option.bad(name, expected: "\(architecture.name) layer names such as relu4_2 or conv3_1")
            }
            settings[keyPath: layers] = names
        }
        let styleLoss = try Options.styleLoss.read(arguments)
        if styleLoss != .gram {
            for option in [Options.contentMask.name, Options.styleCoarse.name, Options.styleFine.name]
            where arguments.value(option) != nil {
                throw StyleTransferRequestError("--style-loss \(styleLoss.rawValue) and \(option) do not go together: spatial and scale control work on Gram matrices")
            }
            settings.styleTerm = styleLoss.maker(seed: settings.seed)
        }
    }

    /// The blend weights, if given: one per style image, not all zero.
    public static func checkBlend(_ blend: [Float], styleCount: Int, _ arguments: ParsedArguments) throws {
        guard !blend.isEmpty else { return }
        let text = arguments.value(Options.blend.name)!
        guard blend.count == styleCount else { throw Options.blend.bad(text, expected: "one weight per style image (\(styleCount))") }
        guard blend.reduce(0, +) > 0 else { throw Options.blend.bad(text, expected: "weights that do not all vanish") }
    }

    /// The photo, the style images and their blend, or scale control's two paintings.
    mutating func readStyles(_ arguments: ParsedArguments) throws {
        contentPath = try Options.content.read(arguments)
        stylePaths = try Options.style.read(arguments)
        settings.blend = try Options.blend.read(arguments) ?? []
        if Options.styleCoarse.isGiven(arguments) || Options.styleFine.isGiven(arguments) { try readScaleControl(arguments) }
        try Self.checkBlend(settings.blend, styleCount: stylePaths?.count ?? 1, arguments)
    }

    /// Scale control: the deep layers' targets from the coarse style, the shallow ones' from the fine.
    mutating func readScaleControl(_ arguments: ParsedArguments) throws {
        guard let coarse = try Options.styleCoarse.read(arguments), let fine = try Options.styleFine.read(arguments) else {
            throw StyleTransferRequestError("--style-coarse and --style-fine go together: the painting of the large structures and the one of the fine texture")
        }
        guard stylePaths == nil, settings.blend.isEmpty, !Options.contentMask.isGiven(arguments) else {
            throw StyleTransferRequestError("--style-coarse and --style-fine replace --style (and its blend weights and masks)")
        }
        let fineLayers = try Options.fineLayers.read(arguments) ?? Array(settings.styleLayers.prefix(2))
        for name in fineLayers where !settings.styleLayers.contains(name) {
            throw Options.fineLayers.bad(name, expected: "style layers (\(settings.styleLayers.joined(separator: ",")))")
        }
        stylePaths = [coarse, fine]
        settings.styleTerm = GramMatrixStyle(sources: Dictionary(uniqueKeysWithValues: settings.styleLayers.map { ($0, fineLayers.contains($0) ? 1 : 0) }))
    }

    /// Where the pixels start, and how the iterations are shared out when they start from the photo.
    mutating func readStart(_ arguments: ParsedArguments) throws {
        // The default start is the photo (a texture starts from noise): on the default run it
        // reached about the same loss as the article's white noise in half the iterations
        // (notebook 09a, "The default run").
        start = try Options.start.read(arguments) ?? (synthesisesTexture ? "noise" : "content")
        if start == "content" && synthesisesTexture { throw StyleTransferRequestError("--init content needs --content (without it, a texture is synthesised)") }
        // From the photo, one number of iterations is the whole run's, mostly at the full size
        // (StyleTransferCommand.photoSchedule); from noise, the first scale's.
        if settings.scaleIterations.isEmpty && start == "content" && settings.scales > 1 {
            settings.scaleIterations = StyleTransferCommand.photoSchedule(total: settings.iterations, scales: settings.scales)
        }
    }

    /// `--original-colors` or `--preserve-colors`: chapter 10's colour preservation, one way at most.
    mutating func readColours(_ arguments: ParsedArguments) throws {
        let afterwards = try Options.originalColors.read(arguments), other = try Options.preserveColors.read(arguments)
        if afterwards && other != nil {
            throw StyleTransferRequestError("--preserve-colors and --original-colors both keep the photo's colours: choose one")
        }
        settings.colours = afterwards ? .afterwards : other
        if settings.colours != nil && synthesisesTexture {
            throw StyleTransferRequestError("\(afterwards ? "--original-colors" : "--preserve-colors") needs --content, whose colours it keeps")
        }
    }

    /// Spatial control's masks: one for the result, one per style image.
    mutating func readMasks(_ arguments: ParsedArguments) throws {
        guideKind = try Options.maskGuides.read(arguments)
        contentMaskPath = try Options.contentMask.read(arguments)
        styleMaskPaths = try Options.styleMasks.read(arguments)
        if (contentMaskPath == nil) != (styleMaskPaths == nil) {
            throw StyleTransferRequestError("--content-mask and --style-masks go together: the regions of the result and of each style")
        }
        if let styleMaskPaths {
            let styleCount = stylePaths?.count ?? 1
            guard styleMaskPaths.count == styleCount else {
                throw StyleTransferRequestError("--style-masks gives \(counted(styleMaskPaths.count, "mask")) for \(counted(styleCount, "style image")): give one per style, in the same order")
            }
        }
    }

    /// The files the run writes, each checked before the run.
    mutating func readOutputs(_ arguments: ParsedArguments) throws {
        savesEvery = try Options.saveEvery.read(arguments)
        if let output = try Options.output.read(arguments) {
            outputPath = output
            outputGiven = true
            try Self.checkWritable(output, option: Options.output.name, extensions: ImageFormat.allCases.map(\.rawValue))
        }
        logPath = try Options.log.read(arguments)
        plotPath = try Options.plot.read(arguments)
        previewPort = try Options.preview.read(arguments)
        if let logPath { try Self.checkWritable(logPath, option: Options.log.name, extensions: ["csv", "txt"]) }
        if let plotPath { try Self.checkWritable(plotPath, option: Options.plot.name, extensions: ["svg"]) }
    }

    /// A file the run writes: its kind must be one we write, its folder must exist and take a
    /// new file. Found before the run, not after it: a probe file is made in the folder and
    /// removed (the run's files are written the same way, to a temporary name beside them).
    public static func checkWritable(_ path: String, option: String, extensions: [String]) throws {
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

}

extension StyleTransferRequest {
    /// The pictures, read (the sample photo and the mosaic fetched or drawn when not given), and
    /// the settings completed with where the run starts; then the check that every picture keeps
    /// a pixel at the deepest layer at the first scale. The colour preservation asked for is in
    /// the settings: the run prepares the pictures and finishes the result with it.
    public func load() throws -> (content: FloatImage?, styles: [FloatImage], settings: StylizationSettings) {
        var settings = self.settings
        var content: FloatImage?
        if let contentPath {
            content = try NetworkProgram.readPicture(contentPath)
        } else if !synthesisesTexture {
            content = try NetworkProgram.readPicture(try SamplePhotos.path("astronaut.png"))
        } else {
            content = nil
        }
        let styles = try stylePaths?.map(NetworkProgram.readPicture) ?? [NetworkProgram.defaultStyle()]
        switch start {
        case "noise": settings.initialisation = .noise
        case "content": settings.initialisation = .content
        default: settings.initialisation = .image(try NetworkProgram.readPicture(start))
        }
        if content == nil { settings.contentLayers = [] }
        if let contentMaskPath, let styleMaskPaths {
            let (picture, styleLayouts) = try readRegions(contentMaskPath, styleMaskPaths,
                                                          firstShape: (content ?? styles[0]).shape(longestSide: settings.sizes[0]))
            settings.styleTerm = RegionStyle(picture: picture, styles: styleLayouts, kind: guideKind)
        }
        if let problem = settings.problemAtFirstScale(architecture: architecture, content: content, styles: styles) {
            throw StyleTransferRequestError(problem)
        }
        return (content, styles, settings)
    }

    /// The masks read as region layouts, and checked: every region has a style, and keeps a
    /// cell of the deepest style layer at the first scale (of shape `firstShape`).
    func readRegions(_ contentMaskPath: String, _ styleMaskPaths: [String],
                     firstShape: (height: Int, width: Int)) throws -> (picture: RegionLayout, styles: [RegionLayout]) {
        func readMask(_ path: String, _ option: String) throws -> FloatImage {
            do { return try NetworkProgram.readPicture(path) } catch { throw StyleTransferRequestError("\(option) \(error)") }
        }
        let contentMask = try readMask(contentMaskPath, Options.contentMask.name)
        let masks = try RegionMasks(contentMask: contentMask, name: contentMaskPath)
        let picture = try masks.layout(of: contentMask, name: contentMaskPath)
        let styleLayouts = try styleMaskPaths.map { try masks.layout(of: try readMask($0, Options.styleMasks.name), name: $0) }
        if let problem = masks.problem(picture: picture, styles: styleLayouts, architecture: architecture,
                                       deepestLayer: architecture.deepest(of: settings.styleLayers), height: firstShape.height,
                                       width: firstShape.width, kind: guideKind) {
            throw StyleTransferRequestError(problem)
        }
        return (picture, styleLayouts)
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
