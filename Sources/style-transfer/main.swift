// The main job: repaint a photograph in the style of a painting (Gatys, Ecker and Bethge,
// "A Neural Algorithm of Artistic Style"). Everything it does is chapter 9's `Stylization`;
// this file reads the command line, loads the pictures and the network, shows progress, and
// writes the results so that nothing is lost: each file is written to a temporary file and
// renamed, Ctrl-C writes the current image before exiting, and a loss that turns NaN keeps
// the last good image.
// Run with `swift run -c release style-transfer`.
import Foundation
import StyleTransfer
import VGG
import Kernels
import Tensors
import ImageFiles
import Pictures
import DemoSupport
import Fetching
import CommandLineArguments

let defaultSize = 512, defaultIterations = 100
let command = CommandSpec(
    name: "style-transfer",
    summary: """
    Repaints a photo in the style of one or more paintings: from the photo itself (or white noise), \
    descends the gradient of the content, style and total-variation losses with respect to the \
    pixels, through VGG19 with its ImageNet weights. With no options it repaints the sample \
    astronaut photo in the style of samples/mosaic.png and writes output/style-transfer.png. \
    Given --style without --content, it synthesises a texture from the style images alone.
    """,
    options: [
        OptionSpec("--content", value: "FILE", help: "the photo to repaint (PNG, JPEG, PPM, PGM, PAM; default the astronaut sample, unless --style is given: then a texture)"),
        OptionSpec("--style", value: "FILE[,FILE...]", help: "the style images (default samples/mosaic.png, the project's own mosaic)"),
        OptionSpec("--style-blend-weights", value: "W[,W...]", help: "how much each style counts, normalised to sum to 1 (default equal)"),
        OptionSpec("--output", value: "FILE", help: "the result, .png .ppm .pgm or .pam (default output/style-transfer.png)"),
        OptionSpec("--size", value: "N", help: "the result's longer side, 16 to 4096 (default \(defaultSize); a photo already that size is used as is)"),
        OptionSpec("--scales", value: "N", help: "coarse to fine: N sizes, each twice the one before, ending at --size (default: from 256 or less, one scale per doubling; 2 for 512)"),
        OptionSpec("--iterations", value: "N[,N...]", help: "iterations at the first scale, 0 to 100000, each later scale running half as many (default \(defaultIterations)); or one number per scale, smallest first"),
        OptionSpec("--optimizer", value: "lbfgs|adam|gd", help: "L-BFGS (default; full steps, a step that raises the loss too much is shortened), Adam, or plain gradient descent"),
        OptionSpec("--lbfgs-history", value: "N", help: "the step pairs L-BFGS remembers, 1 to 1000 (default \(StylizationSettings().historySize))"),
        OptionSpec("--learning-rate", value: "X", help: "the step's scale (default: 1 for lbfgs, 10 for adam, 0.001 for gd)"),
        OptionSpec("--init", value: "noise|content|FILE", help: "where the pixels start: white noise (the article's start), the photo (default), or a picture; a texture starts from noise"),
        OptionSpec("--content-weight", value: "X", help: "the content loss's weight (default 5)"),
        OptionSpec("--style-weight", value: "X", help: "the style loss's weight (default 100)"),
        OptionSpec("--tv-weight", value: "X", help: "the total variation's weight, which smooths the result (default 0.001)"),
        OptionSpec("--content-layers", value: "L[,L...]", help: "the layers whose feature maps the result shares with the photo (default relu4_2)"),
        OptionSpec("--style-layers", value: "L[,L...]", help: "the layers whose Gram matrices it shares with the style (default relu1_1,relu2_1,relu3_1,relu4_1,relu5_1)"),
        NetworkDemo.poolingOption,
        OptionSpec("--seed", value: "N", help: "the white noise's seed; the same seed gives the same run on the same machine (default 1)"),
        OptionSpec("--save-every", value: "N", help: "also write the image every N iterations, as NAME-ITERATION.png beside --output"),
        OptionSpec("--log", value: "FILE", help: "write the losses as CSV: iteration,total,content,style,tv,seconds (iteration 0 is the start)"),
        OptionSpec("--plot", value: "FILE.svg", help: "draw the loss curves as SVG"),
        OptionSpec("--original-colors", help: "keep the photo's colours: the result's luminance with the photo's colour"),
        OptionSpec("--style-scale", value: "X", help: "the style images' size relative to the result's, 0.05 to 4 (default 1)"),
        NetworkDemo.weightsOption,
        NetworkDemo.networkOption,
    ])

