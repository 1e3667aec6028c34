// Trains chapter 12's network to paint in the style of a painting (Johnson, Alahi and Fei-Fei):
// random crops of the training photos, painted by the network, measured with chapter 9's loss
// through VGG19, the gradients carried back to the network's weights, Adam's steps; for
// --minutes or --steps. Writes the model (a safetensors file, atomically) for style-apply.
// Ctrl-C writes MODEL.checkpoint (the weights, Adam's state, the crops' generator, the step);
// the same command resumes from it, and refuses in one line if the settings differ.
// Run with `swift run -c release style-train --style PAINTING`.
import Foundation
import Tensors
import Pictures
import ImageFiles
import AtomicFiles
import Fetching
import VGG
import StyleTransfer
import TransformationNetwork
import FastNetwork
import FastLosses
import FastTransformationNetwork
import StyleTransferRun
import StyleTransferCommand
import NetworkPrograms
import CommandLineArguments
import LivePreview

typealias Still = StyleTransferCommand
let style = Option<[String]?>.list("--style", help: "the painting (or paintings, blended) whose style the network learns (required)")
let photos = Option<String?>.text("--photos", value: "DIR",
    help: "the training photos: every picture in the folder (default the sample photos the project fetches, but chelsea.png, which --save-every paints)")
let output = Option<String>.text("--output", value: "MODEL.safetensors", default: "output/style-train.safetensors", help: "the model file, for style-apply")
let size = Option<Int>.integer("--size", in: 64...4096, default: 512, help: "the longer side the painting and the photos are scaled to, so the strokes learnt have the scale they are measured at")
let crop = Option<Int>.integer("--crop", in: 16...2048, default: 256, help: "the side of the square training crops, a multiple of 4")
let minutes = Option<Float>.number("--minutes", in: 0.01...100_000, default: 25, help: "how long to train (the whole command, loading included, ends within a few minutes of it)")
let steps = Option<Int?>.integer("--steps", in: 1...10_000_000, help: "train for this many steps instead of --minutes", defaultText: "--minutes decides")
let width = Option<Int>.integer("--width", in: 1...128, default: TrainingSettings().width, help: "the network's maps at full size (Johnson et al.'s 32)")
let batch = Option<Int>.integer("--batch", in: 1...64, default: TrainingSettings().batch, help: "crops per step")
let learningRate = Option<Float>.number("--learning-rate", in: 1e-8...1, default: TrainingSettings().learningRate, help: "Adam's rate")
let logOption = Option<String?>.text("--log", value: "FILE.csv",
    help: "write the loss of each step this run takes as CSV: iteration (the step),total,content,style,tv,seconds, as style-transfer --log does (loss-chart draws it)")
let saveEvery = Option<Int>.integer("--save-every", in: 0...10_000_000, default: 0,
    help: "every N steps, paint chelsea.png (a photo the default training does not see) beside the model, as MODEL-STEP.png")
let command = CommandSpec(name: "style-train", summary: """
    Trains a network to paint in the style of a painting in one pass (chapter 12): random crops of \
    the training photos painted by the network and measured with chapter 9's loss through VGG19, \
    its weights moved by Adam. Writes the model for style-apply; Ctrl-C writes a checkpoint that \
    the same command resumes from.
    """, options: [style.spec, Still.blend.spec, photos.spec, output.spec, size.spec, crop.spec, minutes.spec, steps.spec, width.spec, batch.spec,
                   learningRate.spec, TrainingDefaults.contentWeight.spec, Still.styleWeight.spec, Still.tvWeight.spec, Still.styleLoss.spec, Still.contentLayers.spec,
                   Still.styleLayers.spec, Still.seed.spec, saveEvery.spec, logOption.spec, Still.preview.spec, NetworkProgram.weights.spec])
let arguments = command.parseCommandLine()
sayIfDebugBuild(program: command.name)
let started = DispatchTime.now().uptimeNanoseconds
func seconds() -> Double { Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9 }

