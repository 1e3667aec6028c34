// Chapter 11: moving pictures. Makes a clip whose true motion is known (a camera panning,
// zooming and turning a little over a sample photo, by fractions of a pixel), finds the optical
// flow between two of its frames and checks it against the truth, shows where the consistency
// check trusts it, then styles the clip twice: each frame on its own, and with the temporal
// loss of Ruder, Dosovitskiy and Brox. It prints and draws how much each flickers, frame by
// frame, and writes both as one animated PNG, side by side, to watch in a browser.
// Run with `swift run -c release video-demo`.
import Foundation
import Tensors
import Pictures
import ImageFiles
import Fetching
import FastNetwork
import StyleTransferRun
import VideoRun
import VideoStyleTransfer
import FastOpticalFlow
import DemoSupport
import NetworkPrograms
import CommandLineArguments

let imageOption = Option<String?>.text("--image", help: "the photo the camera moves over (default: the chelsea sample, a cat)")
let styleOption = Option<String?>.text("--style", help: "the style image (default: samples/mosaic.png, the project's own mosaic)")
let framesOption = Option<Int>.integer("--frames", in: 2...120, default: 8, help: "the clip's frames")
let sizeOption = Option<Int>.integer("--size", in: 64...1024, default: 256, help: "the frames' longer side in pixels")
let defaults = VideoSettings()
let iterationsOption = Option<[Int]>.integers("--iterations", value: "FIRST[,NEXT]", in: 1...10000,
    default: [defaults.frame.iterations, defaults.laterIterations],
    help: "L-BFGS iterations for the first frame, and for each later frame with the temporal loss (frames styled on their own all take FIRST)",
    defaultText: "\(defaults.frame.iterations),\(defaults.laterIterations)")
let temporalOption = Option<Float>.number("--temporal-weight", in: 1e-6...1e9, default: defaults.temporalWeight, help: "the temporal loss's weight")
var command = DemoOutput.command(
    name: "video-demo",
    summary: "Chapter 11, Moving Pictures: makes a clip of a camera moving over a photo (so the true motion is known), finds the optical flow between two frames and measures it against the truth, shows where the consistency check trusts it, then styles the clip frame by frame on its own and with the temporal loss, prints and charts how much each flickers, and writes both side by side as an animated PNG.")
command.options += [imageOption.spec, styleOption.spec, framesOption.spec, sizeOption.spec, iterationsOption.spec, temporalOption.spec,
                    NetworkProgram.weights.spec]
let arguments = command.parseCommandLine()
sayIfDebugBuild(program: "video-demo")
let frameCount = command.check { try framesOption.read(arguments) }
let size = command.check { try sizeOption.read(arguments) }
let iterations = command.check { try iterationsOption.read(arguments) }
let temporalWeight = command.check { try temporalOption.read(arguments) }
if iterations.count > 2 { command.fail(ArgumentError.badValue(option: "--iterations", value: arguments.value("--iterations")!, expected: "one or two numbers: FIRST[,NEXT]")) }
let output = DemoOutput(arguments, name: "video-demo")

let photo: FloatImage, style: FloatImage
do {
    photo = try NetworkProgram.readPicture(try imageOption.read(arguments) ?? SamplePhotos.path("chelsea.png"))
    style = try styleOption.read(arguments).map(NetworkProgram.readPicture) ?? NetworkProgram.defaultStyle()
} catch { command.fail("\(error)") }

// ---- The clip: a 4:3 window moving over the photo, 1.5 px right and 0.5 px down per frame,
// growing 0.5% and turning 0.3 degrees, all by fractions of a pixel.
let (width, height) = (size, size * 3 / 4)
let travel = Double(frameCount) * 2 + 8
let scale = min((Double(photo.width) - 2 * travel) / (Double(width) * 1.15), (Double(photo.height) - 2 * travel) / (Double(height) * 1.25))
guard scale > 0.2 else { command.fail("the photo (\(photo.width)x\(photo.height)) is too small for \(width)x\(height) frames: give a larger --image or a smaller --size") }
let camera = CameraMotion(width: width, height: height, start: (Double(photo.width) / 2 - travel / 2, Double(photo.height) / 2 - travel / 4),
                          scale: scale, pan: (1.5, 0.5), zoom: 1.005, rotation: 0.3)
