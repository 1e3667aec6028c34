// Styles a video, a folder of frames, without flicker (chapter 11; Ruder, Dosovitskiy and Brox,
// "Artistic Style Transfer for Videos"). The frame loop is VideoRun's (FrameLoop.swift); the
// options, the checks of the frames and what the run says are StyleVideoCommand's. Each styled
// frame is written atomically as it is finished: Ctrl-C keeps every finished frame, and the same
// command again picks up at the first frame not written. Run with `swift run -c release style-video --frames DIR`.
import Foundation
import AtomicFiles
import Pictures
import FastNetwork
import PerceptualControl
import VideoRun
import StyleTransferCommand
import StyleVideoCommand
import NetworkPrograms

let command = StyleVideoCommand.spec
let arguments = command.parseCommandLine()
sayIfDebugBuild(program: command.name)

// ---- Every option and every frame checked, then the styles and the network.
let request: StyleVideoRequest, styles: [FloatImage]
do {
    request = try StyleVideoRequest(arguments)
    styles = try request.stylePaths?.map(NetworkProgram.readPicture) ?? [NetworkProgram.defaultStyle()]
    try makeFolder(request.outputFolder)
} catch { command.fail(error) }
let network = NetworkProgram.loadNetwork(arguments, pooling: .max, of: command)
let video = VideoStylization(network: FastVGG(network), styles: styles, settings: request.settings)
var report = StyleVideoReport(request: request)
report.opening.forEach { print($0) }

// ---- The frames, one at a time; a frame styled by an earlier run is read back as the
// optimisation made it (with --preserve-colors luminance, its luminance).
let interrupt = InterruptCounter()
var progressBar = ProgressBar()
let end = video.styleFrames(report.firstDone..<request.frameNames.count, frame: { index in
    do { return video.prepared(try NetworkProgram.readPicture(request.framePath(index))) } catch { command.fail(error) }
}, styledEarlier: { index in
    do {
        let picture = try NetworkProgram.readPicture(request.outputPath(index))
        return request.settings.frame.colours == .luminance ? greyLuminance(picture) : picture
    } catch { command.fail("reading the styled frame \(request.outputPath(index)) to continue: \(error)") }
}, observe: { step in
    let (fraction, text) = report.progress(step)
    progressBar.update(fraction: fraction, text, worthALine: step.step.row.iteration % 25 == 0)
}, shouldStop: { interrupt.pressed }, finished: { frame in
    if let problem = writeResult(frame.picture.raster(), to: request.outputPath(frame.index)) { command.fail(problem) }
    report.finished(frame)
})
progressBar.finish()
switch end {
case .finished: if let closing = report.closing { print(closing) }
case .stopped(let index): print(report.stopped(at: index)); exit(130)
case .diverged(let index):
    command.fail("the loss became NaN or infinite on \(request.frameNames[index]) (try a smaller --learning-rate); the frames before it are in \(request.outputFolder)")
}
if let path = request.animationPath {
    do { print(try report.writeAnimation(to: path)) } catch { command.fail("\(error)") }
}
