import Foundation
import StyleTransfer
import StyleTransferRun
import VideoRun
import StyleTransferCommand
import PerceptualControl
import VGG
import Pictures
import ImageFiles
import NetworkPrograms
import CommandLineArguments

/// What a `style-video` command line asks for, every value and every frame checked before any
/// frame is styled: bad options throw `ArgumentError` (naming the option), and a folder with no
/// frames, a file that is not a picture or frames of different sizes throw
/// `StyleTransferRequestError` (one line).
public struct StyleVideoRequest {
    typealias Options = StyleVideoCommand
    typealias Still = StyleTransferCommand
    public var settings = VideoSettings()
    public var framesFolder: String
    /// The frames' file names, in the order they are styled.
    public var frameNames: [String] = []
    /// The frames' size as filmed.
    public var frameWidth = 0, frameHeight = 0
    public var stylePaths: [String]?
    public var outputFolder: String
    public var animationPath: String?
    public var frameRate: Int
    /// `--preview [PORT]`: the live page's port (0: the system chooses), nil for none.
    public var previewPort: Int?

    public init(_ arguments: ParsedArguments) throws {
        guard let folder = try Options.frames.read(arguments) else {
            throw ArgumentError.missingArgument("--frames DIR, the folder of frames to style")
        }
        framesFolder = folder
        outputFolder = try Options.output.read(arguments)
        animationPath = try Options.animation.read(arguments)
        previewPort = try StyleTransferCommand.preview.read(arguments)
        frameRate = try Options.frameRate.read(arguments)
        var frame = StylizationSettings()
        frame.size = try Options.size.read(arguments)
        let iterations = try Options.iterations.read(arguments)
        guard iterations.count <= 2 else {
            throw Options.iterations.bad(arguments.value(Options.iterations.name)!, expected: "one or two numbers: FIRST[,NEXT]")
        }
        frame.iterations = iterations[0]
        settings.laterIterations = iterations.count > 1 ? iterations[1] : iterations[0]
        settings.temporalWeight = try Options.temporalWeight.read(arguments)
        settings.longTerm = try Options.longTerm.read(arguments)
        let start = try Options.start.read(arguments) ?? "content"
        switch start {
        case "content": frame.initialisation = .content
        case "noise": frame.initialisation = .noise
        default: throw Options.start.bad(start, expected: "noise or content")
        }
        frame.optimiser = try Still.optimiser.read(arguments)
        frame.freeDescent = try Still.freeDescent.read(arguments)
        frame.historySize = try Still.history.read(arguments)
        frame.learningRate = try Still.learningRate.read(arguments)
        try StyleTransferRequest.readLoss(arguments, architecture: .vgg19, into: &frame)
        let afterwards = try Still.originalColors.read(arguments), other = try Still.preserveColors.read(arguments)
        if afterwards && other != nil { throw StyleTransferRequestError("--preserve-colors and --original-colors both keep the frames' colours: choose one") }
        frame.colours = afterwards ? .afterwards : other
        stylePaths = try Still.style.read(arguments)
        frame.blend = try Still.blend.read(arguments) ?? []
        try StyleTransferRequest.checkBlend(frame.blend, styleCount: stylePaths?.count ?? 1, arguments)
        settings.frame = frame
        if let animationPath { try StyleTransferRequest.checkWritable(animationPath, option: Options.animation.name, extensions: ["png"]) }
        try checkFrames()
    }

    /// The frames: a folder that exists, holds at least one frame, and nothing but pictures
    /// (hidden files and folders aside), all of one size. Every frame is decoded once here, one
    /// at a time, so a broken file stops the run before the first frame is styled.
    mutating func checkFrames() throws {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: framesFolder, isDirectory: &isFolder), isFolder.boolValue else {
            throw StyleTransferRequestError("--frames \(framesFolder): no such folder")
        }
        let entries = try FileManager.default.contentsOfDirectory(atPath: framesFolder).filter { name in
            var entryIsFolder: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: framesFolder + "/" + name, isDirectory: &entryIsFolder)
            return !name.hasPrefix(".") && !entryIsFolder.boolValue
        }
        frameNames = entries.sorted { $0.compare($1, options: [.numeric]) == .orderedAscending }
        guard let first = frameNames.first else {
            throw StyleTransferRequestError("--frames \(framesFolder): the folder holds no frames (\(ReadableFormats.names) files)")
        }
        var outputs: [String: String] = [:]
        for name in frameNames {
            let path = framesFolder + "/" + name
            guard ReadableFormats.hasReadableExtension(path) else {
                throw StyleTransferRequestError("--frames \(framesFolder): \(name) is not a frame (\(ReadableFormats.names)); a frames folder holds frames only")
            }
            let picture: RasterImage
            do { picture = try ImageFile.read(path) } catch { throw StyleTransferRequestError(ImageFile.message(for: error, reading: path)) }
            if name == first {
                (frameWidth, frameHeight) = (picture.width, picture.height)
            } else if picture.width != frameWidth || picture.height != frameHeight {
                throw StyleTransferRequestError("--frames \(framesFolder): \(name) is \(picture.width)x\(picture.height), but \(first) is \(frameWidth)x\(frameHeight); the frames of a video have one size")
            }
            let outputName = Self.outputName(of: name)
            if let other = outputs[outputName] { throw StyleTransferRequestError("--frames \(framesFolder): \(other) and \(name) would both be written as \(outputName)") }
            outputs[outputName] = name
        }
    }

    /// A frame's styled file name: its own, as PNG.
    public static func outputName(of frameName: String) -> String {
        URL(fileURLWithPath: frameName).deletingPathExtension().lastPathComponent + ".png"
    }

    /// The path of frame `index` and of its styled picture.
    public func framePath(_ index: Int) -> String { framesFolder + "/" + frameNames[index] }
    public func outputPath(_ index: Int) -> String { outputFolder + "/" + Self.outputName(of: frameNames[index]) }

    /// The frames styled already: the first ones whose styled picture exists (a rerun continues after them).
    public func framesDone() -> Int {
        frameNames.indices.first { !FileManager.default.fileExists(atPath: outputPath($0)) } ?? frameNames.count
    }
}
