// Chapter 12: a network that paints in one pass. Trains a small image transformation network
// (Johnson, Alahi and Fei-Fei) on crops of the sample photos for a minute or two, with chapter
// 9's loss through VGG19, painting a photo it never trains on as it learns; charts the loss
// falling; then paints that photo in one pass and by chapter 9's optimisation of the same loss,
// and prints both pictures' losses and times. Writes the model for style-apply.
// Run with `swift run -c release transformation-network-demo`.
import Foundation
import Tensors
import Pictures
import ImageFiles
import Fetching
import TransformationNetwork
import FastNetwork
import FastTransformationNetwork
import StyleTransferRun
import StyleTransferCommand
import DemoSupport
import NetworkPrograms
import CommandLineArguments

let styleOption = Option<String?>.text("--style", help: "the style image (default: samples/mosaic.png, the project's own mosaic)")
let sizeOption = Option<Int>.integer("--size", in: 64...1024, default: 256, help: "the longer side the photos and the style are scaled to")
let cropOption = Option<Int>.integer("--crop", in: 16...1024, default: 128, help: "the side of the square training crops, a multiple of 4")
let stepsOption = Option<Int>.integer("--steps", in: 8...100_000, default: 400, help: "training steps")
let widthOption = Option<Int>.integer("--width", in: 1...64, default: TrainingSettings().width, help: "the network's maps at full size")
let contentWeightOption = Option<Float>.number("--content-weight", in: 0...1e12, default: 150,
    help: "the content loss's weight, in training and in the optimisation it is set beside (style-train's 30 lets the mosaic's tiles cover the cat at this size)")
var command = DemoOutput.command(
    name: "transformation-network-demo",
    summary: "Chapter 12, A Network That Paints in One Pass: trains a small image transformation network on crops of the sample photos with chapter 9's loss through VGG19, painting the chelsea photo (which it never trains on) as it learns, charts the loss, then paints that photo in one pass and by chapter 9's optimisation and prints both results' losses and times. Writes the model, which style-apply reads.")
command.options += [styleOption.spec, sizeOption.spec, cropOption.spec, stepsOption.spec, widthOption.spec, contentWeightOption.spec, NetworkProgram.weights.spec]
let arguments = command.parseCommandLine()
sayIfDebugBuild(program: "transformation-network-demo")
let size = command.check { try sizeOption.read(arguments) }
let steps = command.check { try stepsOption.read(arguments) }
var settings = TrainingSettings()
settings.width = command.check { try widthOption.read(arguments) }
settings.crop = command.check { try cropOption.read(arguments) }
if settings.crop % 4 != 0 || settings.crop > size {
    command.fail(ArgumentError.badValue(option: "--crop", value: String(settings.crop), expected: "a multiple of 4, at most --size"))
}
let output = DemoOutput(arguments, name: "transformation-network-demo")
let clock = { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }
func tensor(_ picture: FloatImage) -> Tensor { Tensor(shape: [3, picture.height, picture.width], data: picture.pixels) }
func picture(_ tensor: Tensor) -> FloatImage { FloatImage(channels: 3, height: tensor.shape[1], width: tensor.shape[2], pixels: tensor.data) }

let photos: [Tensor], heldOut: FloatImage, style: FloatImage
do {
    photos = try TrainingDefaults.photos.map { tensor(try NetworkProgram.readPicture(try SamplePhotos.path($0)).resized(longestSide: size)) }
        .filter { $0.shape[1] >= settings.crop && $0.shape[2] >= settings.crop }
    // The held-out photo, its sides made multiples of 4 (the network halves it twice).
    let cat = try NetworkProgram.readPicture(try SamplePhotos.path(TrainingDefaults.heldOut)).resized(longestSide: size)
    heldOut = cat.resized(width: cat.width / 4 * 4, height: cat.height / 4 * 4)
    style = try (styleOption.read(arguments).map(NetworkProgram.readPicture) ?? NetworkProgram.defaultStyle()).resized(longestSide: size)
} catch { command.fail("\(error)") }
if photos.isEmpty { command.fail("--crop \(settings.crop) is larger than every photo at --size \(size)") }

// ---- Training: style-train's loss (TrainingDefaults), on small crops for a few minutes.
let vgg = FastVGG(NetworkProgram.loadNetwork(arguments, pooling: .max, of: command))
var trainingLoss = TrainingDefaults.loss
trainingLoss.weights.content = command.check { try contentWeightOption.read(arguments) }
let loss = FastPerceptualLoss(network: vgg, styles: [tensor(style)], blend: [1], contentLayers: trainingLoss.contentLayers,
                              styleLayers: trainingLoss.styleLayers, weights: trainingLoss.weights)
var training = FastTraining(photos: photos, loss: loss, settings: settings)
let parameterCount = training.network.parameters.reduce(0) { $0 + $1.count }
print("Training a network of width \(settings.width) (\(parameterCount) weights) on \(photos.count) photos at \(size) px, crops of \(settings.crop), "
      + "for \(steps) steps: content weight \(shortest(trainingLoss.weights.content)) at \(trainingLoss.contentLayers.joined(separator: ",")), "
      + "style weight \(shortest(trainingLoss.weights.style)), Adam at \(shortest(settings.learningRate)).")