// ---- Every value checked, then the pictures, then the network.
var loss = TrainingDefaults.loss
var settings = TrainingSettings()
let stylePaths: [String], modelPath: String, logPath: String?, longerSide: Int, budget: (minutes: Float, steps: Int?), savingEvery: Int
let styleLoss: StyleLossKind, previewPort: Int?
do {
    guard let paths = try style.read(arguments) else { throw ArgumentError.missingArgument("--style PAINTING, the style to learn") }
    stylePaths = paths
    loss.blend = try Still.blend.read(arguments) ?? []
    try StyleTransferRequest.checkBlend(loss.blend, styleCount: paths.count, arguments)
    try StyleTransferRequest.readLoss(arguments, architecture: .vgg19, contentWeight: TrainingDefaults.contentWeight, into: &loss)
    modelPath = try output.read(arguments)
    // The default's folder is made once everything has loaded; a path given must be writable now.
    if output.isGiven(arguments) { try StyleTransferRequest.checkWritable(modelPath, option: output.name, extensions: ["safetensors"]) }
    logPath = try logOption.read(arguments)
    if let logPath { try StyleTransferRequest.checkWritable(logPath, option: logOption.name, extensions: ["csv"]) }
    longerSide = try size.read(arguments)
    settings.crop = try crop.read(arguments)
    guard settings.crop % 4 == 0 else { throw crop.bad(String(settings.crop), expected: "a multiple of 4") }
    settings.width = try width.read(arguments)
    settings.batch = try batch.read(arguments)
    settings.learningRate = try learningRate.read(arguments)
    settings.seed = loss.seed
    budget = (try minutes.read(arguments), try steps.read(arguments))
    savingEvery = try saveEvery.read(arguments)
    styleLoss = try Still.styleLoss.read(arguments)
    previewPort = try Still.preview.read(arguments)
} catch { command.fail(error) }

let heldOut = TrainingDefaults.heldOut
let (trainingPhotos, styles, sample): ([Tensor], [Tensor], FloatImage?)
do {
    func tensor(_ picture: FloatImage) -> Tensor {
        let sized = picture.rgb().resized(longestSide: longerSide)
        return Tensor(shape: [3, sized.height, sized.width], data: sized.pixels)
    }
    let paths: [String]
    if let folder = try photos.read(arguments) {
        let names = try FileManager.default.contentsOfDirectory(atPath: folder).filter { !$0.hasPrefix(".") && ReadableFormats.hasReadableExtension($0) }.sorted()
        guard !names.isEmpty else { throw StyleTransferRequestError("--photos \(folder): the folder holds no pictures (\(ReadableFormats.names))") }
        paths = names.map { folder + "/" + $0 }
    } else {
        paths = try TrainingDefaults.photos.map { try SamplePhotos.path($0) }
    }
    let read = try paths.map { tensor(try NetworkProgram.readPicture($0)) }
    trainingPhotos = read.filter { $0.shape[1] >= settings.crop && $0.shape[2] >= settings.crop }
    guard !trainingPhotos.isEmpty else {
        throw StyleTransferRequestError("--crop \(settings.crop) is larger than every photo scaled to --size \(longerSide): lower --crop or raise --size")
    }
    styles = try stylePaths.map { tensor(try NetworkProgram.readPicture($0)) }
    sample = savingEvery > 0 ? FloatImage(try ImageFile.read(try SamplePhotos.path(heldOut))).rgb().resized(longestSide: longerSide) : nil
} catch { command.fail("\(error)") }

let vgg = NetworkProgram.loadNetwork(arguments, pooling: .max, of: command)
// A distribution term (--style-loss, chapter 8b) is made for the crops' size; the sliced term
// draws new directions before every step.
let styleTerm = styleLoss.maker(seed: settings.seed)
let perceptual = FastPerceptualLoss(network: FastVGG(vgg), styles: styles, blend: loss.blend.isEmpty ? [Float](repeating: 1, count: styles.count) : loss.blend,
                                    contentLayers: loss.contentLayers, styleLayers: loss.styleLayers, weights: loss.weights,
                                    styleLoss: styleTerm, crop: settings.crop)
// The settings a checkpoint must match to be resumed.
let fingerprint = "styles \(stylePaths) blend \(loss.blend) photos \(trainingPhotos.count) size \(longerSide) crop \(settings.crop) width \(settings.width) "
    + "batch \(settings.batch) rate \(settings.learningRate) weights \(loss.weights.content),\(loss.weights.style),\(loss.weights.totalVariation) "
    + "layers \(loss.contentLayers) \(loss.styleLayers) seed \(settings.seed)" + (styleLoss == .gram ? "" : " style-loss \(styleLoss.rawValue)")
