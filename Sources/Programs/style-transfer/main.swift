// The main job: repaint a photograph in the style of a painting (Gatys, Ecker and Bethge,
// "A Neural Algorithm of Artistic Style"). Everything it does is chapter 9's `Stylization`; the
// command's options and rules are StyleTransferCommand's. This file reads the command line,
// loads the pictures and the network, shows progress, and writes the results so that nothing is
// lost: each file is written to a temporary file and renamed, Ctrl-C writes the current image
// before exiting, and a loss that turns NaN keeps the last good image.
// Run with `swift run -c release style-transfer`.
import Foundation
import StyleTransfer
import StyleTransferCommand
import VGG
import FastNetwork
import StyleTransferRun
import AtomicFiles
import Tensors
import ImageFiles
import Pictures
import NetworkPrograms
import CommandLineArguments
import LivePreview

let command = StyleTransferCommand.spec
let arguments = command.parseCommandLine()
sayIfDebugBuild(program: command.name)

// ---- Every value checked, then the pictures, then the network.
let request: StyleTransferRequest
let (content, styles, settings): (FloatImage?, [FloatImage], StylizationSettings)
let plan: MemoryPlan?
do {
    request = try StyleTransferRequest(arguments)
    (content, styles, settings) = try request.load()
    plan = try request.memoryPlan(settings: settings, content: content, styles: styles)   // said, or refused, before the network loads
} catch let error as ArgumentError { command.fail(error) } catch { command.fail("\(error)") }
plan?.lines.forEach { print($0) }
let network = NetworkProgram.loadNetwork(arguments, architecture: request.architecture, pooling: request.pooling, of: command)
if request.reference {
    // The chapters' plain code beside the engine (ReferenceRun.swift): a table, no picture.
    _ = ReferenceRun(network: network, content: content, styles: styles, settings: settings).compare { print($0) }
    exit(0)
}
let stylization = Stylization(network: FastVGG(network), content: content, styles: styles, settings: settings)
if !request.outputGiven {
    // The default's folder, made once everything has loaded.
    do { try makeFolder("output") } catch { command.fail("\(error)") }
}
let interrupt = InterruptCounter()
let (height, width) = stylization.shape(longestSide: settings.size)
// --preview: the page's server, told of every step; its buttons stop the run (the picture
// written, as finished) or end the current scale.
let preview = startPreview(port: request.previewPort, program: command.name, of: command)

// ---- The run.
/// The picture of an optimised image at the output's size: a run stopped at a coarser scale is
/// enlarged, as the next scale would have enlarged it.
func picture(_ image: Tensor) -> FloatImage {
    var picture = stylization.picture(of: image)
    if picture.width != width || picture.height != height { picture = picture.resized(width: width, height: height) }
    return picture
}
func write(_ image: Tensor, to path: String) {
    do { try ImageFile.write(picture(image).raster(), to: path) } catch { command.fail("\(error)") }
}
func writeText(_ text: String, to path: String) {
    do { try ImageFile.writeAtomically(Array(text.utf8), to: path) } catch { command.fail("\(error)") }
}

print(request.headline(content: content != nil, width: width, height: height, settings: settings))
var log = LossLog()
var progressBar = ProgressBar()
var progress = StyleTransferProgress(settings: settings)
let result = stylization.run(observe: { step in
    log.append(step.row)
    if let path = request.logPath { writeText(log.csv, to: path) }
    let iteration = step.row.iteration
    if request.savesEvery > 0 && iteration > 0 && iteration % request.savesEvery == 0 { write(step.image, to: request.savedName(iteration)) }
    let line = progress.line(for: step)
    progressBar.update(fraction: step.fractionDone, line.text, worthALine: line.keep)
    if let preview {
        let image = step.image
        preview.publishPicture { stylization.picture(of: image).raster() }   // at the scale's own size
        preview.publish(PreviewEvent(program: command.name, step: step, settings: settings))
    }
}, observeTiles: { fraction, seconds in
    progressBar.update(fraction: fraction, progress.tileLine(fractionDone: fraction, seconds: seconds), worthALine: false)
}, shouldStop: { interrupt.pressed || preview?.stopRequested == true }, shouldEndScale: { preview?.takeNextScaleRequest() ?? false })
progressBar.finish()

if let problem = writeResult(picture(result.image).raster(), to: request.outputPath) { command.fail(problem) }
if let plot = request.plotPath {
    writeText(log.chart(title: "STYLE TRANSFER LOSSES", styleName: settings.styleTerm.partName).svg(width: 640, height: 360), to: plot)
}
let stoppedFromThePage = result.end == .stopped && !interrupt.pressed && preview?.stopRequested == true
switch result.end {
case .finished:
    print(progress.finished(result, log: log, outputPath: request.outputPath))
    print(StyleTransferProgress.memoryLine(plan: plan))
    endPreview(preview, "wrote \(request.outputPath) after \(counted(result.steps, "iteration"))")
case .stopped:
    let (stoppedHeight, stoppedWidth) = (result.image.shape[1], result.image.shape[2])
    let line = (stoppedFromThePage ? "stopped from the preview page" : "interrupted") + " after \(counted(result.steps, "iteration")); wrote the current image to \(request.outputPath)"
        + (stoppedWidth == width && stoppedHeight == height ? "" : ", enlarged to \(width)x\(height) from the \(stoppedWidth)x\(stoppedHeight) scale it stopped at")
    print(line)
    endPreview(preview, line)
    // Stopped from the page, the run ends as finished; Ctrl-C is an interruption.
    exit(stoppedFromThePage ? 0 : 130)
case .diverged:
    let line = "the loss became NaN or infinite after \(counted(result.steps, "iteration")) (try a smaller --learning-rate); "
        + "wrote the last image whose loss was finite to \(request.outputPath)"
    endPreview(preview, line)
    command.fail(line)
}