let snapshots = Set([steps / 16, steps / 4, steps])
var progress: [(step: Int, picture: FloatImage)] = []
var history: [(step: Int, content: Double, style: Double)] = []
let trainingStart = clock()
progress.append((0, picture(FastTransformationNetwork(training.network).paint(tensor(heldOut)))))
while training.steps < steps {
    let parts = training.step()
    history.append((training.steps, parts.content, parts.style))
    if training.steps % 25 == 0 || training.steps == steps {
        let recent = history.suffix(25)
        print(String(format: "  step %4d: loss over the last %d crops %.3g (content %.3g, style %.3g), %.2f s per step", training.steps, recent.count,
                     recent.reduce(0) { $0 + $1.content + $1.style } / Double(recent.count),
                     recent.reduce(0) { $0 + $1.content } / Double(recent.count), recent.reduce(0) { $0 + $1.style } / Double(recent.count),
                     (clock() - trainingStart) / Double(training.steps)))
    }
    if snapshots.contains(training.steps) {
        progress.append((training.steps, picture(FastTransformationNetwork(training.network).paint(tensor(heldOut)))))
    }
}
let trainingSeconds = clock() - trainingStart
print(String(format: "Trained in %.0f s.", trainingSeconds))
do {
    try ImageFile.writeAtomically(training.network.modelFile(metadata: ["style": "demo", "steps": String(steps)]), to: output.folder + "/model.safetensors")
    print("  wrote \(output.folder)/model.safetensors")
} catch { output.fail("\(error)") }

// The loss per crop jumps with what each crop shows: the chart draws the mean of every 25.
var chart = LineChart(title: "TRAINING: THE LOSS OF EACH CROP, MEANS OF 25 STEPS", xLabel: "step", yLabel: "log10 of the loss")
let blocks = stride(from: 0, to: history.count, by: 25).map { Array(history[$0..<min($0 + 25, history.count)]) }
func means(_ value: ((step: Int, content: Double, style: Double)) -> Double) -> [(x: Double, y: Double)] {
    blocks.map { block in (Double(block.last!.step), log10(block.reduce(0) { $0 + value($1) } / Double(block.count))) }
}
chart.add("content + style", means { $0.content + $0.style })
chart.add("content", means(\.content))
chart.add("style", means(\.style))
chart.legendAtTop = true
output.saveChart(chart, "training-loss.svg")
output.save(ContactSheet.make([heldOut] + progress.map(\.picture), labels: ["NEVER TRAINED ON"] + progress.map { "AFTER \($0.step) STEPS" },
                              title: "THE HELD-OUT PHOTO PAINTED BY THE NETWORK AS IT LEARNS", columns: progress.count + 1), "learning.png")

// ---- One pass against the optimisation, on the photo the network never saw.
let network = FastTransformationNetwork(training.network)
let paintStart = clock()
let onePass = picture(network.paint(tensor(heldOut)))
let paintSeconds = clock() - paintStart
// The optimisation with the loss the network learnt, so the two answer the same question.
var optimised = trainingLoss
optimised.size = max(heldOut.width, heldOut.height)
let stylization = Stylization(network: vgg, content: heldOut, styles: [style], settings: optimised)
let optimiseStart = clock()
let result = stylization.run()
if result.end == .diverged { output.fail("the optimisation's loss became NaN or infinite") }
let optimisedPicture = stylization.picture(of: result.image)
let optimiseSeconds = clock() - optimiseStart
// Both measured with that loss, the training's.
print("The held-out photo, \(heldOut.width)x\(heldOut.height), measured with the loss both minimise:")
print("                        content      style      total       time")
for (name, painted, seconds) in [("the photo itself", heldOut, nil), ("one pass", onePass, paintSeconds), ("optimised", optimisedPicture, optimiseSeconds)] {
    let parts = loss.evaluate(picture: tensor(painted), photo: tensor(heldOut)).parts
    print("  " + name.padding(toLength: 18, withPad: " ", startingAt: 0)
          + String(format: "%9.3g  %9.3g  %9.3g", parts.content, parts.style, parts.total) + (seconds.map { String(format: "  %7.2f s", $0) } ?? ""))
}
print(String(format: "One pass took %.0f times less time than the optimisation (training took %.0f s, once).", optimiseSeconds / paintSeconds, trainingSeconds))
output.save(ContactSheet.make([heldOut, style, onePass, optimisedPicture],
                              labels: ["THE PHOTO", "THE STYLE", String(format: "ONE PASS %.2f S", paintSeconds), String(format: "OPTIMISED %.0f S", optimiseSeconds)],
                              title: "A PHOTO THE NETWORK NEVER SAW: ONE PASS AGAINST CHAPTER 9", columns: 4), "one-pass.png")

print("""

What to look at: learning.png shows the cat, which the network never trains on, painted after
0, \(steps / 16), \(steps / 4) and \(steps) steps. The untrained network paints coloured noise
with a trace of the cat's eyes; then come flat colour with the darkest features outlined, the
first tiles, and at the end the style's tiles and colours with the eyes and the nose among them.
training-loss.svg shows the style loss falling many times over while the content loss rises a
little: the network learns the style first, trading some of the photo for it. In one-pass.png
the network's picture and the optimised one share the style; the optimised one, made for this
photo alone, keeps more of the cat and matches the style more closely (the table says by how
much), and the network's took a fraction of a second.
To paint any photo with the model: style-apply --model \(output.folder)/model.safetensors --content PHOTO --output OUT.png
""")

