// Paints a photo (or every frame of a folder) in one pass with a network trained by chapter 12's
// training: Johnson, Alahi and Fei-Fei's image transformation network, read from a model file.
// The picture has the photo's own shape at --size; sides that are not multiples of 4 (the
// network halves the picture twice) are reflection-padded and cropped back. Instance
// normalisation's statistics are the whole picture's, so a picture is painted whole: one that
// would not fit in --max-memory is refused before anything is painted.
// Run with `swift run -c release style-apply --model MODEL.safetensors`.
import Foundation
import Tensors
import Pictures
import ImageFiles
import AtomicFiles
import Fetching
import TransformationNetwork
import FastTransformationNetwork
import StyleTransferRun
import StyleTransferCommand
import NetworkPrograms
import CommandLineArguments

let model = Option<String?>.text("--model", value: "FILE", help: "the model file, as style-train writes it (.safetensors)")
let content = Option<String?>.text("--content", help: "the photo to paint (\(ReadableFormats.names); default the astronaut sample)")
let frames = Option<String?>.text("--frames", value: "DIR", help: "paint every frame of this folder instead, in name order, each under its name as PNG in --output DIR")
let output = Option<String?>.text("--output", help: "the picture (.png .ppm .pgm .pam; default output/style-apply.png), or with --frames the folder (default output/style-apply)")
let animation = Option<String?>.text("--animation", value: "FILE.png", help: "with --frames, also write the painted frames as an animated PNG")
let frameRate = Option<Int>.integer("--frame-rate", in: 1...240, default: 12, help: "the animation's frames per second")
let size = Option<Int>.integer("--size", in: 16...8192, default: 512, help: "the picture's longer side")
let maxMemory = Option<MemorySize>("--max-memory", value: "SIZE", default: MemorySize.defaultBudget,
    help: "the memory painting may take, such as 2G (default a quarter of this machine's memory); a larger picture is refused") { text in
    guard let budget = MemorySize(text) else { throw ArgumentError.badValue(option: "--max-memory", value: text, expected: "a size such as 2G, 800M or 1.5G") }
    return budget
}
let command = CommandSpec(name: "style-apply", summary: """
    Paints a photo in one pass with a network trained by style-train (chapter 12): reads the model \
    file, paints the photo at --size and writes the picture. With --frames, paints every frame of a folder.
    """, options: [model.spec, content.spec, frames.spec, output.spec, animation.spec, frameRate.spec, size.spec, maxMemory.spec])
let arguments = command.parseCommandLine()
keepFreedMemoryForReuse()   // maps made and freed layer after layer (NetworkPrograms' MemoryReuse.swift)
sayIfDebugBuild(program: command.name)

// ---- Every value checked, then the model read.
let (modelPath, longerSide, budget) = command.check { (try model.read(arguments), try size.read(arguments), try maxMemory.read(arguments)) }
guard let modelPath else { command.fail(ArgumentError.missingArgument("--model FILE, the network to paint with")) }
let framesFolder = command.check { try frames.read(arguments) }
let outputPath = command.check { try output.read(arguments) } ?? (framesFolder == nil ? "output/style-apply.png" : "output/style-apply")
let animationPath = command.check { try animation.read(arguments) }
let framesPerSecond = command.check { try frameRate.read(arguments) }
if animationPath != nil && framesFolder == nil { command.fail("--animation needs --frames: it animates the painted frames") }
if framesFolder != nil && content.isGiven(arguments) { command.fail("--content and --frames: paint a photo or a folder of frames, not both") }
let network: FastTransformationNetwork
do {
    guard let bytes = FileManager.default.contents(atPath: modelPath) else { throw ModelFileError("cannot read \(modelPath)") }
    network = FastTransformationNetwork(try TransformationNetwork.read(modelFile: [UInt8](bytes)).network)
} catch { command.fail("\(modelPath): \(error)") }

/// The memory painting an H x W picture takes: the program and the model, and per pixel the
/// largest maps alive at once (W channels at full size: the input of a layer, its padded copy,
/// its output and the next one's) and the picture itself in its three forms.
func memoryNeeded(height: Int, width: Int) -> Int {
    200 << 20 + height * width * 4 * (4 * network.network.width + 12)
}