let frames = (0..<frameCount).map { camera.frame($0, of: photo) }
print("A clip of \(frameCount) frames, \(width)x\(height): the camera moves 1.5 px right and 0.5 px down per frame, zooms in 0.5% and turns 0.3 degrees.")

// ---- The flow between the first two frames, against the truth.
let clock = { DispatchTime.now().uptimeNanoseconds }
let flowStart = clock()
let backward = HornSchunckFlow.fast.flow(from: frames[1], to: frames[0])
let forward = HornSchunckFlow.fast.flow(from: frames[0], to: frames[1])
let flowSeconds = Double(clock() - flowStart) / 1e9
let truth = camera.trueFlow(from: 1, to: 0)
let trusted = reliability(forward: forward, backward: backward)
print(String(format: "Optical flow from frame 1 back to frame 0 (and forward, for the check): %.2f s for both.", flowSeconds))
print(String(format: "  mean end-point error against the true flow: %.3f px on the %.0f%% of pixels the check trusts, %.3f px on all",
             backward.endPointError(against: truth, where: trusted), 100 * Double(trusted.reduce(0, +)) / Double(trusted.count),
             backward.endPointError(against: truth)))
let longest = zip(truth.u, truth.v).map { ($0 * $0 + $1 * $1).squareRoot() }.max()!
// Frame 1 with the pixels the check does not trust painted red.
var maskPicture = frames[1]
for i in trusted.indices where trusted[i] == 0 {
    for (c, value) in [Float(230), 20, 20].enumerated() { maskPicture.pixels[c * width * height + i] = value }
}
output.save(ContactSheet.make([frames[0], frames[1], truth.colourCoded(maximum: longest), backward.colourCoded(maximum: longest),
                               FlowField.colourKey(side: height, maximum: longest), maskPicture],
                              labels: ["FRAME 0", "FRAME 1", "TRUE FLOW 1 TO 0", "HORN-SCHUNCK",
                                       String(format: "KEY: CENTRE TO EDGE %.1f PX", longest), "NOT TRUSTED: RED"],
                              title: "OPTICAL FLOW: HUE IS DIRECTION, SATURATION LENGTH (THE KEY: A PIXEL'S MOTION IS THE WAY FROM ITS CENTRE TO ITS COLOUR)",
                              columns: 6), "flow.png")

// ---- The clip styled twice.
let network = FastVGG(NetworkProgram.loadNetwork(arguments, pooling: .max, of: command))
var settings = VideoSettings()
settings.frame.size = size
settings.frame.initialisation = .content
settings.frame.iterations = iterations[0]
settings.laterIterations = iterations.count > 1 ? iterations[1] : iterations[0]
settings.temporalWeight = temporalWeight

/// Styles the clip with VideoRun's frame loop; returns each frame's result picture and seconds.
func styleClip(_ settings: VideoSettings, name: String) -> (pictures: [FloatImage], seconds: [Double]) {
    let video = VideoStylization(network: network, styles: [style], settings: settings)
    var pictures: [FloatImage] = [], seconds: [Double] = []
    let end = video.styleFrames(frames.indices, frame: { frames[$0] }, styledEarlier: { _ in preconditionFailure("the clip starts at frame 0") }) { frame in
        pictures.append(frame.picture)
        seconds.append(frame.seconds)
        print(String(format: "  %@, frame %d: %d iterations, %.1f s", name, frame.index, frame.steps, frame.seconds))
    }
    if end != .finished { output.fail("the loss became NaN or infinite; try fewer iterations") }
    return (pictures, seconds)
}
print("Styling each frame on its own (\(iterations[0]) L-BFGS iterations each, from the frame):")
var alone = settings
alone.temporalWeight = 0
let (alonePictures, aloneSeconds) = styleClip(alone, name: "on its own")
print("Styling with the temporal loss (weight \(shortest(temporalWeight))): the first frame as above, each later one from the frame before carried over, \(settings.laterIterations) iterations:")
let (temporalPictures, temporalSeconds) = styleClip(settings, name: "temporal")