let checkpointPath = URL(fileURLWithPath: modelPath).deletingPathExtension().path + ".checkpoint"
var training = FastTraining(photos: trainingPhotos, loss: perceptual, settings: settings)
if let bytes = FileManager.default.contents(atPath: checkpointPath) {
    do {
        let checkpoint = try TrainingCheckpoint.read([UInt8](bytes))
        guard checkpoint.settings == fingerprint else {
            throw StyleTransferRequestError("\(checkpointPath) was trained with other settings (\(checkpoint.settings)); remove it, or give the same settings, to train")
        }
        training = FastTraining(photos: trainingPhotos, loss: perceptual, settings: settings, resumingFrom: checkpoint)
        print("resuming \(checkpointPath) after \(counted(checkpoint.steps, "step"))")
    } catch { command.fail("\(checkpointPath): \(error)") }
}
do { try makeFolder(URL(fileURLWithPath: modelPath).deletingLastPathComponent().path) } catch { command.fail("\(error)") }
print("training a network of width \(settings.width) on \(counted(trainingPhotos.count, "photo")) at \(longerSide) px, crops of \(settings.crop), "
      + "batch \(settings.batch), in the style of \(stylePaths.joined(separator: ", "))"
      + (styleLoss == .gram ? "" : " compared by \(styleTerm.name) (chapter 8b)") + "; "
      + (budget.steps.map { "\(counted($0, "step"))" } ?? "for \(shortest(budget.minutes)) minutes"))

// ---- The steps.
func write(_ bytes: [UInt8], to path: String) {
    do { try ImageFile.writeAtomically(bytes, to: path) } catch { command.fail("\(error)") }
}
let interrupt = InterruptCounter()
var progressBar = ProgressBar()
let trainingStart = seconds(), firstStep = training.steps
var average: Double? = nil
var log = LossLog()
// --preview: the page shows the crop each step painted and the losses; its Stop ends the
// training as if its time were up (the model written).
let preview = startPreview(port: previewPort, program: command.name, of: command)
while budget.steps.map({ training.steps < $0 }) ?? (seconds() < Double(budget.minutes) * 60), preview?.stopRequested != true {
    if interrupt.pressed {
        progressBar.finish()
        write(training.checkpoint(settings: fingerprint).encoded(), to: checkpointPath)
        if let logPath { write(Array(log.csv.utf8), to: logPath) }
        print("interrupted after \(counted(training.steps, "step")); wrote \(checkpointPath): the same command resumes from it")
        exit(130)
    }
    let parts = training.step()
    log.append(LossRow(iteration: training.steps, parts: parts, seconds: seconds()))
    average = average.map { 0.95 * $0 + 0.05 * parts.total } ?? parts.total
    let perStep = (seconds() - trainingStart) / Double(training.steps - firstStep)
    let left = budget.steps.map { Double($0 - training.steps) * perStep } ?? max(0, Double(budget.minutes) * 60 - seconds())
    let fraction = budget.steps.map { Double(training.steps) / Double($0) } ?? min(1, seconds() / (Double(budget.minutes) * 60))
    progressBar.update(fraction: fraction, String(format: "step %d, loss %.4g (content %.3g, %@ %.3g, tv %.3g), %.2f s per step, ",
                                                  training.steps, average!, parts.content, styleTerm.partName, parts.style, parts.totalVariation, perStep)
                       + "about \(readableDuration(left)) left", worthALine: training.steps % 50 == 0)
    if let preview, let painted = training.lastPainted {
        preview.publishPicture { NetworkProgram.picture(painted).raster() }
        var event = PreviewEvent(program: command.name)
        event.iteration = training.steps
        event.iterations = budget.steps ?? 0
        event.losses = [("total", parts.total), ("content", parts.content), (styleTerm.partName, parts.style), ("tv", parts.totalVariation)]
        (event.rate, event.secondsLeft, event.peakMemory) = (1 / perStep, left, peakResidentBytes())
        preview.publish(event)
    }
    if savingEvery > 0, training.steps % savingEvery == 0, let sample {
        let side = { (n: Int) in n / 4 * 4 }
        let cropped = sample.resized(width: side(sample.width), height: side(sample.height))
        let painted = FastTransformationNetwork(training.network).paint(Tensor(shape: [3, cropped.height, cropped.width], data: cropped.pixels))
        let path = URL(fileURLWithPath: modelPath).deletingPathExtension().path + "-\(training.steps).png"
        do { try ImageFile.write(FloatImage(channels: 3, height: cropped.height, width: cropped.width, pixels: painted.data).raster(), to: path) } catch { command.fail("\(error)") }
    }
}
progressBar.finish()
let metadata = ["style": stylePaths.map { URL(fileURLWithPath: $0).lastPathComponent }.joined(separator: ","), "steps": String(training.steps), "settings": fingerprint]
write(training.network.modelFile(metadata: metadata), to: modelPath)
if let logPath { write(Array(log.csv.utf8), to: logPath) }
try? FileManager.default.removeItem(atPath: checkpointPath)
let trained = (preview?.stopRequested == true ? "stopped from the preview page: " : "") + "trained \(counted(training.steps, "step")) in \(readableDuration(seconds())); wrote \(modelPath)"
print(trained)
endPreview(preview, trained)