/// `picture` painted at `longerSide`: padded by reflection to sides that are multiples of 4, painted, cropped back.
func paint(_ picture: FloatImage) -> FloatImage {
    let sized = picture.rgb().resized(longestSide: longerSide)
    let (height, width) = (sized.height, sized.width)
    let (paddedHeight, paddedWidth) = ((height + 3) / 4 * 4, (width + 3) / 4 * 4)
    var padded = Tensor(shape: [3, paddedHeight, paddedWidth])
    func mirrored(_ i: Int, _ size: Int) -> Int { i < size ? i : max(0, 2 * (size - 1) - i) }
    for c in 0..<3 {
        for y in 0..<paddedHeight {
            for x in 0..<paddedWidth { padded[c, y, x] = sized.pixels[(c * height + mirrored(y, height)) * width + mirrored(x, width)] }
        }
    }
    let painted = network.paint(padded)
    var result = FloatImage(channels: 3, height: height, width: width)
    for c in 0..<3 {
        for y in 0..<height {
            for x in 0..<width { result.pixels[(c * height + y) * width + x] = painted[c, y, x] }
        }
    }
    return result
}

/// Refuses, in one line, a picture whose painting would not fit in the budget.
func checkMemory(_ picture: FloatImage, name: String) {
    let (height, width) = picture.shape(longestSide: longerSide)
    let needed = memoryNeeded(height: height, width: width)
    if needed > budget.bytes {
        command.fail("\(name) at \(width)x\(height) needs about \(MemorySize(bytes: needed)) to paint whole (instance normalisation's statistics are the whole picture's), more than the budget of \(budget): lower --size or raise --max-memory")
    }
}

let clock = { DispatchTime.now().uptimeNanoseconds }
if let framesFolder {
    // ---- A folder of frames, one at a time.
    let names: [String]
    do {
        names = try FileManager.default.contentsOfDirectory(atPath: framesFolder)
            .filter { !$0.hasPrefix(".") && ReadableFormats.hasReadableExtension($0) }
            .sorted { $0.compare($1, options: [.numeric]) == .orderedAscending }
        guard !names.isEmpty else { throw StyleTransferRequestError("--frames \(framesFolder): the folder holds no frames (\(ReadableFormats.names) files)") }
        try makeFolder(outputPath)
    } catch { command.fail("\(error)") }
    var animationWriter: AnimatedPNGWriter? = nil
    let start = clock()
    for (index, name) in names.enumerated() {
        let frame: FloatImage
        do { frame = try NetworkProgram.readPicture(framesFolder + "/" + name) } catch { command.fail("\(error)") }
        if index == 0 { checkMemory(frame, name: name) }
        let painted = paint(frame).raster()
        let path = outputPath + "/" + URL(fileURLWithPath: name).deletingPathExtension().lastPathComponent + ".png"
        if let problem = writeResult(painted, to: path) { command.fail(problem) }
        if animationPath != nil {
            if animationWriter == nil { animationWriter = AnimatedPNGWriter(width: painted.width, height: painted.height, framesPerSecond: framesPerSecond) }
            guard painted.width == animationWriter!.width && painted.height == animationWriter!.height else {
                command.fail("--frames \(framesFolder): \(name) is not the size of the first frame; the frames of a video have one size")
            }
            animationWriter!.add(painted)
        }
    }
    print(String(format: "painted %d frames of %@ into %@ in %.2f s", names.count, framesFolder, outputPath, Double(clock() - start) / 1e9))
    if let animationPath, let animationWriter {
        do { try ImageFile.writeAtomically(animationWriter.encoded(), to: animationPath) } catch { command.fail("\(error)") }
        print("wrote the animation to \(animationPath)")
    }
} else {
    // ---- One photo.
    let photo: FloatImage
    do { photo = try NetworkProgram.readPicture(try content.read(arguments) ?? SamplePhotos.path("astronaut.png")) } catch { command.fail("\(error)") }
    checkMemory(photo, name: "the photo")
    if !output.isGiven(arguments) { do { try makeFolder("output") } catch { command.fail("\(error)") } }
    let start = clock()
    let painted = paint(photo)
    let seconds = Double(clock() - start) / 1e9
    if let problem = writeResult(painted.raster(), to: outputPath) { command.fail(problem) }
    print(String(format: "painted %dx%d in %.3f s; wrote %@", painted.width, painted.height, seconds, outputPath))
}