// ---- Flicker: each frame against the one before carried over by the true motion.
func flickers(_ pictures: [FloatImage]) -> [Double] {
    (1..<pictures.count).map { flicker(previous: pictures[$0 - 1], current: pictures[$0], backward: camera.trueFlow(from: $0, to: $0 - 1)) }
}
let (aloneFlicker, temporalFlicker) = (flickers(alonePictures), flickers(temporalPictures))
let photoFlicker = flickers(frames)
print("Flicker, the mean squared difference between a frame and the one before moved by the true motion (RGB 0-255):")
print("  frames   the clip   styled alone   with the temporal loss")
for k in 0..<aloneFlicker.count {
    print(String(format: "  %2d->%-2d   %8.1f   %12.1f   %22.1f", k, k + 1, photoFlicker[k], aloneFlicker[k], temporalFlicker[k]))
}
let mean = { (values: [Double]) in values.reduce(0, +) / Double(values.count) }
print(String(format: "  mean     %8.1f   %12.1f   %22.1f   (temporal / alone: %.2f)", mean(photoFlicker), mean(aloneFlicker), mean(temporalFlicker),
             mean(temporalFlicker) / mean(aloneFlicker)))
let later = temporalSeconds.dropFirst()
print(String(format: "Time: the first frame %.1f s; later frames %.1f s on average with the temporal loss (%.0f%% of the first), %.1f s styled alone.",
             temporalSeconds[0], mean(Array(later)), 100 * mean(Array(later)) / temporalSeconds[0], mean(aloneSeconds)))

var chart = LineChart(title: "FLICKER BETWEEN CONSECUTIVE FRAMES", xLabel: "frame", yLabel: "mean squared difference")
chart.add("styled alone", aloneFlicker.enumerated().map { (Double($0.offset + 1), $0.element) })
chart.add("temporal loss", temporalFlicker.enumerated().map { (Double($0.offset + 1), $0.element) })
chart.add("the clip itself", photoFlicker.enumerated().map { (Double($0.offset + 1), $0.element) })
chart.legendAtTop = true
output.saveChart(chart, "flicker.svg")
let shown = Array(0..<min(frameCount, 4))
output.save(ContactSheet.make(shown.map { frames[$0] } + shown.map { alonePictures[$0] } + shown.map { temporalPictures[$0] },
                              labels: shown.map { "FRAME \($0)" } + shown.map { "ALONE \($0)" } + shown.map { "TEMPORAL \($0)" },
                              title: "THE CLIP, STYLED FRAME BY FRAME ALONE AND WITH THE TEMPORAL LOSS", columns: shown.count), "frames.png")

// ---- The animation: the clip, styled alone, and with the temporal loss, side by side.
var animation: AnimatedPNGWriter? = nil
for k in 0..<frameCount {
    let sheet = ContactSheet.make([frames[k], alonePictures[k], temporalPictures[k]], labels: ["THE CLIP", "STYLED ALONE", "TEMPORAL LOSS"], columns: 3)
    if animation == nil { animation = AnimatedPNGWriter(width: sheet.width, height: sheet.height, framesPerSecond: 6) }
    animation!.add(sheet.raster())
}
do {
    try ImageFile.writeAtomically(animation!.encoded(), to: output.folder + "/animation.png")
    print("  wrote \(output.folder)/animation.png")
} catch { output.fail("\(error)") }

print("""

What to look at: flow.png shows the true motion and the flow Horn-Schunck found between the first
two frames in the same colours (the same hues mean the same directions), and in red the pixels
the consistency check does not trust: a thin strip along the right and bottom edges, where the
camera moving right and down brings in what frame 0 never showed. In frames.png the texture of the frames styled alone is placed
anew in each frame, while with the temporal loss it moves with the scene. Open animation.png in a
browser: the middle clip shimmers, the right one moves like the photo. flicker.svg and the table
above say the same in numbers; the first frame is the same in both, and every later frame
styled with the temporal loss takes a fraction of the first one's time.
""")