// ---- The command line, every value checked before anything is loaded.
let arguments = command.parseCommandLine()
var settings = StylizationSettings()
let outputPath = arguments.value("--output") ?? "output/style-transfer.png"
let savesEvery: Int
let architecture: VGGArchitecture = NetworkDemo.choice(arguments, "--network", default: .vgg19, expected: "vgg19 or vgg16", of: command)
let pooling = NetworkDemo.pooling(arguments, of: command)
settings.optimiser = NetworkDemo.choice(arguments, "--optimizer", default: .lbfgs, expected: "lbfgs, adam or gd", of: command)
do {
    settings.size = try arguments.integer("--size", in: 16...4096, default: defaultSize)
    let doublings = Int((log2(Double(settings.size) / 256)).rounded(.up))
    let perScale = try arguments.integers("--iterations", in: 0...100_000, default: [defaultIterations])
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
} catch let error as ArgumentError { command.fail(error) } catch { command.fail("\(error)") }
settings.originalColors = arguments.isSet("--original-colors")
for (option, layers) in [("--content-layers", \StylizationSettings.contentLayers), ("--style-layers", \.styleLayers)] {
    guard let text = arguments.value(option) else { continue }   // the defaults stand
    let names = text.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
    for name in names where architecture.layerIndex(name) == nil {
        command.fail(.badValue(option: option, value: name, expected: "\(architecture.name) layer names such as relu4_2 or conv3_1"))
    }
    settings[keyPath: layers] = names
}
let contentPath = arguments.value("--content")
let stylePaths = arguments.value("--style").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
/// Given --style but no --content, the run synthesises a texture; given neither, it repaints the sample photo.
let synthesisesTexture = contentPath == nil && stylePaths != nil
if stylePaths?.contains("") == true { command.fail(.badValue(option: "--style", value: arguments.value("--style")!, expected: "file names separated by commas")) }
if !settings.blend.isEmpty {
    guard settings.blend.count == (stylePaths?.count ?? 1) else {
        command.fail(.badValue(option: "--style-blend-weights", value: arguments.value("--style-blend-weights")!,
                               expected: "one weight per style image (\(stylePaths?.count ?? 1))"))
    }
    guard settings.blend.reduce(0, +) > 0 else {
        command.fail(.badValue(option: "--style-blend-weights", value: arguments.value("--style-blend-weights")!, expected: "weights that do not all vanish"))
    }
}
// The default start is the photo (a texture starts from noise): on the default run it reached
// about the same loss as the article's white noise in half the iterations (README, "The default run").
let initText = arguments.value("--init") ?? (synthesisesTexture ? "noise" : "content")
if initText == "content" && synthesisesTexture { command.fail("--init content needs --content (without it, a texture is synthesised)") }
if settings.originalColors && synthesisesTexture { command.fail("--original-colors needs --content, whose colours it keeps") }

/// A file the run writes: its folder must exist and its kind be one we write.
func checkWritable(_ path: String, option: String, extensions: [String]) {
    let url = URL(fileURLWithPath: path)
    guard extensions.contains(url.pathExtension.lowercased()) else {
        command.fail(.badValue(option: option, value: path, expected: "a file name ending in " + extensions.map { "." + $0 }.joined(separator: ", ")))
    }
    var isFolder: ObjCBool = false
    let folder = url.deletingLastPathComponent().path
    if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue { command.fail("\(option) \(path) is a folder") }
    guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
        command.fail("\(option) \(path): the folder \(folder) does not exist")
    }
}
if arguments.value("--output") != nil { checkWritable(outputPath, option: "--output", extensions: ImageFormat.allCases.map(\.rawValue)) }
if let log = arguments.value("--log") { checkWritable(log, option: "--log", extensions: ["csv", "txt"]) }
if let plot = arguments.value("--plot") { checkWritable(plot, option: "--plot", extensions: ["svg"]) }

// ---- The pictures, then the network.
func readPicture(_ path: String) throws -> FloatImage { FloatImage(try ImageFile.read(path)).rgb() }
let content: FloatImage?, styles: [FloatImage]
do {
    if let contentPath {
        content = try readPicture(contentPath)
    } else if !synthesisesTexture {
        content = try readPicture(try SamplePhotos.path("astronaut.png"))
    } else {
        content = nil
    }
    styles = try stylePaths?.map(readPicture) ?? [NetworkDemo.defaultStyle()]
    switch initText {
    case "noise": settings.initialisation = .noise
    case "content": settings.initialisation = .content
    default: settings.initialisation = .image(try readPicture(initText))
    }
} catch { command.fail("\(error)") }
if content == nil { settings.contentLayers = [] }

// Every layer must still have a pixel at the smallest scale: each pooling before the deepest
// layer halves the maps.
let deepest = architecture.deepest(of: settings.contentLayers + settings.styleLayers)
let poolings = architecture.layers[...architecture.layerIndex(deepest)!].filter { $0.name.hasPrefix("pool") }.count
let smallest = 1 << poolings
let firstSize = settings.sizes[0]
let shapes = [(content ?? styles[0]).shape(longestSide: firstSize)]
    + styles.map { $0.shape(longestSide: settings.styleSize(at: firstSize)) }
if let tooSmall = shapes.first(where: { min($0.height, $0.width) < smallest }) {
    command.fail("at the first scale (longer side \(firstSize)) a picture would be \(tooSmall.width)x\(tooSmall.height), "
                 + "smaller than the \(smallest) pixels \(deepest) needs on each side: raise --size or --style-scale, or use fewer --scales")
}

let network = NetworkDemo.loadNetwork(arguments, architecture: architecture, pooling: pooling, of: command)
let stylization = Stylization(network: FastVGG(network), content: content, styles: styles, settings: settings)
if arguments.value("--output") == nil {
    _ = DemoOutput(folder: "output", program: command.name)   // the default's folder, made once everything has loaded
}

// ---- Ctrl-C: the first asks the run to stop after the current iteration and write the image;
// a second ends the program at once.
/// How many times Ctrl-C was pressed, behind a lock (`Synchronization.Atomic` would need macOS 15).
final class PressCount: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func add() -> Int { lock.lock(); defer { lock.unlock() }; count += 1; return count }
    var value: Int { lock.lock(); defer { lock.unlock() }; return count }
}
let interrupted = PressCount()
signal(SIGINT, SIG_IGN)
let interruptSource = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
interruptSource.setEventHandler {
    if interrupted.add() >= 2 { _exit(130) }
    FileHandle.standardError.write("\nstopping after this iteration to write the image (Ctrl-C again to quit at once)\n".data(using: .utf8)!)
}
interruptSource.resume()

// ---- The run.
func write(_ image: Tensor, to path: String) {
    do { try ImageFile.write(stylization.picture(of: image).raster(), to: path) } catch { command.fail("\(error)") }
}
func writeText(_ text: String, to path: String) {
    do { try ImageFile.writeAtomically(Array(text.utf8), to: path) } catch { command.fail("\(error)") }
}
func savedName(_ iteration: Int) -> String {
    let url = URL(fileURLWithPath: outputPath)
    let stem = url.deletingPathExtension().lastPathComponent
    return url.deletingLastPathComponent().appendingPathComponent("\(stem)-\(iteration).\(url.pathExtension)").relativePath
}

let sizes = settings.sizes
let (height, width) = stylization.shape(longestSide: settings.size)
let totalIterations = sizes.indices.reduce(0) { $0 + settings.iterations(atScale: $1) }
print("""
\(content == nil ? "texture from" : "repainting \(contentPath ?? "the astronaut photo") in the style of") \
\(stylePaths?.joined(separator: ", ") ?? "samples/mosaic.png"): \(width)x\(height), \
\(sizes.count == 1 ? "" : "scales \(sizes.map(String.init).joined(separator: ", ")), ")\
\(totalIterations) iterations of \(settings.optimiser.rawValue), \(architecture.name)
""")
var log = LossLog()
var progress = ProgressBar()
var lastLine = 0.0
let result = stylization.run(observe: { step in
    log.append(step.row)
    if let path = arguments.value("--log") { writeText(log.csv, to: path) }
    let row = step.row
    if savesEvery > 0 && row.iteration > 0 && row.iteration % savesEvery == 0 { write(step.image, to: savedName(row.iteration)) }
    let left = step.fractionDone > 0 ? row.seconds * (1 - step.fractionDone) / step.fractionDone : .nan
    let rate = row.iteration > 0 ? Double(row.iteration) / row.seconds : 0
    let text = String(format: "iteration %d/%d  loss %.4g (content %.3g, style %.3g, tv %.3g)  %.2f it/s  ", row.iteration, totalIterations,
                      row.total, row.content, row.style, row.totalVariation, rate)
        + (row.iteration == 0 ? "" : readableDuration(left) + " left") + (sizes.count > 1 ? "  (\(step.size) px)" : "")
    let worthALine = row.iteration % 10 == 0 || row.seconds - lastLine > 30 || row.iteration == totalIterations
    if worthALine { lastLine = row.seconds }
    progress.update(fraction: step.fractionDone, text, worthALine: worthALine)
}, shouldStop: { interrupted.value > 0 })
progress.finish()

write(result.image, to: outputPath)
if let plot = arguments.value("--plot") {
    writeText(log.chart(title: "STYLE TRANSFER LOSSES").svg(width: 640, height: 360), to: plot)
}
let seconds = log.rows.last?.seconds ?? 0
switch result.end {
case .finished:
    let final = log.rows.last.map { String(format: "; final loss %.4g (content %.3g, style %.3g, tv %.3g)", $0.total, $0.content, $0.style, $0.totalVariation) } ?? ""
    print("wrote \(outputPath) after \(result.steps) iterations (\(result.evaluations) loss evaluations) in \(readableDuration(seconds))\(final)")
case .stopped:
    print("interrupted after \(result.steps) iterations; wrote the current image to \(outputPath)")
    exit(130)
case .diverged:
    command.fail("the loss became NaN or infinite after \(result.steps) iterations (try a smaller --learning-rate); wrote the last image whose loss was finite to \(outputPath)")
}
